// The SVD's loops (count/svd_kernels.h) compiled for AVX-512 (F, VL, BW, DQ) + FMA, with the
// half-precision product on 16-float vectors (vcvtph2ps), at most 128 columns at a time.
#if defined(__x86_64__)

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "count/svd_kernels.h"
#include "kernels/target_region.h"

EMBKIT_TARGET_BEGIN(EMBKIT_AVX512_FEATURES)

namespace embkit::count {
namespace {

#include "count/svd_kernels_impl.h"

// One output row over kVectors vectors of 16 floats.
template <size_t kVectors>
inline __attribute__((always_inline)) void half_row(uint64_t lo, uint64_t hi,
                                                    const uint32_t* __restrict columns,
                                                    const float* __restrict values,
                                                    const uint16_t* __restrict x, size_t width,
                                                    float* __restrict out) {
  __m512 acc[kVectors];
  for (size_t k = 0; k < kVectors; ++k) acc[k] = _mm512_setzero_ps();
  for (uint64_t e = lo; e < hi; ++e) {
    const __m512 v = _mm512_set1_ps(values[e]);
    const uint16_t* in = x + size_t{columns[e]} * width;
    for (size_t k = 0; k < kVectors; ++k) {
      const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + 16 * k));
      // The masked form: GCC 12 warns that the unmasked one reads an uninitialized register.
      acc[k] = _mm512_fmadd_ps(v, _mm512_maskz_cvtph_ps(0xffff, h), acc[k]);
    }
  }
  for (size_t k = 0; k < kVectors; ++k) _mm512_storeu_ps(out + 16 * k, acc[k]);
}

template <size_t kVectors>
void half_rows(const uint64_t* starts, const uint32_t* columns, const float* values,
               const uint16_t* x, size_t width, size_t offset, float* out, size_t out_stride,
               size_t begin, size_t end) {
  for (size_t r = begin; r < end; ++r)
    half_row<kVectors>(starts[r], starts[r + 1], columns, values, x + offset, width,
                       out + r * out_stride + offset);
}

}  // namespace

const SvdKernelTable kAvx512SvdKernels = {kernels::Isa::Avx512,
                                          sparse_times_panel_kernel,
                                          gram_block_kernel,
                                          dense_times_small_kernel,
                                          16,
                                          {half_rows<1>, half_rows<2>, half_rows<3>, half_rows<4>,
                                           half_rows<5>, half_rows<6>, half_rows<7>, half_rows<8>}};

}  // namespace embkit::count

EMBKIT_TARGET_END

#endif  // __x86_64__
