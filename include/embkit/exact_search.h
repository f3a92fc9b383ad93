// Exact top-k search over the rows of a matrix. The batched path blocks queries and base rows for the
// caches (GEMM-style: a block of queries against a block of rows held in L2) and splits work across
// threads; kernels are picked at run time for AVX-512, AVX2 or portable code (see kernels.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "embkit/matrix.h"

namespace embkit {

struct Hit {
  uint32_t id;
  float score;
};

enum class Metric { Cosine, Dot, L2 };

struct SearchOptions {
  size_t k = 10;
  size_t restrict_rows = 0;  // search only the first N rows (0 = all)
  int threads = 0;           // 0 = all cores
};

// For every query row: the k base rows with the largest inner product, best first; equal scores are
// ordered by id. Each result list has min(k, searched rows) hits. queries.cols() must equal
// base.cols() (UsageError otherwise).
std::vector<std::vector<Hit>> top_k_inner_product(const Matrix& base, const Matrix& queries,
                                                  const SearchOptions& options);
std::vector<Hit> top_k_inner_product(const Matrix& base, std::span<const float> query,
                                     const SearchOptions& options);

// One query with every row's inner product multiplied by row_scales[i] before ranking: cosine
// against rows that are not unit length (row_scales = KeyedVectors::inverse_norms()) in one pass over
// them, with no normalized copy of the base. row_scales must cover the searched rows.
std::vector<Hit> top_k_scaled_inner_product(const Matrix& base, std::span<const float> query,
                                            std::span<const float> row_scales,
                                            const SearchOptions& options);

// The same for the smallest squared L2 distances (score = squared distance, ascending).
std::vector<std::vector<Hit>> top_k_l2(const Matrix& base, const Matrix& queries,
                                       const SearchOptions& options);

// Inner products of one query with the first `rows` base rows, written to out[0..rows).
void inner_products(const Matrix& base, std::span<const float> query, size_t rows, float* out,
                    int threads = 0);

}  // namespace embkit
