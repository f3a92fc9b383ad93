// Exact search on int8 codes (embkit/int8_search.h): every instruction-set level against a scalar
// formula, bit for bit; recall on planted clusters; re-ranking against float exact search.
#include "embkit/int8_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "embkit/error.h"
#include "embkit/kernels.h"
#include "kernels/int8_kernel_table.h"
#include "kernels/top_k.h"
#include "search/int8_search_impl.h"

namespace embkit {
namespace {

using kernels::Int8Level;

Matrix gaussian(size_t rows, size_t dim, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, scale);
  Matrix m(rows, dim);
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < dim; ++j) m.mutable_row(i)[j] = normal(rng);
  return m;
}

// Points around `centers` random centres; queries are fresh points around the same centres.
Matrix clustered(size_t rows, size_t dim, size_t centers, uint32_t seed) {
  Matrix c = gaussian(centers, dim, seed);
  Matrix m = gaussian(rows, dim, seed + 1, 0.35f);
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < dim; ++j) m.mutable_row(i)[j] += c.row(i % centers)[j];
  return m;
}

// The score the header defines, computed the plain way: fold the scales into the query, quantize it
// with t = max|q'| / 127, integer dot with the row's codes, float(dot) * t * row_scale.
std::vector<Hit> reference_top_k(const Int8Index& index, const float* query, size_t k) {
  const size_t dim = index.dim();
  std::vector<float> unit(query, query + dim);
  if (index.metric() == Metric::Cosine) {
    double norm = std::sqrt(kernels::sum_squares(query, dim));
    for (float& v : unit) v = static_cast<float>(v * static_cast<float>(1.0 / norm));
  }
  std::vector<float> folded(dim);
  float peak = 0;
  for (size_t j = 0; j < dim; ++j) {
    folded[j] = unit[j] * index.codes().scales()[j];
    peak = std::max(peak, std::fabs(folded[j]));
  }
  const float t = peak > 0 ? peak / 127.0f : 1.0f;
  std::vector<Hit> all;
  for (size_t i = 0; i < index.rows(); ++i) {
    int32_t dot = 0;
    for (size_t j = 0; j < dim; ++j) dot += quantize_value(folded[j], t) * index.codes().row(i)[j];
    all.push_back({static_cast<uint32_t>(i), static_cast<float>(dot) * t * index.row_scales()[i]});
  }
  std::sort(all.begin(), all.end(), kernels::ranks_before);
  all.resize(std::min(k, all.size()));
  return all;
}

std::vector<Int8Level> supported_levels() {
  std::vector<Int8Level> levels;
  for (Int8Level level : {Int8Level::Generic, Int8Level::Avx2, Int8Level::Avx512Vnni})
    if (kernels::int8_level_supported(level)) levels.push_back(level);
  return levels;
}

void expect_same_hits(const std::vector<Hit>& expected, const std::vector<Hit>& actual,
                      const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(expected[i].id, actual[i].id) << what << " rank " << i;
    ASSERT_EQ(expected[i].score, actual[i].score) << what << " rank " << i;
  }
}

TEST(Int8Search, EveryLevelEqualsTheScalarFormulaBitForBit) {
  for (Metric metric : {Metric::Dot, Metric::Cosine}) {
    // Odd sizes: 37 dimensions (not a multiple of 4), 1,001 rows (short last tiles), 45 queries
    // (a partial panel at every width).
    Matrix base = gaussian(1001, 37, 11);
    Matrix queries = gaussian(45, 37, 12);
    Int8Index index = Int8Index::build(base, metric, 2);
    Int8SearchOptions options;
    options.k = 17;
    for (Int8Level level : supported_levels()) {
      for (int threads : {1, 2}) {
        options.threads = threads;
        auto results =
            int8_search::top_k(kernels::int8_kernel_table(level), index, queries, options, nullptr);
        ASSERT_EQ(results.size(), 45u);
        for (size_t q = 0; q < 45; ++q)
          expect_same_hits(reference_top_k(index, queries.row(q), 17), results[q],
                           std::string(kernels::int8_kernel_table(level).name) + " threads " +
                               std::to_string(threads) + " query " + std::to_string(q));
      }
    }
  }
  EXPECT_GE(supported_levels().size(), 1u);
}

TEST(Int8Search, ExtremeCodesDoNotOverflow) {
  // Every code +-127 in the row and the query: the largest sums the kernels meet (VNNI adds
  // 128 * sum of codes and subtracts it again).
  const size_t dim = 1024;
  Matrix base(3, dim), queries(1, dim);
  for (size_t j = 0; j < dim; ++j) {
    base.mutable_row(0)[j] = 1.0f;
    base.mutable_row(1)[j] = -1.0f;
    base.mutable_row(2)[j] = j % 2 ? 1.0f : -1.0f;
    queries.mutable_row(0)[j] = -1.0f;
  }
  Int8Index index = Int8Index::build(base, Metric::Dot, 1);
  Int8SearchOptions options;
  options.k = 3;
  for (Int8Level level : supported_levels()) {
    auto hits =
        int8_search::top_k(kernels::int8_kernel_table(level), index, queries, options, nullptr)[0];
    ASSERT_EQ(hits.size(), 3u);
    EXPECT_EQ(hits[0].id, 1u);
    EXPECT_FLOAT_EQ(hits[0].score, 1024.0f) << kernels::int8_kernel_table(level).name;
    EXPECT_EQ(hits[1].id, 2u);
    EXPECT_FLOAT_EQ(hits[1].score, 0.0f);
    EXPECT_FLOAT_EQ(hits[2].score, -1024.0f);
  }
}

double recall_at(const std::vector<std::vector<Hit>>& truth,
                 const std::vector<std::vector<Hit>>& found, size_t k) {
  size_t hit = 0;
  for (size_t q = 0; q < truth.size(); ++q) {
    std::set<uint32_t> expected;
    for (size_t i = 0; i < k; ++i) expected.insert(truth[q][i].id);
    for (size_t i = 0; i < std::min(k, found[q].size()); ++i) hit += expected.count(found[q][i].id);
  }
  return double(hit) / double(truth.size() * k);
}

Matrix unit_rows_of(const Matrix& m) {
  Matrix unit(m.rows(), m.cols());
  for (size_t i = 0; i < m.rows(); ++i) {
    double norm = std::sqrt(kernels::sum_squares(m.row(i), m.cols()));
    for (size_t j = 0; j < m.cols(); ++j)
      unit.mutable_row(i)[j] = static_cast<float>(m.row(i)[j] / norm);
  }
  return unit;
}

TEST(Int8Search, RecallOnPlantedClustersAndRerankEqualsFloatSearch) {
  Matrix base = clustered(20000, 64, 200, 5);
  Matrix queries = clustered(200, 64, 200, 9);
  Matrix unit = unit_rows_of(base);
  Matrix unit_queries = unit_rows_of(queries);
  SearchOptions exact;
  exact.k = 10;
  auto truth = top_k_inner_product(unit, unit_queries, exact);

  Int8Index index = Int8Index::build(base, Metric::Cosine, 2);
  Int8SearchOptions options;
  options.k = 10;
  auto approx = int8_top_k(index, queries, options);
  double plain = recall_at(truth, approx, 10);
  EXPECT_GT(plain, 0.9);

  auto reranked = int8_top_k(index, queries, options, &unit);
  double with_rerank = recall_at(truth, reranked, 10);
  EXPECT_GE(with_rerank, 0.995);
  EXPECT_GE(with_rerank, plain);
  size_t same = 0;
  for (size_t q = 0; q < truth.size(); ++q) {
    for (size_t i = 0; i < 10; ++i) {
      if (truth[q][i].id != reranked[q][i].id) continue;
      ++same;
      ASSERT_NEAR(truth[q][i].score, reranked[q][i].score, 1e-5f);
    }
  }
  EXPECT_GE(same, 1990u) << "re-ranked lists agree with float search rank by rank";
  // Memory: a byte per value (64 per row, already a multiple of 64) plus two words per row.
  EXPECT_LE(index.memory_bytes(), 20000u * (64 + 8) + 64 * 4 + 12 * 8);
}

TEST(Int8Search, CosineOverStoredCodesUsesDequantizedNorms) {
  // Rows with very different norms: without the norm correction the long rows would win.
  Matrix base = gaussian(500, 24, 21);
  for (size_t i = 0; i < base.rows(); i += 2)
    for (size_t j = 0; j < 24; ++j) base.mutable_row(i)[j] *= 20.0f;
  Matrix queries = gaussian(30, 24, 22);
  Int8Index index = Int8Index::from_codes(quantize_int8(base, 1), Metric::Cosine, 1);
  Int8SearchOptions options;
  options.k = 10;
  auto found = int8_top_k(index, queries, options);
  SearchOptions exact;
  exact.k = 10;
  auto truth = top_k_inner_product(unit_rows_of(base), unit_rows_of(queries), exact);
  EXPECT_GT(recall_at(truth, found, 10), 0.85);
  for (size_t q = 0; q < 30; ++q)
    expect_same_hits(reference_top_k(index, queries.row(q), 10), found[q], "stored codes");
}

TEST(Int8Search, RerankFromCodesScoresDequantizedCosines) {
  Matrix base = clustered(5000, 48, 100, 31);
  Matrix queries = clustered(100, 48, 100, 33);
  Int8Matrix codes = quantize_int8(base, 2);
  Int8Index index = Int8Index::from_codes(codes, Metric::Cosine, 2);
  // The truth: float search over the dequantized rows, the best any search of these codes can do.
  Matrix dequantized = unit_rows_of(dequantize(codes, 2));
  SearchOptions exact;
  exact.k = 10;
  auto truth = top_k_inner_product(dequantized, unit_rows_of(queries), exact);
  Int8SearchOptions options;
  options.k = 10;
  const double plain = recall_at(truth, int8_top_k(index, queries, options), 10);
  options.rerank = 40;
  auto reranked = int8_top_k(index, queries, options);
  const double with_rerank = recall_at(truth, reranked, 10);
  EXPECT_GE(with_rerank, plain);
  EXPECT_GE(with_rerank, 0.995);
  for (size_t q = 0; q < truth.size(); ++q) {
    ASSERT_EQ(reranked[q].size(), 10u);
    for (size_t i = 0; i < 10; ++i) {
      if (truth[q][i].id == reranked[q][i].id) {
        ASSERT_NEAR(truth[q][i].score, reranked[q][i].score, 1e-5f);
      }
    }
  }
}

TEST(Int8Search, Errors) {
  Matrix base = gaussian(10, 8, 1);
  EXPECT_THROW(Int8Index::build(base, Metric::L2), UsageError);
  Int8Index index = Int8Index::build(base, Metric::Dot);
  Int8SearchOptions options;
  EXPECT_THROW(int8_top_k(index, gaussian(2, 7, 1), options), UsageError);
  Matrix wrong = gaussian(9, 8, 1);
  EXPECT_THROW(int8_top_k(index, gaussian(2, 8, 1), options, &wrong), UsageError);
  options.k = 50;  // k > rows: every row once
  auto all = int8_top_k(index, gaussian(1, 8, 2), options);
  EXPECT_EQ(all[0].size(), 10u);
  options.k = 0;
  EXPECT_TRUE(int8_top_k(index, gaussian(1, 8, 2), options)[0].empty());
}

}  // namespace
}  // namespace embkit
