// VectorIndex (embkit/vector_index.h): FAISS indexes and hnswlib graphs (search/hnsw_graph.h)
// built from a model, stored in one file with the words of their rows.
#include "embkit/vector_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexPQ.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <omp.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

#include "core/atomic_file.h"
#include "core/mapped_file.h"
#include "core/threads.h"
#include "embkit/error.h"
#include "embkit/kernels.h"
#include "embkit/options.h"
#include "embkit/progress.h"
#include "search/hnsw_graph.h"

namespace embkit {
namespace {

constexpr std::string_view kIndexFormat = "embkit-index";
constexpr std::string_view kIndexVersion = "1";       // FAISS part
constexpr std::string_view kGraphIndexVersion = "2";  // hnswlib part
constexpr std::string_view kGraphBackend = "hnswlib";
constexpr size_t kAddChunk = 16384;
constexpr uint64_t kMaxHeaderBytes = 1 << 20;

faiss::MetricType faiss_metric(Metric metric) {
  if (metric == Metric::L2) throw UsageError("index metric must be cosine or dot, not l2");
  return faiss::METRIC_INNER_PRODUCT;
}

// The divisor of dim nearest dim / 4 (sub-vectors of about 4 values), for PQ's m.
uint64_t default_subquantizers(size_t dim) {
  uint64_t best = 1;
  const double target = std::max(1.0, dim / 4.0);
  for (uint64_t m = 1; m <= dim; ++m)
    if (dim % m == 0 && std::fabs(double(m) - target) < std::fabs(double(best) - target)) best = m;
  return best;
}

// Fills in defaults and checks the values against the data's shape.
void complete_params(IndexType type, size_t rows, size_t dim, std::map<std::string, uint64_t>& p) {
  auto set_default = [&](const char* key, uint64_t value) { p.try_emplace(key, value); };
  const IndexParams defaults;
  if (type == IndexType::Hnsw) {
    // M=32 as FAISS's IndexHNSWFlat, ef_construction=200 as hnswlib (IndexParams). On 50k sgns-300
    // word vectors ef_search=64 gave recall@10 0.980 and 128 gave 0.993 (bench/run_hnsw.py).
    set_default("M", defaults.M);
    set_default("ef_construction", defaults.ef_construction);
    set_default("ef_search", defaults.ef_search);
  }
  if (type == IndexType::IvfPq || type == IndexType::Pq) {
    set_default("m", default_subquantizers(dim));
    set_default("nbits", defaults.nbits);
    if (dim % p["m"] != 0)
      throw UsageError(fmt::format("m={} must divide the dimension {}", p["m"], dim));
    if (p["nbits"] > 16) throw UsageError(fmt::format("nbits={} must be 1..16", p["nbits"]));
  }
  if (type == IndexType::IvfPq) {
    const uint64_t fitting = std::max<uint64_t>(1, rows / 39);
    set_default("nlist", std::clamp<uint64_t>(uint64_t(4 * std::sqrt(double(rows))), 1, fitting));
    set_default("nprobe", std::min<uint64_t>(defaults.nprobe, p["nlist"]));
    set_default("train", std::min<uint64_t>(rows, std::max<uint64_t>(64 * p["nlist"], 256 * 39)));
    if (p["nlist"] > rows)
      throw UsageError(fmt::format("nlist={} exceeds the {} vectors", p["nlist"], rows));
    p["train"] = std::min<uint64_t>(p["train"], rows);
    if (p["train"] < p["nlist"])
      throw UsageError(fmt::format("train={} is smaller than nlist={}", p["train"], p["nlist"]));
  }
  if (type != IndexType::Flat && rows == 0)
    throw UsageError(
        fmt::format("cannot build a {} index of an empty model", index_type_name(type)));
}

std::unique_ptr<faiss::Index> make_index(IndexType type, size_t dim,
                                         const std::map<std::string, uint64_t>& p, uint64_t seed) {
  const int d = static_cast<int>(dim);
  const auto metric = faiss::METRIC_INNER_PRODUCT;
  switch (type) {
    case IndexType::Flat:
      return std::make_unique<faiss::IndexFlatIP>(d);
    case IndexType::IvfPq: {
      auto index = std::make_unique<faiss::IndexIVFPQ>(
          new faiss::IndexFlatIP(d), dim, p.at("nlist"), p.at("m"), p.at("nbits"), metric);
      index->own_fields = true;
      index->nprobe = p.at("nprobe");
      index->cp.seed = static_cast<int>(seed);
      index->pq.cp.seed = static_cast<int>(seed + 1);
      return index;
    }
    case IndexType::Sq8:
      return std::make_unique<faiss::IndexScalarQuantizer>(d, faiss::ScalarQuantizer::QT_8bit,
                                                           metric);
    case IndexType::Pq: {
      auto index = std::make_unique<faiss::IndexPQ>(d, p.at("m"), p.at("nbits"), metric);
      index->pq.cp.seed = static_cast<int>(seed);
      return index;
    }
    case IndexType::Hnsw:
      break;  // an HnswGraph, not FAISS
  }
  throw UsageError("unknown index type");
}

// Rows [first, first + count) as a contiguous float block, unit length for cosine.
std::vector<float> gather_rows(const Matrix& vectors, const std::vector<size_t>& ids, size_t first,
                               size_t count, bool normalize) {
  const size_t dim = vectors.cols();
  std::vector<float> block(count * dim);
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < count; ++i) {
    const float* row = vectors.row(ids.empty() ? first + i : ids[first + i]);
    float* out = block.data() + i * dim;
    std::copy_n(row, dim, out);
    if (!normalize) continue;
    const double norm = std::sqrt(kernels::sum_squares(row, dim));
    if (norm > 0)
      for (size_t j = 0; j < dim; ++j) out[j] = static_cast<float>(out[j] / norm);
  }
  return block;
}

void train_index(faiss::Index& index, const Matrix& vectors, bool normalize, uint64_t sample,
                 uint64_t seed, ProgressLine& progress) {
  std::vector<size_t> ids(vectors.rows());
  std::iota(ids.begin(), ids.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(ids.begin(), ids.end(), rng);
  ids.resize(sample);
  std::sort(ids.begin(), ids.end());
  std::vector<float> block = gather_rows(vectors, ids, 0, ids.size(), normalize);
  progress.show(fmt::format("training on {} vectors...", format_count(double(sample))), true);
  auto start = std::chrono::steady_clock::now();
  index.train(static_cast<faiss::Index::idx_t>(sample), block.data());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.show(
      fmt::format("trained on {} vectors in {:.1f} s", format_count(double(sample)), seconds),
      true);
}

// Hands the rows to `add` in blocks of kAddChunk (unit length for cosine) with a progress line.
void add_rows(const Matrix& vectors, bool normalize, ProgressLine& progress,
              const std::function<void(const float* block, size_t first, size_t count)>& add) {
  const size_t rows = vectors.rows();
  auto start = std::chrono::steady_clock::now();
  for (size_t first = 0; first < rows; first += kAddChunk) {
    const size_t count = std::min(kAddChunk, rows - first);
    std::vector<float> block = gather_rows(vectors, {}, first, count, normalize);
    add(block.data(), first, count);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double rate = double(first + count) / std::max(seconds, 1e-9);
    progress.show(fmt::format("adding {:.0f}%  {}/s  ETA {}", 100.0 * (first + count) / rows,
                              format_count(rate),
                              format_duration(double(rows - first - count) / rate)));
  }
}

std::string faiss_error(const std::string& path, const faiss::FaissException& e) {
  // FAISS messages span lines ("Error in ... at file:line: what"); keep the last line's reason.
  std::string message = e.what();
  std::replace(message.begin(), message.end(), '\n', ' ');
  return path.empty() ? message : fmt::format("{}: {}", path, message);
}

}  // namespace

std::string_view index_type_name(IndexType type) {
  switch (type) {
    case IndexType::Flat:
      return "flat";
    case IndexType::Hnsw:
      return "hnsw";
    case IndexType::IvfPq:
      return "ivfpq";
    case IndexType::Sq8:
      return "sq8";
    case IndexType::Pq:
      return "pq";
  }
  return "flat";
}

IndexType parse_index_type(std::string_view name) {
  for (IndexType type :
       {IndexType::Flat, IndexType::Hnsw, IndexType::IvfPq, IndexType::Sq8, IndexType::Pq})
    if (name == index_type_name(type)) return type;
  throw UsageError(fmt::format("unknown index type '{}' (use flat, hnsw, ivfpq, sq8 or pq)", name));
}

std::map<std::string, uint64_t> parse_index_params(std::string_view text, IndexType type) {
  return index_params_from_text(text, type);
}

VectorIndex::VectorIndex() = default;
VectorIndex::~VectorIndex() = default;
VectorIndex::VectorIndex(VectorIndex&&) noexcept = default;
VectorIndex& VectorIndex::operator=(VectorIndex&&) noexcept = default;

VectorIndex VectorIndex::build(const KeyedVectors& vectors, const IndexBuildOptions& options,
                               const std::string& model_path) {
  faiss_metric(options.metric);
  VectorIndex result;
  result.type_ = options.type;
  result.metric_ = options.metric;
  result.dim_ = vectors.dim();
  result.model_path_ = model_path;
  result.params_ = parse_index_params(options.params, options.type);
  complete_params(options.type, vectors.size(), vectors.dim(), result.params_);
  if (vectors.size() > size_t(std::numeric_limits<uint32_t>::max()))
    throw UsageError(fmt::format("cannot index {} rows: ids are 32-bit", vectors.size()));
  result.vocab_ = vectors.vocab().head(vectors.size());
  const int threads = resolve_threads(options.threads);
  omp_set_num_threads(threads);
  ProgressLine progress(options.progress);
  const bool normalize = options.metric == Metric::Cosine;
  if (options.type == IndexType::Hnsw) {
    const auto& p = result.params_;
    result.hnsw_ = std::make_unique<HnswGraph>(HnswShape{vectors.size(), vectors.dim(), p.at("M")},
                                               p.at("ef_construction"), options.seed);
    result.hnsw_->set_ef_search(p.at("ef_search"));
    add_rows(vectors.vectors(), normalize, progress,
             [&](const float* block, size_t first, size_t count) {
               result.hnsw_->add(block, static_cast<uint32_t>(first), count, threads);
             });
    progress.finish();
    return result;
  }
  try {
    result.index_ = make_index(options.type, vectors.dim(), result.params_, options.seed);
    if (!result.index_->is_trained) {
      // PQ codebooks settle long before 64k samples; sq8 only needs every row's min and max.
      uint64_t sample = options.type == IndexType::IvfPq ? result.params_.at("train")
                        : options.type == IndexType::Pq  ? std::min<size_t>(vectors.size(), 65536)
                                                         : vectors.size();
      train_index(*result.index_, vectors.vectors(), normalize, sample, options.seed, progress);
    }
    add_rows(vectors.vectors(), normalize, progress, [&](const float* block, size_t, size_t count) {
      result.index_->add(static_cast<faiss::Index::idx_t>(count), block);
    });
    if (auto* ivf = dynamic_cast<faiss::IndexIVF*>(result.index_.get()))
      ivf->make_direct_map(true);  // so that reconstruct() finds a row's code
  } catch (const faiss::FaissException& e) {
    throw UsageError(faiss_error("", e));
  }
  progress.finish();
  return result;
}

void VectorIndex::set_search_params(std::string_view text) {
  for (const auto& [key, value] : parse_index_params(text, type_)) {
    if (key == "nprobe") {
      auto* ivf = dynamic_cast<faiss::IndexIVF*>(index_.get());
      ivf->nprobe = std::min<size_t>(value, ivf->nlist);
    } else if (key == "ef_search") {
      hnsw_->set_ef_search(value);
    } else {
      throw UsageError(
          fmt::format("'{}' is fixed when the index is built; at search time only "
                      "nprobe (ivfpq) and ef_search (hnsw) can change",
                      key));
    }
    params_[key] = value;
  }
}

std::vector<std::vector<Hit>> VectorIndex::search(const Matrix& queries, size_t k,
                                                  int threads) const {
  if (queries.cols() != dim_)
    throw UsageError(
        fmt::format("query has dimension {} but the index has {}", queries.cols(), dim_));
  std::vector<std::vector<Hit>> out(queries.rows());
  k = std::min(k, rows());
  if (k == 0 || queries.rows() == 0) return out;
  omp_set_num_threads(resolve_threads(threads));
  std::vector<float> block;
  std::vector<size_t> none;
  block = gather_rows(queries, none, 0, queries.rows(), metric_ == Metric::Cosine);
  if (hnsw_) return hnsw_->search(block.data(), queries.rows(), k, resolve_threads(threads));
  std::vector<float> distances(queries.rows() * k);
  std::vector<faiss::Index::idx_t> labels(queries.rows() * k);
  index_->search(static_cast<faiss::Index::idx_t>(queries.rows()), block.data(),
                 static_cast<faiss::Index::idx_t>(k), distances.data(), labels.data());
  for (size_t q = 0; q < queries.rows(); ++q) {
    for (size_t i = 0; i < k; ++i) {
      faiss::Index::idx_t label = labels[q * k + i];
      if (label < 0) continue;  // fewer than k reachable (small nprobe)
      out[q].push_back({static_cast<uint32_t>(label), distances[q * k + i]});
    }
  }
  return out;
}

std::vector<float> VectorIndex::reconstruct(uint32_t id) const {
  if (hnsw_) return hnsw_->vector(id);
  std::vector<float> vector(dim_);
  index_->reconstruct(static_cast<faiss::Index::idx_t>(id), vector.data());
  return vector;
}

// File layout (docs/formats.md, "Index files"):
//   u64 H | H bytes of JSON header | F bytes: faiss::write_index output, or G bytes: the hnswlib
//   graph | N words, each a u32 little-endian byte length followed by its UTF-8 bytes.
void VectorIndex::save(const std::string& path) const {
  std::string part;
  if (hnsw_) {
    part = hnsw_->serialize();
  } else {
    faiss::VectorIOWriter writer;
    try {
      faiss::write_index(index_.get(), &writer);
    } catch (const faiss::FaissException& e) {
      throw IoError(faiss_error(path, e));
    }
    part.assign(writer.data.begin(), writer.data.end());
  }
  std::string words;
  for (size_t i = 0; i < vocab_.size(); ++i) {
    std::string_view word = vocab_.word(i);
    uint32_t length = static_cast<uint32_t>(word.size());
    words.append(reinterpret_cast<const char*>(&length), 4);
    words.append(word);
  }
  nlohmann::ordered_json header = {{"format", kIndexFormat},
                                   {"version", hnsw_ ? kGraphIndexVersion : kIndexVersion}};
  if (hnsw_) header["backend"] = kGraphBackend;
  header["type"] = index_type_name(type_);
  header["metric"] = metric_ == Metric::Cosine ? "cosine" : "dot";
  header["rows"] = rows();
  header["dim"] = dim_;
  header["params"] = params_;
  header["model"] = model_path_;
  header[hnsw_ ? "graph_bytes" : "faiss_bytes"] = part.size();
  header["words_bytes"] = words.size();
  std::string json = header.dump();
  uint64_t length = json.size();
  AtomicFile file(path);
  file.write(&length, 8);
  file.write(json);
  file.write(part);
  file.write(words);
  file.commit();
}

VectorIndex VectorIndex::load(const std::string& path) {
  auto mapped = MappedFile::open(path, MappedFile::Access::Sequential);
  std::string_view bytes = mapped->bytes();
  auto fail = [&](std::string_view what) { return FormatError(path, what); };
  uint64_t length = 0;
  if (bytes.size() < 8) throw fail("not an embkit index (too short)");
  std::memcpy(&length, bytes.data(), 8);
  if (length > kMaxHeaderBytes || length > bytes.size() - 8)
    throw fail("not an embkit index (bad header length; truncated file?)");
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.substr(8, length));
  } catch (const nlohmann::json::exception&) {
    throw fail("not an embkit index (invalid JSON header)");
  }
  VectorIndex result;
  uint64_t part_bytes = 0, words_bytes = 0, rows = 0;
  bool graph = false;
  try {
    if (!header.is_object() || header.value("format", "") != kIndexFormat)
      throw fail(
          "not an embkit index (format is not \"embkit-index\"; build one with `embkit "
          "index build`)");
    const std::string version = header.value("version", "");
    graph = version == kGraphIndexVersion;
    if (!graph && version != kIndexVersion)
      throw fail(fmt::format("index version '{}' is not supported", version));
    result.type_ = parse_index_type(header.at("type").get<std::string>());
    result.metric_ = header.at("metric").get<std::string>() == "dot" ? Metric::Dot : Metric::Cosine;
    rows = header.at("rows").get<uint64_t>();
    result.dim_ = header.at("dim").get<size_t>();
    result.params_ = header.at("params").get<std::map<std::string, uint64_t>>();
    result.model_path_ = header.value("model", "");
    part_bytes = header.at(graph ? "graph_bytes" : "faiss_bytes").get<uint64_t>();
    words_bytes = header.at("words_bytes").get<uint64_t>();
    if (graph && (result.type_ != IndexType::Hnsw || header.value("backend", "") != kGraphBackend))
      throw fail(fmt::format("index version {} holds an hnsw graph of backend \"{}\"",
                             kGraphIndexVersion, kGraphBackend));
  } catch (const nlohmann::json::exception& e) {
    throw fail(fmt::format("bad index header: {}", e.what()));
  } catch (const UsageError& e) {
    throw fail(e.what());
  }
  if (!graph && result.type_ == IndexType::Hnsw)
    throw fail(
        "an hnsw index in the FAISS layout of earlier versions; rebuild it with `embkit index "
        "build --type hnsw`");
  const uint64_t rest = bytes.size() - 8 - length;
  if (part_bytes > rest || words_bytes != rest - part_bytes)
    throw fail(fmt::format("header declares {} + {} bytes but {} follow it (truncated file?)",
                           part_bytes, words_bytes, rest));
  std::string_view part = bytes.substr(8 + length, part_bytes);
  if (graph)
    result.load_graph(part, rows, path);
  else
    result.load_faiss(part, rows, path);
  result.read_words(bytes.substr(8 + length + part_bytes), rows, path);
  return result;
}

void VectorIndex::load_graph(std::string_view part, uint64_t rows, const std::string& path) {
  for (const char* key : {"M", "ef_construction", "ef_search"})
    if (!params_.count(key))
      throw FormatError(path, fmt::format("bad index header: params lack {}", key));
  if (dim_ == 0 || dim_ > part.size())
    throw FormatError(path, fmt::format("bad index header: dimension {}", dim_));
  hnsw_ = HnswGraph::parse(part, HnswShape{rows, dim_, params_.at("M")}, path);
  hnsw_->set_ef_search(params_.at("ef_search"));
}

// The FAISS class tag (fourcc) each index type is written with: anything else in the file is refused
// before FAISS parses it, so a forged file cannot steer read_index into a class embkit never writes.
static bool faiss_tag_matches(IndexType type, std::string_view part) {
  if (part.size() < 4) return false;
  std::string_view tag = part.substr(0, 4);
  switch (type) {
    case IndexType::Flat: return tag == "IxFI";
    case IndexType::Sq8: return tag == "IxSQ";
    case IndexType::Pq: return tag == "IxPq";
    case IndexType::IvfPq: return tag == "IwPQ" || tag == "IvPQ";
    case IndexType::Hnsw: return false;
  }
  return false;
}

void VectorIndex::load_faiss(std::string_view part, uint64_t rows, const std::string& path) {
  if (!faiss_tag_matches(type_, part))
    throw FormatError(path, fmt::format("the FAISS data is not a {} index", index_type_name(type_)));
  faiss::VectorIOReader reader;
  reader.data.assign(part.begin(), part.end());
  try {
    index_.reset(faiss::read_index(&reader));
  } catch (const faiss::FaissException& e) {
    throw FormatError(path, fmt::format("corrupt FAISS index data: {}", faiss_error("", e)));
  }
  if (size_t(index_->ntotal) != rows || size_t(index_->d) != dim_)
    throw FormatError(path,
                      fmt::format("FAISS index holds {} x {} vectors but the header says {} x {}",
                                  index_->ntotal, index_->d, rows, dim_));
}

void VectorIndex::read_words(std::string_view words, uint64_t rows, const std::string& path) {
  auto fail = [&](std::string_view what) { return FormatError(path, what); };
  size_t at = 0;
  for (uint64_t i = 0; i < rows; ++i) {
    uint32_t size = 0;
    if (words.size() - at < 4) throw fail(fmt::format("word {} is cut off", i + 1));
    std::memcpy(&size, words.data() + at, 4);
    at += 4;
    if (words.size() - at < size) throw fail(fmt::format("word {} is cut off", i + 1));
    if (!vocab_.add(words.substr(at, size)))
      throw fail(fmt::format("word {} is a duplicate", i + 1));
    at += size;
  }
  if (at != words.size()) throw fail("bytes left after the last word");
}

bool looks_like_index(std::string_view head) {
  uint64_t length = 0;
  if (head.size() < 8) return false;
  std::memcpy(&length, head.data(), 8);
  if (length > kMaxHeaderBytes) return false;
  // save() writes the format first, without spaces.
  const std::string prefix = fmt::format("{{\"format\":\"{}\"", kIndexFormat);
  return head.substr(8, std::min<uint64_t>(length, prefix.size())) == prefix;
}

}  // namespace embkit
