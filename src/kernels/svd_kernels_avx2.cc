// The SVD's loops (count/svd_kernels.h) compiled for AVX2 + FMA, with the half-precision product
// on 8-float vectors (vcvtph2ps), at most 64 columns at a time.
#if defined(__x86_64__)

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "count/svd_kernels.h"
#include "kernels/target_region.h"

EMBKIT_TARGET_BEGIN(EMBKIT_AVX2_FEATURES)

namespace embkit::count {
namespace {

#include "count/svd_kernels_impl.h"

template <size_t kVectors>
void half_rows(const uint64_t* starts, const uint32_t* columns, const float* values,
               const uint16_t* x, size_t width, size_t offset, float* out, size_t out_stride,
               size_t begin, size_t end) {
  for (size_t r = begin; r < end; ++r) {
    __m256 acc[kVectors];
    for (size_t k = 0; k < kVectors; ++k) acc[k] = _mm256_setzero_ps();
    for (uint64_t e = starts[r]; e < starts[r + 1]; ++e) {
      const __m256 v = _mm256_set1_ps(values[e]);
      const uint16_t* in = x + size_t{columns[e]} * width + offset;
      for (size_t k = 0; k < kVectors; ++k) {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 8 * k));
        acc[k] = _mm256_fmadd_ps(v, _mm256_cvtph_ps(h), acc[k]);
      }
    }
    for (size_t k = 0; k < kVectors; ++k)
      _mm256_storeu_ps(out + r * out_stride + offset + 8 * k, acc[k]);
  }
}

}  // namespace

const SvdKernelTable kAvx2SvdKernels = {kernels::Isa::Avx2,
                                        sparse_times_panel_kernel,
                                        gram_block_kernel,
                                        dense_times_small_kernel,
                                        8,
                                        {half_rows<1>, half_rows<2>, half_rows<3>, half_rows<4>,
                                         half_rows<5>, half_rows<6>, half_rows<7>, half_rows<8>}};

}  // namespace embkit::count

EMBKIT_TARGET_END

#endif  // __x86_64__
