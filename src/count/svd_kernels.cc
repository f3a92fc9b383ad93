// The SVD's float loops at the portable level, the choice of a level's table, and the slicing of
// the half-precision product into register-sized column groups (see svd_kernels.h).
#include "count/svd_kernels.h"

#include <cassert>
#include <cstdint>
#include <cstring>

namespace embkit::count {
namespace {

#include "count/svd_kernels_impl.h"

}  // namespace

const SvdKernelTable kGenericSvdKernels = {kernels::Isa::Generic,
                                           sparse_times_panel_kernel,
                                           gram_block_kernel,
                                           dense_times_small_kernel,
                                           0,
                                           {}};

const SvdKernelTable& svd_kernel_table(kernels::Isa isa) {
#if defined(__x86_64__)
  if (isa == kernels::Isa::Avx512) return kAvx512SvdKernels;
  if (isa == kernels::Isa::Avx2) return kAvx2SvdKernels;
#endif
  (void)isa;
  return kGenericSvdKernels;
}

void sparse_times_half(const SvdKernelTable& table, const uint64_t* starts, const uint32_t* columns,
                       const float* values, const uint16_t* x, size_t width, float* out,
                       size_t out_stride, size_t begin, size_t end) {
  assert(table.half_lanes > 0 && width % 16 == 0);
  // Whole rows of X at once where the registers allow (one sweep over A), else slices of X.
  const size_t lanes = table.half_lanes, max_columns = 8 * lanes;
  for (size_t offset = 0; offset < width; offset += max_columns) {
    const size_t columns_now = width - offset < max_columns ? width - offset : max_columns;
    table.half_rows[columns_now / lanes - 1](starts, columns, values, x, width, offset, out,
                                             out_stride, begin, end);
  }
}

}  // namespace embkit::count
