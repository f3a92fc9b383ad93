// The kernels compiled for AVX2 with FMA: 8 floats per register, 16 registers, so the search
// micro-kernel holds a 6-row x 16-query tile (12 accumulators). Tails use masked loads.
#if defined(__x86_64__)

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "embkit/half_float.h"
#include "kernels/kernel_table.h"
#include "kernels/target_region.h"

EMBKIT_TARGET_BEGIN(EMBKIT_AVX2_FEATURES)

namespace embkit::kernels {
namespace {

// Sliding window over this array gives a mask whose first n lanes are set.
alignas(32) constexpr int32_t kLaneMasks[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                                0,  0,  0,  0,  0,  0,  0,  0};

struct Simd {
  using V = __m256;
  static constexpr size_t kLanes = 8;
  static constexpr size_t kTileRows = 6;
  static V zero() { return _mm256_setzero_ps(); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static __m256i first(size_t n) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kLaneMasks + 8 - n));
  }
  static V load_partial(const float* p, size_t n) { return _mm256_maskload_ps(p, first(n)); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static void store_partial(float* p, V v, size_t n) { _mm256_maskstore_ps(p, first(n), v); }
  static V set1(float x) { return _mm256_set1_ps(x); }
  static V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  static float sum(V v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  static unsigned greater_bits(V a, V b) {
    return static_cast<unsigned>(_mm256_movemask_ps(_mm256_cmp_ps(a, b, _CMP_GT_OQ)));
  }

  using D = __m256d;
  static constexpr size_t kDoubleLanes = 4;
  static D zero_d() { return _mm256_setzero_pd(); }
  static D load_widen(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
  static D load_widen_partial(const float* p, size_t n) {
    __m128i mask = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kLaneMasks + 8 - n));
    return _mm256_cvtps_pd(_mm_maskload_ps(p, mask));
  }
  static D fmadd_d(D a, D b, D c) { return _mm256_fmadd_pd(a, b, c); }
  static D add_d(D a, D b) { return _mm256_add_pd(a, b); }
  static double sum_d(D v) {
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
  }
};

#include "kernels/half_conversions_f16c.h"
#include "kernels/simd_kernels_impl.h"

}  // namespace

const KernelTable kAvx2Kernels = make_table(Isa::Avx2, f16c_to_halves, f16c_to_floats);

}  // namespace embkit::kernels

EMBKIT_TARGET_END

#endif  // __x86_64__
