// The largest singular triplets of a sparse matrix: randomized range finding (Halko, Martinsson &
// Tropp 2011) or restarted Lanczos (Spectra) on A^T A.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "embkit/matrix.h"
#include "embkit/sparse.h"

namespace embkit {

enum class SvdMethod {
  Randomized,  // Halko, Martinsson & Tropp 2011: random range finder + power iterations
  Lanczos,     // Spectra's restarted Lanczos on A^T A
};

struct SvdOptions {
  size_t rank = 100;
  SvdMethod method = SvdMethod::Randomized;
  size_t oversample = 20;        // randomized: extra directions sampled
  size_t power_iterations = 5;   // randomized: subspace iterations (as scikit-learn's default n_iter)
  // randomized: the range-finding products read their dense side in half precision where the CPU
  // converts it in hardware (x86-64 with F16C); the final product is always float.
  bool half_precision_range = true;
  uint64_t seed = 1;
  int threads = 0;
};

struct TruncatedSvd {
  Matrix u;                    // rows x rank, left singular vectors
  std::vector<double> s;       // rank singular values, decreasing
  Matrix v;                    // cols x rank, right singular vectors
};

// The `rank` largest singular triplets of `a`. Throws UsageError when rank is 0 or exceeds
// min(rows, cols), Error when Lanczos does not converge.
TruncatedSvd truncated_svd(const SparseMatrix& a, const SvdOptions& options);

}  // namespace embkit
