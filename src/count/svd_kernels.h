// The hot loops of the randomized truncated SVD (truncated_svd.cc), one table per instruction-set
// level (the float loops are written once in svd_kernels_impl.h; the half-precision products are
// written per SIMD level in kernels/svd_kernels_avx2.cc and kernels/svd_kernels_avx512.cc).
//
// Half-precision products: the power iterations only need a basis of the right span, so their
// sparse x dense products can read X rounded to 11 significant bits (a relative error of at most
// 2^-11 per entry, accumulated in float); halving the bytes gathered per non-zero entry is what
// makes them faster, because each entry of A fetches a whole row of X from a random place. The
// final Rayleigh-Ritz product stays in float. The portable level has no half products (half_lanes
// == 0); callers use the float product there.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/isa.h"

namespace embkit::count {

inline constexpr size_t kSvdPanel = 64;  // columns of X per pass over A in the float product

// Rows [begin, end) of A X for a CSR matrix A and X in half precision (`width` halves per row), the
// `half_lanes * vectors` columns from `offset` on: out row r, `out_stride` floats apart.
using HalfRowsKernel = void (*)(const uint64_t* starts, const uint32_t* columns,
                                const float* values, const uint16_t* x, size_t width, size_t offset,
                                float* out, size_t out_stride, size_t begin, size_t end);

struct SvdKernelTable {
  kernels::Isa isa;
  // Rows [begin, end) of one column panel of A X for a CSR matrix A: `panel` holds that panel of
  // X, `panel_width` floats per row (16, 32, 48 or 64); out points at the panel's first column in
  // a block `width` floats wide.
  void (*sparse_times_panel)(const uint64_t* starts, const uint32_t* columns, const float* values,
                             const float* panel, size_t panel_width, float* out, size_t width,
                             size_t begin, size_t end);
  // g (round_up(l, 4) x width, row-major; the upper triangle, in 4 x 8 tiles) += Y^T Y for `rows`
  // rows of yd, a block converted to double (width doubles per row; the zero padding covers reads
  // past column l).
  void (*gram_block)(const double* yd, size_t rows, size_t width, size_t l, double* g);
  // Rows [begin, end) of Y M: y is `width` floats wide with l columns used, m is l x out_width and
  // out out_width floats wide (multiples of 16).
  void (*dense_times_small)(const float* y, size_t width, size_t l, const float* m,
                            size_t out_width, float* out, size_t begin, size_t end);
  size_t half_lanes;            // floats per vector register; 0: no half products at this level
  HalfRowsKernel half_rows[8];  // [k - 1]: k vectors of half_lanes columns
};

// The table of a level; the level must be supported (kernels::isa_supported).
const SvdKernelTable& svd_kernel_table(kernels::Isa isa);

// Rows [begin, end) of A X with X in half precision (`width` halves per row, a multiple of 16): out
// row r, `out_stride` floats apart, gets its first `width` floats. table.half_lanes must not be 0.
void sparse_times_half(const SvdKernelTable& table, const uint64_t* starts, const uint32_t* columns,
                       const float* values, const uint16_t* x, size_t width, float* out,
                       size_t out_stride, size_t begin, size_t end);

extern const SvdKernelTable kGenericSvdKernels;
#if defined(__x86_64__)
extern const SvdKernelTable kAvx2SvdKernels;
extern const SvdKernelTable kAvx512SvdKernels;
#endif

}  // namespace embkit::count
