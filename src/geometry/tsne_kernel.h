// The hot loop of exact t-SNE (n^2 per iteration): one row of the gradient's sums, in float so that
// it vectorises 8 wide. Written once (tsne_kernel_impl.h), compiled for the portable level and for
// AVX2 (kernels/tsne_kernel_avx2.cc); the avx512 level uses the AVX2 row.
#pragma once

#include <cstddef>

#include "kernels/isa.h"

namespace embkit::tsne_detail {

struct RowSums {
  float z, ax, ay, rx, ry;
};

struct TsneKernelTable {
  kernels::Isa isa;
  // For point i at (xi, yi) and w_j = 1 / (1 + |y_i - y_j|^2): z = sum_j w_j, a = sum_j p_j w_j
  // (y_i - y_j), r = sum_j w_j^2 (y_i - y_j), over the n points of xs, ys.
  RowSums (*exact_row)(const float* p, const float* xs, const float* ys, float xi, float yi,
                       size_t n);
};

// The table of a level; the level must be supported (kernels::isa_supported).
const TsneKernelTable& tsne_kernel_table(kernels::Isa isa);

extern const TsneKernelTable kGenericTsneKernels;
#if defined(__x86_64__)
extern const TsneKernelTable kAvx2TsneKernels;
#endif

}  // namespace embkit::tsne_detail
