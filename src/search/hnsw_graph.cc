// HnswGraph (hnsw_graph.h): hnswlib's HierarchicalNSW behind a small interface, its saveIndex
// byte layout written and checked here.
#include "search/hnsw_graph.h"

#include <fmt/format.h>
#include <hnswlib/hnswlib.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>

#include "embkit/error.h"
#include "kernels/kernel_table.h"

namespace embkit {
namespace {

using Graph = hnswlib::HierarchicalNSW<float>;
using hnswlib::labeltype;
using hnswlib::linklistsizeint;
using hnswlib::tableint;

// Inner-product distance (1 - x.y, as hnswlib's InnerProductSpace) through embkit's kernels:
// hnswlib picks its SIMD code at compile time, so a portable build would get SSE only, while the
// kernel table picks AVX-512 or AVX2 at run time.
class KernelInnerProductSpace : public hnswlib::SpaceInterface<float> {
 public:
  explicit KernelInnerProductSpace(size_t dim) : param_{dim, kernels::active_kernels().dot} {}
  size_t get_data_size() override { return param_.dim * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &distance; }
  void* get_dist_func_param() override { return &param_; }

 private:
  struct Param {
    size_t dim;  // first: hnswlib reads the dimension from the parameter's first word
    float (*dot)(const float*, const float*, size_t);
  };
  static float distance(const void* a, const void* b, const void* param) {
    const auto* p = static_cast<const Param*>(param);
    return 1.0f - p->dot(static_cast<const float*>(a), static_cast<const float*>(b), p->dim);
  }
  Param param_;
};

// The fixed part of saveIndex's output, in file order (96 bytes).
struct GraphHeader {
  uint64_t offset_level0;
  uint64_t max_elements;
  uint64_t element_count;
  uint64_t bytes_per_element;
  uint64_t label_offset;
  uint64_t data_offset;
  int32_t max_level;
  uint32_t entry_point;
  uint64_t max_links;
  uint64_t max_links_level0;
  uint64_t M;
  double level_multiplier;
  uint64_t ef_construction;
};
// Levels are drawn as floor(-ln(U) / ln(M)): above 64 the odds are below 2^-64 even for M = 2.
constexpr int kMaxLevel = 64;

class ByteReader {
 public:
  ByteReader(std::string_view bytes, const std::string& path) : bytes_(bytes), path_(path) {}
  template <typename T>
  T read(std::string_view what) {
    T value;
    std::memcpy(&value, take(sizeof(T), what).data(), sizeof(T));
    return value;
  }
  std::string_view take(size_t count, std::string_view what) {
    if (bytes_.size() - at_ < count)
      throw FormatError(path_, fmt::format("hnsw graph is cut off in {} (truncated file?)", what));
    std::string_view part = bytes_.substr(at_, count);
    at_ += count;
    return part;
  }
  size_t left() const { return bytes_.size() - at_; }

 private:
  std::string_view bytes_;
  const std::string& path_;
  size_t at_ = 0;
};

template <typename T>
void append(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

GraphHeader read_header(ByteReader& in) {
  GraphHeader h;
  h.offset_level0 = in.read<uint64_t>("the header");
  h.max_elements = in.read<uint64_t>("the header");
  h.element_count = in.read<uint64_t>("the header");
  h.bytes_per_element = in.read<uint64_t>("the header");
  h.label_offset = in.read<uint64_t>("the header");
  h.data_offset = in.read<uint64_t>("the header");
  h.max_level = in.read<int32_t>("the header");
  h.entry_point = in.read<uint32_t>("the header");
  h.max_links = in.read<uint64_t>("the header");
  h.max_links_level0 = in.read<uint64_t>("the header");
  h.M = in.read<uint64_t>("the header");
  h.level_multiplier = in.read<double>("the header");
  h.ef_construction = in.read<uint64_t>("the header");
  return h;
}

// The header must describe the layout hnswlib itself computes for this shape; anything else would
// make it read vectors, labels or links at the wrong offsets.
void check_header(const GraphHeader& h, const HnswShape& shape, const std::string& path) {
  auto fail = [&](std::string_view what) {
    return FormatError(path, fmt::format("corrupt hnsw graph: {}", what));
  };
  if (shape.M < 2 || shape.M > kMaxHnswM)
    throw fail(fmt::format("M={} is outside 2..{}", shape.M, kMaxHnswM));
  const uint64_t links0_bytes = shape.M * 2 * sizeof(tableint) + sizeof(linklistsizeint);
  const uint64_t data_bytes = shape.dim * sizeof(float);
  if (h.element_count != shape.rows)
    throw fail(fmt::format("{} nodes but the header says {} rows", h.element_count, shape.rows));
  if (h.M != shape.M || h.max_links != shape.M || h.max_links_level0 != 2 * shape.M)
    throw fail(fmt::format("M={} (links {}/{}) but the header says M={}", h.M, h.max_links,
                           h.max_links_level0, shape.M));
  if (h.offset_level0 != 0 || h.data_offset != links0_bytes ||
      h.label_offset != links0_bytes + data_bytes ||
      h.bytes_per_element != links0_bytes + data_bytes + sizeof(labeltype))
    throw fail(fmt::format("node layout does not match dimension {} and M={}", shape.dim, shape.M));
  if (h.max_elements < h.element_count) throw fail("capacity is smaller than the node count");
  if (h.max_level < 0 || h.max_level > kMaxLevel)
    throw fail(fmt::format("top level {} is outside 0..{}", h.max_level, kMaxLevel));
  if (h.entry_point >= h.element_count)
    throw fail(fmt::format("entry point {} is not a node", h.entry_point));
  if (!std::isfinite(h.level_multiplier) || h.level_multiplier <= 0)
    throw fail("level multiplier is not a positive number");
}

// A link list: a count (low 16 bits; hnswlib keeps a deleted mark in the third byte, which a graph
// embkit writes never sets) and up to `capacity` node ids.
void check_links(const char* list, size_t capacity, size_t nodes, size_t node, int level,
                 const std::vector<int>& levels, const std::string& path) {
  linklistsizeint head;
  std::memcpy(&head, list, sizeof(head));
  const size_t count = head & 0xffff;
  auto fail = [&](std::string_view what) {
    return FormatError(path,
                       fmt::format("corrupt hnsw graph: node {} level {}: {}", node, level, what));
  };
  if (head >> 16) throw fail("flags are set (deleted nodes are not supported)");
  if (count > capacity) throw fail(fmt::format("{} links exceed the maximum {}", count, capacity));
  for (size_t i = 0; i < count; ++i) {
    tableint id;
    std::memcpy(&id, list + sizeof(linklistsizeint) + i * sizeof(tableint), sizeof(id));
    if (id >= nodes) throw fail(fmt::format("link to node {} of {}", id, nodes));
    // Search walks level L through the links found there: each target must reach level L.
    if (!levels.empty() && levels[id] < level)
      throw fail(fmt::format("link to node {} which has no level {}", id, level));
  }
}

}  // namespace

struct HnswGraph::State {
  HnswShape shape;
  KernelInnerProductSpace space;  // before graph: the graph points into it
  Graph graph;
  State(const HnswShape& s, size_t ef_construction, uint64_t seed)
      : shape(s), space(s.dim), graph(&space, s.rows, s.M, ef_construction, seed) {}
};

HnswGraph::HnswGraph(const HnswShape& shape, size_t ef_construction, uint64_t seed)
    : state_(std::make_unique<State>(shape, ef_construction, seed)) {}
HnswGraph::HnswGraph(std::unique_ptr<State> state) : state_(std::move(state)) {}
HnswGraph::~HnswGraph() = default;

void HnswGraph::add(const float* rows, uint32_t first_label, size_t count, int threads) {
  Graph& graph = state_->graph;
  const size_t dim = state_->shape.dim;
  std::exception_ptr error;
  size_t first = 0;
  if (graph.cur_element_count == 0 && count > 0) {
    // The entry point goes in alone, as hnswlib's Python binding does before its ParallelFor.
    graph.addPoint(rows, labeltype(first_label));
    first = 1;
  }
  // hnswlib locks per node, so addPoint may run concurrently.
#pragma omp parallel for schedule(dynamic, 32) num_threads(threads)
  for (size_t i = first; i < count; ++i) {
    try {
      graph.addPoint(rows + i * dim, labeltype(first_label) + i);
    } catch (...) {
#pragma omp critical(hnsw_add_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

void HnswGraph::set_ef_search(size_t ef) { state_->graph.setEf(ef); }

std::vector<std::vector<Hit>> HnswGraph::search(const float* queries, size_t count, size_t k,
                                                int threads) const {
  const Graph& graph = state_->graph;
  const size_t dim = state_->shape.dim;
  std::vector<std::vector<Hit>> out(count);
  std::exception_ptr error;
#pragma omp parallel for schedule(dynamic, 16) num_threads(threads)
  for (size_t q = 0; q < count; ++q) {
    try {
      auto best = graph.searchKnn(queries + q * dim, k);  // a max-heap of distances
      std::vector<Hit>& hits = out[q];
      hits.resize(best.size());
      for (size_t i = best.size(); i-- > 0; best.pop())
        hits[i] = {static_cast<uint32_t>(best.top().second), 1.0f - best.top().first};
    } catch (...) {
#pragma omp critical(hnsw_search_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  return out;
}

std::vector<float> HnswGraph::vector(uint32_t label) const {
  const Graph& graph = state_->graph;
  auto found = graph.label_lookup_.find(label);
  if (found == graph.label_lookup_.end())
    throw UsageError(fmt::format("row {} is not in the index", label));
  const auto* data = reinterpret_cast<const float*>(graph.getDataByInternalId(found->second));
  return std::vector<float>(data, data + state_->shape.dim);
}

std::string HnswGraph::serialize() const {
  const Graph& g = state_->graph;
  std::string out;
  append<uint64_t>(out, g.offsetLevel0_);
  append<uint64_t>(out, g.cur_element_count);  // capacity: exactly the nodes there are
  append<uint64_t>(out, g.cur_element_count);
  append<uint64_t>(out, g.size_data_per_element_);
  append<uint64_t>(out, g.label_offset_);
  append<uint64_t>(out, g.offsetData_);
  append<int32_t>(out, g.maxlevel_);
  append<uint32_t>(out, g.enterpoint_node_);
  append<uint64_t>(out, g.maxM_);
  append<uint64_t>(out, g.maxM0_);
  append<uint64_t>(out, g.M_);
  append<double>(out, g.mult_);
  append<uint64_t>(out, g.ef_construction_);
  out.append(g.data_level0_memory_, g.cur_element_count * g.size_data_per_element_);
  for (size_t i = 0; i < g.cur_element_count; ++i) {
    const auto bytes = static_cast<uint32_t>(
        g.element_levels_[i] > 0 ? g.size_links_per_element_ * g.element_levels_[i] : 0);
    append<uint32_t>(out, bytes);
    if (bytes) out.append(g.linkLists_[i], bytes);
  }
  return out;
}

std::unique_ptr<HnswGraph> HnswGraph::parse(std::string_view bytes, const HnswShape& shape,
                                            const std::string& path) {
  ByteReader in(bytes, path);
  const GraphHeader h = read_header(in);
  check_header(h, shape, path);
  const size_t nodes = h.element_count;
  if (in.left() / h.bytes_per_element < nodes)
    throw FormatError(path, "hnsw graph is cut off in the level-0 nodes (truncated file?)");
  std::string_view level0 = in.take(nodes * h.bytes_per_element, "the level-0 nodes");

  // Upper levels first: level-0 links are checked against every node's level.
  const size_t upper_bytes = h.max_links * sizeof(tableint) + sizeof(linklistsizeint);
  std::vector<int> levels(nodes, 0);
  std::vector<std::string_view> upper(nodes);
  for (size_t i = 0; i < nodes; ++i) {
    const auto size = in.read<uint32_t>(fmt::format("node {}'s upper levels", i));
    if (size % upper_bytes != 0 || size / upper_bytes > size_t(h.max_level))
      throw FormatError(path, fmt::format("corrupt hnsw graph: node {} has {} bytes of upper "
                                          "levels (top level {}, {} bytes a level)",
                                          i, size, h.max_level, upper_bytes));
    upper[i] = in.take(size, fmt::format("node {}'s upper levels", i));
    levels[i] = static_cast<int>(size / upper_bytes);
  }
  if (in.left() != 0)
    throw FormatError(path,
                      fmt::format("corrupt hnsw graph: {} bytes after the last node", in.left()));
  if (levels[h.entry_point] != h.max_level)
    throw FormatError(path, fmt::format("corrupt hnsw graph: entry point {} has level {}, not {}",
                                        h.entry_point, levels[h.entry_point], h.max_level));
  std::vector<bool> labelled(nodes, false);
  for (size_t i = 0; i < nodes; ++i) {
    const char* node = level0.data() + i * h.bytes_per_element;
    check_links(node, h.max_links_level0, nodes, i, 0, {}, path);
    for (int level = 1; level <= levels[i]; ++level)
      check_links(upper[i].data() + (level - 1) * upper_bytes, h.max_links, nodes, i, level, levels,
                  path);
    labeltype label;
    std::memcpy(&label, node + h.label_offset, sizeof(label));
    if (label >= nodes || labelled[label])
      throw FormatError(path, fmt::format("corrupt hnsw graph: node {} has label {} ({})", i, label,
                                          label >= nodes ? "out of range" : "repeated"));
    labelled[label] = true;
  }

  // Valid: fill a graph of this shape the way hnswlib's loadIndex would.
  auto state = std::make_unique<State>(shape, h.ef_construction, 100);
  Graph& g = state->graph;
  std::memcpy(g.data_level0_memory_, level0.data(), level0.size());
  g.cur_element_count = nodes;  // element_levels_ is still all 0: the destructor frees nothing
  for (size_t i = 0; i < nodes; ++i) {
    if (levels[i] > 0) {
      g.linkLists_[i] = static_cast<char*>(std::malloc(upper[i].size()));
      if (g.linkLists_[i] == nullptr) throw std::bad_alloc();
      std::memcpy(g.linkLists_[i], upper[i].data(), upper[i].size());
    } else {
      g.linkLists_[i] = nullptr;
    }
    g.element_levels_[i] = levels[i];
    g.label_lookup_[g.getExternalLabel(tableint(i))] = tableint(i);
  }
  g.maxlevel_ = h.max_level;
  g.enterpoint_node_ = h.entry_point;
  g.mult_ = h.level_multiplier;
  g.revSize_ = 1.0 / h.level_multiplier;
  return std::unique_ptr<HnswGraph>(new HnswGraph(std::move(state)));
}

}  // namespace embkit
