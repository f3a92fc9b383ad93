// Exact search on int8 codes (embkit/int8_search.h). The loop structure follows the float search
// (search/exact_search.cc): queries packed into panels, base rows cut into blocks that stay in L2
// while every panel streams past them, a register tile (int8_kernel_table.h) that only writes its
// scores out when one beats its query's current threshold, and threads that take (panel group,
// block) items from a shared counter and keep their own top-k lists, merged at the end. Integer dot
// products are exact and a thread meets rows in increasing id order, so results do not depend on
// the thread count or the instruction set.
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "core/threads.h"
#include "embkit/error.h"
#include "embkit/kernels.h"
#include "kernels/top_k.h"
#include "search/int8_search_impl.h"

namespace embkit {
namespace {

using kernels::Int8KernelTable;
using kernels::TopKLists;

// Bytes of codes per block of base rows: a quarter of a 1 MB L2, beside the query panels.
constexpr size_t kBlockBytes = 256 * 1024;
constexpr size_t kQueryChunk = 8192;
constexpr size_t kHitBudget = size_t{1} << 24;
constexpr float kInfinity = std::numeric_limits<float>::infinity();

// Queries quantized and packed in the panel layout of int8_kernel_table.h.
struct PackedQueries {
  size_t width = 0;   // queries per panel
  size_t groups = 0;  // dimension groups of 4
  size_t panels = 0;
  std::vector<int8_t> codes;
  std::vector<float> scales;  // per packed query; 0 for the padding lanes
  std::vector<float> unit;  // the float queries as searched (normalized for cosine), for re-ranking

  const int8_t* panel(size_t p) const { return codes.data() + p * groups * width * 4; }
};

// Quantizes query `q` (see the header) into `out` (dim codes) and returns its scale t.
float quantize_query(const float* query, size_t dim, const std::vector<float>& scales,
                     float* folded, int8_t* out) {
  float peak = 0;
  for (size_t j = 0; j < dim; ++j) {
    folded[j] = query[j] * scales[j];
    peak = std::max(peak, std::fabs(folded[j]));
  }
  const float t = peak > 0 ? peak / 127.0f : 1.0f;
  for (size_t j = 0; j < dim; ++j) out[j] = quantize_value(folded[j], t);
  return t;
}

PackedQueries pack_queries(const Int8Index& index, const Matrix& queries, size_t first,
                           size_t count, size_t width) {
  const size_t dim = index.dim();
  PackedQueries packed;
  packed.width = width;
  packed.groups = (dim + 3) / 4;
  packed.panels = (count + width - 1) / width;
  packed.codes.assign(packed.panels * packed.groups * width * 4, 0);
  packed.scales.assign(packed.panels * width, 0.0f);
  packed.unit.assign(count * dim, 0.0f);
  std::vector<float> folded(dim);
  std::vector<int8_t> codes(packed.groups * 4, 0);
  for (size_t i = 0; i < count; ++i) {
    const float* query = queries.row(first + i);
    float* unit = packed.unit.data() + i * dim;
    double norm =
        index.metric() == Metric::Cosine ? std::sqrt(kernels::sum_squares(query, dim)) : 1;
    const float inverse = norm > 0 ? static_cast<float>(1.0 / norm) : 0.0f;
    for (size_t j = 0; j < dim; ++j)
      unit[j] = index.metric() == Metric::Cosine ? query[j] * inverse : query[j];
    packed.scales[i] =
        quantize_query(unit, dim, index.codes().scales(), folded.data(), codes.data());
    int8_t* panel = packed.codes.data() + (i / width) * packed.groups * width * 4;
    const size_t lane = i % width;
    for (size_t g = 0; g < packed.groups; ++g)
      std::copy_n(codes.data() + 4 * g, 4, panel + (g * width + lane) * 4);
  }
  return packed;
}

struct Worker {
  TopKLists lists;
  std::vector<float> thresholds;  // per packed query, padding lanes at +infinity
  std::vector<float> tile_scores;
};

void search_block(const Int8KernelTable& kernels, const Int8Index& index,
                  const PackedQueries& packed, size_t count, size_t panel_begin, size_t panel_end,
                  size_t row_begin, size_t row_end, Worker& worker) {
  const int8_t* tile_rows[kernels::kInt8MaxTileRows];
  kernels::Int8Tile tile;
  tile.groups = packed.groups;
  tile.rows = tile_rows;
  tile.out = worker.tile_scores.data();
  const size_t width = packed.width;
  for (size_t p = panel_begin; p < panel_end; ++p) {
    const size_t first_query = p * width;
    const size_t queries = std::min(width, count - first_query);
    tile.panel = packed.panel(p);
    tile.query_scales = packed.scales.data() + first_query;
    tile.thresholds = worker.thresholds.data() + first_query;
    for (size_t first = row_begin; first < row_end; first += kernels.tile_rows) {
      const size_t rows = std::min(kernels.tile_rows, row_end - first);
      // A short tile repeats its first row; the extra scores are ignored.
      for (size_t r = 0; r < kernels.tile_rows; ++r)
        tile_rows[r] = index.codes().row(r < rows ? first + r : first);
      tile.row_sums = index.row_sums().data() + first;
      tile.row_scales = index.row_scales().data() + first;
      if (!kernels.score_tile(tile)) continue;
      for (size_t r = 0; r < rows; ++r) {
        const float* scores = worker.tile_scores.data() + r * width;
        for (size_t lane = 0; lane < queries; ++lane) {
          const size_t query = first_query + lane;
          if (scores[lane] > worker.thresholds[query]) {
            worker.lists.offer(query, {static_cast<uint32_t>(first + r), scores[lane]});
            worker.thresholds[query] = worker.lists.threshold(query);
          }
        }
      }
    }
  }
}

// The best `keep` rows by int8 score for queries [0, count) of `packed`.
std::vector<std::vector<Hit>> search_packed(const Int8KernelTable& kernels, const Int8Index& index,
                                            const PackedQueries& packed, size_t count, size_t keep,
                                            size_t threads) {
  const size_t rows = index.rows();
  const size_t block_rows =
      std::max<size_t>(
          1, kBlockBytes / std::max<size_t>(1, index.codes().stride()) / kernels.tile_rows) *
      kernels.tile_rows;
  const size_t blocks = (rows + block_rows - 1) / block_rows;
  size_t groups = 1;
  if (threads > 1 && blocks < 4 * threads)
    groups = std::min(packed.panels, (4 * threads + blocks - 1) / blocks);
  const size_t items = groups * blocks;
  const size_t team = std::max<size_t>(1, std::min(threads, items));

  std::vector<Worker> workers;
  workers.reserve(team);
  for (size_t t = 0; t < team; ++t) {
    Worker worker{TopKLists(count, keep),
                  std::vector<float>(packed.panels * packed.width, kInfinity),
                  std::vector<float>(kernels::kInt8MaxTileRows * kernels::kInt8MaxPanelWidth)};
    std::fill_n(worker.thresholds.begin(), count, -kInfinity);
    workers.push_back(std::move(worker));
  }
  std::atomic<size_t> next_item{0};
#pragma omp parallel num_threads(static_cast <int>(team))
  {
    Worker& worker = workers[static_cast<size_t>(omp_get_thread_num())];
    for (size_t item; (item = next_item.fetch_add(1)) < items;) {
      const size_t group = item / blocks, block = item % blocks;
      const size_t row_begin = block * block_rows;
      search_block(kernels, index, packed, count, group * packed.panels / groups,
                   (group + 1) * packed.panels / groups, row_begin,
                   std::min(rows, row_begin + block_rows), worker);
    }
  }
  std::vector<TopKLists> lists;
  for (Worker& worker : workers) lists.push_back(std::move(worker.lists));
  std::vector<std::vector<Hit>> out(count);
  std::vector<Hit> scratch;
  std::vector<std::span<const Hit>> parts;
  for (size_t q = 0; q < count; ++q) {
    parts.clear();
    for (const TopKLists& list : lists) parts.push_back(list.hits(q));
    kernels::merge_best(parts, keep, scratch, out[q]);
  }
  return out;
}

// Replaces the int8 scores of the candidates by exact float inner products; keeps the best k.
void rerank(const Matrix& float_base, const PackedQueries& packed, size_t dim, size_t k,
            std::vector<std::vector<Hit>>& candidates, size_t threads) {
#pragma omp parallel for num_threads(static_cast <int>(threads)) schedule(dynamic, 16)
  for (size_t q = 0; q < candidates.size(); ++q) {
    const float* query = packed.unit.data() + q * dim;
    for (Hit& hit : candidates[q]) hit.score = kernels::dot(query, float_base.row(hit.id), dim);
    std::sort(candidates[q].begin(), candidates[q].end(), kernels::ranks_before);
    if (candidates[q].size() > k) candidates[q].resize(k);
  }
}

// Without float rows: the candidates re-scored with the float query against their dequantized codes,
// sum_j q_j s_j c_ij times the row's scale (1 / |dequantized row| for cosine over stored codes).
// This removes the query's rounding error, the larger of the two int8 errors.
void rerank_from_codes(const Int8Index& index, const PackedQueries& packed, size_t k,
                       std::vector<std::vector<Hit>>& candidates, size_t threads) {
  const size_t dim = index.dim();
  const std::vector<float>& scales = index.codes().scales();
#pragma omp parallel for num_threads(static_cast <int>(threads)) schedule(dynamic, 16)
  for (size_t q = 0; q < candidates.size(); ++q) {
    std::vector<float> folded(dim);
    const float* query = packed.unit.data() + q * dim;
    for (size_t j = 0; j < dim; ++j) folded[j] = query[j] * scales[j];
    for (Hit& hit : candidates[q]) {
      const int8_t* codes = index.codes().row(hit.id);
      float sum = 0;
      for (size_t j = 0; j < dim; ++j) sum += folded[j] * static_cast<float>(codes[j]);
      hit.score = sum * index.row_scales()[hit.id];
    }
    std::sort(candidates[q].begin(), candidates[q].end(), kernels::ranks_before);
    if (candidates[q].size() > k) candidates[q].resize(k);
  }
}

}  // namespace

Int8Index Int8Index::build(const Matrix& base, Metric metric, int threads) {
  if (metric == Metric::L2) throw UsageError("int8 search supports cosine and dot, not l2");
  if (metric == Metric::Dot) return from_codes(quantize_int8(base, threads), metric, threads);
  // Cosine: quantize the unit rows, so a row's score needs no norm correction.
  Matrix unit(base.rows(), base.cols());
#pragma omp parallel for num_threads(resolve_threads(threads)) schedule(static)
  for (size_t i = 0; i < base.rows(); ++i) {
    const double norm = std::sqrt(kernels::sum_squares(base.row(i), base.cols()));
    const float inverse = norm > 0 ? static_cast<float>(1.0 / norm) : 0.0f;
    for (size_t j = 0; j < base.cols(); ++j) unit.mutable_row(i)[j] = base.row(i)[j] * inverse;
  }
  Int8Index index = from_codes(quantize_int8(unit, threads), Metric::Dot, threads);
  index.metric_ = Metric::Cosine;
  return index;
}

Int8Index Int8Index::from_codes(const Int8Matrix& codes, Metric metric, int threads) {
  if (metric == Metric::L2) throw UsageError("int8 search supports cosine and dot, not l2");
  const size_t rows = codes.rows(), dim = codes.cols();
  if (rows > std::numeric_limits<uint32_t>::max())
    throw UsageError(fmt::format("cannot search {} rows: ids are 32-bit", rows));
  Int8Index index;
  index.metric_ = metric;
  index.codes_ = Int8Matrix(rows, dim);  // padded copy: the kernels read whole groups of 4
  index.codes_.mutable_scales() = codes.scales();
  // Padded by a tile so that a short last tile may read past the end.
  index.row_sums_.assign(rows + kernels::kInt8MaxTileRows, 0);
  index.row_scales_.assign(rows + kernels::kInt8MaxTileRows, 1.0f);
  const std::vector<float>& scales = codes.scales();
#pragma omp parallel for num_threads(resolve_threads(threads)) schedule(static)
  for (size_t i = 0; i < rows; ++i) {
    const int8_t* row = codes.row(i);
    std::copy_n(row, dim, index.codes_.mutable_row(i));
    int32_t sum = 0;
    double squares = 0;
    for (size_t j = 0; j < dim; ++j) {
      sum += row[j];
      const double value = double(row[j]) * scales[j];
      squares += value * value;
    }
    index.row_sums_[i] = sum;
    if (metric == Metric::Cosine)
      index.row_scales_[i] = squares > 0 ? static_cast<float>(1.0 / std::sqrt(squares)) : 0.0f;
  }
  return index;
}

size_t Int8Index::memory_bytes() const {
  return codes_.memory_bytes() + row_sums_.size() * sizeof(int32_t) +
         row_scales_.size() * sizeof(float);
}

namespace int8_search {

std::vector<std::vector<Hit>> top_k(const Int8KernelTable& kernels, const Int8Index& index,
                                    const Matrix& queries, const Int8SearchOptions& options,
                                    const Matrix* float_base) {
  if (queries.cols() != index.dim())
    throw UsageError(
        fmt::format("query has dimension {} but the vectors have {}", queries.cols(), index.dim()));
  if (float_base && (float_base->rows() != index.rows() || float_base->cols() != index.dim()))
    throw UsageError(fmt::format("re-ranking vectors are {} x {} but the index is {} x {}",
                                 float_base->rows(), float_base->cols(), index.rows(),
                                 index.dim()));
  if (options.threads < 0)
    throw UsageError(fmt::format("threads must be 0 (all cores) or more, got {}", options.threads));
  const size_t threads = static_cast<size_t>(resolve_threads(options.threads));
  std::vector<std::vector<Hit>> out(queries.rows());
  const size_t k = std::min(options.k, index.rows());
  if (k == 0) return out;
  size_t keep = k;
  if (float_base)
    keep = std::min(index.rows(), std::max(k, options.rerank ? options.rerank : 4 * k));
  else if (options.rerank)
    keep = std::min(index.rows(), std::max(k, options.rerank));
  const size_t width = 2 * kernels.query_lanes;
  const size_t chunk = std::clamp<size_t>(kHitBudget / (keep * threads), width, kQueryChunk);
  for (size_t first = 0; first < queries.rows(); first += chunk) {
    const size_t count = std::min(chunk, queries.rows() - first);
    PackedQueries packed = pack_queries(index, queries, first, count, width);
    auto hits = search_packed(kernels, index, packed, count, keep, threads);
    if (float_base)
      rerank(*float_base, packed, index.dim(), k, hits, threads);
    else if (options.rerank)
      rerank_from_codes(index, packed, k, hits, threads);
    for (size_t q = 0; q < count; ++q) out[first + q] = std::move(hits[q]);
  }
  return out;
}

}  // namespace int8_search

std::vector<std::vector<Hit>> int8_top_k(const Int8Index& index, const Matrix& queries,
                                         const Int8SearchOptions& options,
                                         const Matrix* float_base) {
  return int8_search::top_k(kernels::active_int8_kernels(), index, queries, options, float_base);
}

}  // namespace embkit
