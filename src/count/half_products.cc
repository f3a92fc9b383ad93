#include "count/half_products.h"

#include <cassert>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace embkit::half_products {

#if defined(__x86_64__)
namespace {

// One output row over up to 128 columns (kVectors vectors of 16 floats), AVX-512.
template <size_t kVectors>
__attribute__((target("avx512f,avx512vl,f16c,fma"), always_inline)) inline void row_avx512(
    uint64_t lo, uint64_t hi, const uint32_t* __restrict columns, const float* __restrict values,
    const uint16_t* __restrict x, size_t width, float* __restrict out) {
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
__attribute__((target("avx512f,avx512vl,f16c,fma"))) void rows_avx512(
    const uint64_t* starts, const uint32_t* columns, const float* values, const uint16_t* x,
    size_t width, size_t offset, float* out, size_t out_stride, size_t begin, size_t end) {
  for (size_t r = begin; r < end; ++r)
    row_avx512<kVectors>(starts[r], starts[r + 1], columns, values, x + offset, width,
                         out + r * out_stride + offset);
}

// The same with 8-float vectors, at most 64 columns at a time.
template <size_t kVectors>
__attribute__((target("avx2,f16c,fma"))) void rows_avx2(const uint64_t* starts,
                                                         const uint32_t* columns,
                                                         const float* values, const uint16_t* x,
                                                         size_t width, size_t offset, float* out,
                                                         size_t out_stride, size_t begin,
                                                         size_t end) {
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
    for (size_t k = 0; k < kVectors; ++k) _mm256_storeu_ps(out + r * out_stride + offset + 8 * k, acc[k]);
  }
}

using RowsFunction = void (*)(const uint64_t*, const uint32_t*, const float*, const uint16_t*, size_t,
                              size_t, float*, size_t, size_t, size_t);

bool has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("f16c") && __builtin_cpu_supports("fma");
}

// The kernel for `vectors` 16-float (AVX-512) or 8-float (AVX2) vectors.
RowsFunction pick(bool avx512, size_t vectors) {
  static constexpr RowsFunction kAvx512[] = {rows_avx512<1>, rows_avx512<2>, rows_avx512<3>,
                                             rows_avx512<4>, rows_avx512<5>, rows_avx512<6>,
                                             rows_avx512<7>, rows_avx512<8>};
  static constexpr RowsFunction kAvx2[] = {rows_avx2<1>, rows_avx2<2>, rows_avx2<3>, rows_avx2<4>,
                                           rows_avx2<5>, rows_avx2<6>, rows_avx2<7>, rows_avx2<8>};
  assert(vectors >= 1 && vectors <= 8);
  return avx512 ? kAvx512[vectors - 1] : kAvx2[vectors - 1];
}

__attribute__((target("f16c,avx"))) void to_half_f16c(const float* x, size_t stride, size_t width,
                                                       size_t begin, size_t end, uint16_t* out) {
  for (size_t r = begin; r < end; ++r)
    for (size_t c = 0; c < width; c += 8) {
      const __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(x + r * stride + c), _MM_FROUND_TO_NEAREST_INT);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + r * width + c), h);
    }
}

}  // namespace

bool supported() {
  return (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c") &&
          __builtin_cpu_supports("fma")) ||
         has_avx512();
}

void to_half(const float* x, size_t stride, size_t width, size_t begin, size_t end, uint16_t* out) {
  assert(supported() && width % 16 == 0);
  to_half_f16c(x, stride, width, begin, end, out);
}

void sparse_times(const uint64_t* starts, const uint32_t* columns, const float* values,
                  const uint16_t* x, size_t width, float* out, size_t out_stride, size_t begin,
                  size_t end) {
  assert(supported() && width % 16 == 0);
  // Whole rows of X at once where the registers allow (one sweep over A), else slices of X.
  static const bool avx512 = has_avx512();
  const size_t lanes = avx512 ? 16 : 8, max_columns = 8 * lanes;
  for (size_t offset = 0; offset < width; offset += max_columns) {
    const size_t columns_now = width - offset < max_columns ? width - offset : max_columns;
    pick(avx512, columns_now / lanes)(starts, columns, values, x, width, offset, out, out_stride,
                                      begin, end);
  }
}

#else

bool supported() { return false; }
void to_half(const float*, size_t, size_t, size_t, size_t, uint16_t*) { assert(false); }
void sparse_times(const uint64_t*, const uint32_t*, const float*, const uint16_t*, size_t, float*,
                  size_t, size_t, size_t) {
  assert(false);
}

#endif

}  // namespace embkit::half_products
