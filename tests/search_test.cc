#include "embkit/exact_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "embkit/error.h"
#include "kernels/isa.h"
#include "kernels/kernel_table.h"
#include "search/exact_search_kernels.h"

namespace embkit {
namespace {

using kernels::Isa;
using kernels::KernelTable;

std::vector<const KernelTable*> supported_tables() {
  std::vector<const KernelTable*> tables;
  for (Isa isa : {Isa::Generic, Isa::Avx2, Isa::Avx512})
    if (kernels::isa_supported(isa)) tables.push_back(&kernels::kernel_table(isa));
  return tables;
}

// Small integers keep every float sum exact, so results must equal a brute-force sort bit for bit,
// including the many ties (ordered by id).
Matrix integer_matrix(size_t rows, size_t cols, unsigned seed, int range = 3) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> value(-range, range);
  Matrix m(rows, cols);
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < cols; ++j) m.mutable_row(i)[j] = float(value(rng));
  return m;
}

Matrix random_matrix(size_t rows, size_t cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  Matrix m(rows, cols);
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < cols; ++j) m.mutable_row(i)[j] = normal(rng);
  return m;
}

Matrix first_rows(const Matrix& m, size_t count) {
  Matrix out(count, m.cols());
  for (size_t i = 0; i < count; ++i) std::copy_n(m.row(i), m.cols(), out.mutable_row(i));
  return out;
}

double exact_dot(const float* a, const float* b, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += double(a[i]) * b[i];
  return s;
}

double exact_l2(const float* a, const float* b, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
  return s;
}

// Brute force: every row scored in double, sorted by score (descending for inner product,
// ascending for L2), ties by id, cut to k.
std::vector<Hit> brute_force(const Matrix& base, const float* query, size_t rows, size_t k,
                             bool l2) {
  std::vector<std::pair<double, uint32_t>> all;
  for (size_t i = 0; i < rows; ++i) {
    double s = l2 ? exact_l2(base.row(i), query, base.cols())
                  : -exact_dot(base.row(i), query, base.cols());
    all.push_back({s, uint32_t(i)});
  }
  std::sort(all.begin(), all.end());
  std::vector<Hit> hits;
  for (size_t i = 0; i < std::min(k, all.size()); ++i)
    hits.push_back({all[i].second, float(l2 ? all[i].first : -all[i].first)});
  return hits;
}

void expect_same_hits(const std::vector<Hit>& got, const std::vector<Hit>& want,
                      const std::string& where) {
  ASSERT_EQ(got.size(), want.size()) << where;
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, want[i].id) << where << " rank " << i;
    EXPECT_EQ(got[i].score, want[i].score) << where << " rank " << i;
  }
}

TEST(Search, HandComputedInnerProductAndL2) {
  Matrix base(4, 2);
  const float rows[4][2] = {{1, 0}, {0, 1}, {1, 1}, {-1, 0}};
  for (size_t i = 0; i < 4; ++i) std::copy_n(rows[i], 2, base.mutable_row(i));
  const float query[2] = {1, 2};
  SearchOptions options;
  options.k = 2;
  std::vector<Hit> ip = top_k_inner_product(base, std::span<const float>(query, 2), options);
  expect_same_hits(ip, {{2, 3.0f}, {1, 2.0f}}, "inner product");

  Matrix queries(1, 2);
  queries.mutable_row(0)[0] = 1;
  queries.mutable_row(0)[1] = 1;
  options.k = 3;
  auto l2 = top_k_l2(base, queries, options);
  ASSERT_EQ(l2.size(), 1u);
  // distances 1, 1, 0, 5: the tie between rows 0 and 1 is ordered by id
  expect_same_hits(l2[0], {{2, 0.0f}, {0, 1.0f}, {1, 1.0f}}, "l2");
}

TEST(Search, BatchesOfEverySizeEqualBruteForceAtEveryLevel) {
  // 1,003 rows of width 37 (neither a multiple of any tile nor of a vector), values in -3..3:
  // scores are small integers with many ties.
  Matrix base = integer_matrix(1003, 37, 1);
  Matrix all_queries = integer_matrix(100, 37, 2);
  const size_t ks[] = {1, 10, 64}, restricted[] = {0, 41};
  // reference[restrict][k][query]
  std::vector<Hit> reference[2][3][100];
  for (size_t r = 0; r < 2; ++r)
    for (size_t j = 0; j < 3; ++j)
      for (size_t q = 0; q < 100; ++q)
        reference[r][j][q] = brute_force(base, all_queries.row(q),
                                         restricted[r] ? restricted[r] : 1003, ks[j], false);
  for (const KernelTable* table : supported_tables()) {
    for (size_t batch : {1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 47, 64, 65, 100}) {
      Matrix queries = first_rows(all_queries, batch);
      for (size_t j = 0; j < 3; ++j) {
        for (size_t r = 0; r < 2; ++r) {
          for (int threads : {1, 2, 3}) {
            SearchOptions options{ks[j], restricted[r], threads};
            auto hits = exact_search::top_k_inner_product(*table, base, queries, options);
            ASSERT_EQ(hits.size(), batch);
            for (size_t q = 0; q < batch; ++q) {
              std::string where = std::string(kernels::isa_label(table->isa)) + " batch " +
                                  std::to_string(batch) + " k " + std::to_string(ks[j]) +
                                  " restrict " + std::to_string(restricted[r]) + " threads " +
                                  std::to_string(threads) + " query " + std::to_string(q);
              expect_same_hits(hits[q], reference[r][j][q], where);
            }
          }
        }
      }
    }
  }
}

TEST(Search, ManyBlocksAndThreadCountsEqualBruteForce) {
  // Width 300 makes blocks of a few hundred rows, so 5,000 rows span many blocks and threads
  // take blocks (and, with few blocks per thread, groups of query panels) in any order.
  Matrix base = integer_matrix(5000, 300, 3, 1);
  Matrix queries = integer_matrix(70, 300, 4, 1);
  std::vector<std::vector<Hit>> want_ip, want_l2;
  for (size_t q = 0; q < queries.rows(); ++q) {
    want_ip.push_back(brute_force(base, queries.row(q), base.rows(), 10, false));
    want_l2.push_back(brute_force(base, queries.row(q), base.rows(), 10, true));
  }
  for (const KernelTable* table : supported_tables()) {
    for (int threads : {1, 2, 3}) {
      SearchOptions options{10, 0, threads};
      auto ip = exact_search::top_k_inner_product(*table, base, queries, options);
      auto l2 = exact_search::top_k_l2(*table, base, queries, options);
      for (size_t q = 0; q < queries.rows(); ++q) {
        std::string where = std::string(kernels::isa_label(table->isa)) + " threads " +
                            std::to_string(threads) + " query " + std::to_string(q);
        expect_same_hits(ip[q], want_ip[q], "ip " + where);
        expect_same_hits(l2[q], want_l2[q], "l2 " + where);
      }
    }
  }
}

TEST(Search, SingleQueryEqualsBruteForceAndBatchOfOne) {
  Matrix base = integer_matrix(9000, 19, 5);  // several single-query blocks
  Matrix queries = integer_matrix(6, 19, 6);
  const size_t ks[] = {1, 5, 100}, restricted[] = {0, 4100};
  for (size_t j = 0; j < 3; ++j) {
    for (size_t r = 0; r < 2; ++r) {
      size_t rows = restricted[r] ? restricted[r] : base.rows();
      for (size_t q = 0; q < queries.rows(); ++q) {
        std::vector<Hit> want = brute_force(base, queries.row(q), rows, ks[j], false);
        for (const KernelTable* table : supported_tables()) {
          for (int threads : {1, 2, 3}) {
            SearchOptions options{ks[j], restricted[r], threads};
            std::string where = std::string(kernels::isa_label(table->isa)) + " k " +
                                std::to_string(ks[j]) + " rows " + std::to_string(rows) +
                                " threads " + std::to_string(threads);
            auto one =
                exact_search::top_k_inner_product(*table, base, queries.row_span(q), options);
            expect_same_hits(one, want, where);
            if (q == 0) {
              auto batch =
                  exact_search::top_k_inner_product(*table, base, first_rows(queries, 1), options);
              expect_same_hits(batch[0], one, where + " batch of one");
            }
          }
        }
      }
    }
  }
}

TEST(Search, ScaledInnerProductEqualsBruteForceOfScaledRows) {
  // Powers of two (and 0) times small integer sums stay exact, so ties must still go by id.
  Matrix base = integer_matrix(9000, 19, 11);
  Matrix queries = integer_matrix(3, 19, 12);
  const float powers[] = {0.5f, 1.0f, 2.0f, 0.25f, 0.0f};
  std::vector<float> scales(base.rows());
  Matrix scaled(base.rows(), base.cols());
  for (size_t i = 0; i < base.rows(); ++i) {
    scales[i] = powers[i % 5];
    for (size_t j = 0; j < base.cols(); ++j) scaled.mutable_row(i)[j] = base.row(i)[j] * scales[i];
  }
  for (size_t restricted : {size_t{0}, size_t{4100}}) {
    for (size_t q = 0; q < queries.rows(); ++q) {
      std::vector<Hit> want = brute_force(scaled, queries.row(q), restricted ? restricted : 9000,
                                          7, false);
      for (const KernelTable* table : supported_tables()) {
        for (int threads : {1, 2}) {
          SearchOptions options{7, restricted, threads};
          expect_same_hits(exact_search::top_k_scaled_inner_product(*table, base, queries.row_span(q),
                                                                    scales, options),
                           want, std::string(kernels::isa_label(table->isa)));
        }
      }
    }
  }
  SearchOptions options;
  EXPECT_THROW(top_k_scaled_inner_product(base, queries.row_span(0),
                                          std::span<const float>(scales).first(10), options),
               UsageError);
}

TEST(Search, RandomDataResultsIdenticalForAnyThreadCount) {
  Matrix base = random_matrix(3001, 300, 7);
  Matrix queries = random_matrix(45, 300, 8);
  for (const KernelTable* table : supported_tables()) {
    SearchOptions options{16, 0, 1};
    auto ip1 = exact_search::top_k_inner_product(*table, base, queries, options);
    auto l21 = exact_search::top_k_l2(*table, base, queries, options);
    auto single1 = exact_search::top_k_inner_product(*table, base, queries.row_span(0), options);
    for (size_t q = 0; q < queries.rows(); ++q) {
      // float scores agree with the double brute force to rounding, in a consistent order
      auto want = brute_force(base, queries.row(q), base.rows(), 16, false);
      for (size_t i = 0; i < 16; ++i) {
        EXPECT_NEAR(ip1[q][i].score, exact_dot(base.row(ip1[q][i].id), queries.row(q), 300), 1e-3);
        EXPECT_NEAR(ip1[q][i].score, want[i].score, 1e-3);
        if (i > 0) {
          EXPECT_GE(ip1[q][i - 1].score, ip1[q][i].score);
        }
      }
      auto want_l2 = brute_force(base, queries.row(q), base.rows(), 16, true);
      for (size_t i = 0; i < 16; ++i) EXPECT_NEAR(l21[q][i].score, want_l2[i].score, 1e-2);
    }
    for (int threads : {2, 3, 0}) {
      options.threads = threads;
      auto ip = exact_search::top_k_inner_product(*table, base, queries, options);
      auto l2 = exact_search::top_k_l2(*table, base, queries, options);
      for (size_t q = 0; q < queries.rows(); ++q) {
        expect_same_hits(ip[q], ip1[q], "ip threads " + std::to_string(threads));
        expect_same_hits(l2[q], l21[q], "l2 threads " + std::to_string(threads));
      }
      expect_same_hits(
          exact_search::top_k_inner_product(*table, base, queries.row_span(0), options), single1,
          "single threads " + std::to_string(threads));
    }
  }
}

TEST(Search, BorrowedUnpaddedRowsAreSearchedInPlace) {
  // stride == width == 37: rows start at unaligned addresses
  Matrix owned = integer_matrix(500, 37, 9);
  std::vector<float> packed(500 * 37);
  for (size_t i = 0; i < 500; ++i) std::copy_n(owned.row(i), 37, packed.data() + i * 37);
  Matrix borrowed = Matrix::borrow(packed.data(), 500, 37, 37, nullptr);
  Matrix queries = integer_matrix(20, 37, 10);
  SearchOptions options{7, 0, 2};
  auto got = top_k_inner_product(borrowed, queries, options);
  auto got_l2 = top_k_l2(borrowed, queries, options);
  for (size_t q = 0; q < queries.rows(); ++q) {
    expect_same_hits(got[q], brute_force(owned, queries.row(q), 500, 7, false), "ip");
    expect_same_hits(got_l2[q], brute_force(owned, queries.row(q), 500, 7, true), "l2");
  }
}

TEST(Search, EdgeCases) {
  Matrix base = integer_matrix(5, 8, 11);
  Matrix queries = integer_matrix(3, 8, 12);
  SearchOptions options;
  options.k = 0;
  auto none = top_k_inner_product(base, queries, options);
  ASSERT_EQ(none.size(), 3u);
  for (auto& hits : none) EXPECT_TRUE(hits.empty());
  EXPECT_TRUE(top_k_inner_product(base, queries.row_span(0), options).empty());

  options.k = 10;  // more than the 5 rows: every row, in order
  auto all = top_k_inner_product(base, queries, options);
  for (size_t q = 0; q < 3; ++q)
    expect_same_hits(all[q], brute_force(base, queries.row(q), 5, 5, false), "k > rows");
  auto all_l2 = top_k_l2(base, queries, options);
  for (size_t q = 0; q < 3; ++q) EXPECT_EQ(all_l2[q].size(), 5u);
  options.k = size_t{1} << 40;  // far more than rows: no memory is reserved for absent hits
  EXPECT_EQ(top_k_inner_product(base, queries, options)[2].size(), 5u);
  EXPECT_EQ(top_k_inner_product(base, queries.row_span(2), options).size(), 5u);
  EXPECT_EQ(top_k_l2(base, queries, options)[0].size(), 5u);
  options.restrict_rows = 100;  // more than there are: all rows
  EXPECT_EQ(top_k_inner_product(base, queries.row_span(1), options).size(), 5u);

  Matrix empty(0, 8);
  options.restrict_rows = 0;
  auto from_empty = top_k_inner_product(empty, queries, options);
  ASSERT_EQ(from_empty.size(), 3u);
  EXPECT_TRUE(from_empty[0].empty());
  EXPECT_TRUE(top_k_l2(empty, queries, options)[2].empty());
  EXPECT_TRUE(top_k_inner_product(empty, queries.row_span(0), options).empty());
  EXPECT_TRUE(top_k_inner_product(base, Matrix(0, 8), options).empty());

  // width 0: every score is 0, so the order is by id
  Matrix flat(4, 0);
  auto zero = top_k_inner_product(flat, Matrix(2, 0), options);
  expect_same_hits(zero[1], {{0, 0.0f}, {1, 0.0f}, {2, 0.0f}, {3, 0.0f}}, "width 0");
}

TEST(Search, ErrorsAreUsageErrors) {
  Matrix base = integer_matrix(5, 8, 13);
  Matrix queries = integer_matrix(2, 7, 14);
  SearchOptions options;
  try {
    top_k_inner_product(base, queries, options);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "query has dimension 7 but the vectors have 8");
  }
  EXPECT_THROW(top_k_l2(base, queries, options), UsageError);
  EXPECT_THROW(top_k_inner_product(base, queries.row_span(0), options), UsageError);
  std::vector<float> out(10);
  EXPECT_THROW(inner_products(base, queries.row_span(0), 5, out.data()), UsageError);
  Matrix good = integer_matrix(1, 8, 15);
  try {
    inner_products(base, good.row_span(0), 6, out.data());
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "asked for 6 inner products but there are 5 rows");
  }
  options.threads = -1;
  try {
    top_k_inner_product(base, good, options);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "threads must be 0 (all cores) or more, got -1");
  }
}

TEST(Search, InnerProductsMatchReferenceInParallel) {
  Matrix base = random_matrix(10000, 50, 16);
  Matrix query = random_matrix(1, 50, 17);
  std::vector<float> one(9999), two(9999);
  inner_products(base, query.row_span(0), 9999, one.data(), 1);
  inner_products(base, query.row_span(0), 9999, two.data(), 2);
  EXPECT_EQ(one, two);
  for (size_t i = 0; i < 9999; i += 101)
    EXPECT_NEAR(one[i], exact_dot(base.row(i), query.row(0), 50), 1e-4);
}

}  // namespace
}  // namespace embkit
