// Reference (scalar) exact search; to be replaced by the blocked SIMD implementation.
#include <algorithm>

#include <fmt/format.h>

#include "embkit/error.h"
#include "embkit/search.h"

namespace embkit {
namespace {
bool better(const Hit& a, const Hit& b) { return a.score > b.score || (a.score == b.score && a.id < b.id); }
}  // namespace

void inner_products(const Matrix& base, std::span<const float> query, size_t rows, float* out, int) {
  for (size_t i = 0; i < rows; ++i) {
    const float* r = base.row(i);
    float s = 0;
    for (size_t j = 0; j < base.cols(); ++j) s += r[j] * query[j];
    out[i] = s;
  }
}

std::vector<Hit> top_k_inner_product(const Matrix& base, std::span<const float> query,
                                     const SearchOptions& options) {
  if (query.size() != base.cols())
    throw UsageError(fmt::format("query has dimension {} but the vectors have {}", query.size(), base.cols()));
  size_t rows = options.restrict_rows ? std::min(options.restrict_rows, base.rows()) : base.rows();
  std::vector<float> scores(rows);
  inner_products(base, query, rows, scores.data());
  std::vector<Hit> hits(rows);
  for (size_t i = 0; i < rows; ++i) hits[i] = {uint32_t(i), scores[i]};
  size_t k = std::min(options.k, rows);
  std::partial_sort(hits.begin(), hits.begin() + k, hits.end(), better);
  hits.resize(k);
  return hits;
}

std::vector<std::vector<Hit>> top_k_inner_product(const Matrix& base, const Matrix& queries,
                                                  const SearchOptions& options) {
  std::vector<std::vector<Hit>> out(queries.rows());
  for (size_t q = 0; q < queries.rows(); ++q) out[q] = top_k_inner_product(base, queries.row_span(q), options);
  return out;
}

std::vector<std::vector<Hit>> top_k_l2(const Matrix& base, const Matrix& queries, const SearchOptions& options) {
  size_t rows = options.restrict_rows ? std::min(options.restrict_rows, base.rows()) : base.rows();
  std::vector<std::vector<Hit>> out(queries.rows());
  for (size_t q = 0; q < queries.rows(); ++q) {
    std::vector<Hit> hits(rows);
    for (size_t i = 0; i < rows; ++i) {
      float s = 0;
      for (size_t j = 0; j < base.cols(); ++j) {
        float d = base.row(i)[j] - queries.row(q)[j];
        s += d * d;
      }
      hits[i] = {uint32_t(i), -s};
    }
    size_t k = std::min(options.k, rows);
    std::partial_sort(hits.begin(), hits.begin() + k, hits.end(), better);
    hits.resize(k);
    for (auto& h : hits) h.score = -h.score;
    out[q] = std::move(hits);
  }
  return out;
}

}  // namespace embkit
