// The kernels compiled for AVX-512 (F, VL, BW, DQ) with FMA: 16 floats per register, 32 registers,
// so the search micro-kernel holds a 12-row x 32-query tile (24 accumulators). Tails use masked
// loads.
#if defined(__x86_64__)

// GCC 12 warns that its own _mm512_undefined_pd() is used uninitialized once inlined (GCC bug
// 105593, fixed in GCC 13); the warning points into the intrinsics header.
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "embkit/half_float.h"
#include "kernels/kernel_table.h"
#include "kernels/target_region.h"

EMBKIT_TARGET_BEGIN(EMBKIT_AVX512_FEATURES)

namespace embkit::kernels {
namespace {

struct Simd {
  using V = __m512;
  static constexpr size_t kLanes = 16;
  static constexpr size_t kTileRows = 12;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static __mmask16 first(size_t n) { return static_cast<__mmask16>((1u << n) - 1); }
  static V load_partial(const float* p, size_t n) { return _mm512_maskz_loadu_ps(first(n), p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static void store_partial(float* p, V v, size_t n) { _mm512_mask_storeu_ps(p, first(n), v); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static float sum(V v) { return _mm512_reduce_add_ps(v); }
  static unsigned greater_bits(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }

  using D = __m512d;
  static constexpr size_t kDoubleLanes = 8;
  static D zero_d() { return _mm512_setzero_pd(); }
  static D load_widen(const float* p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
  static D load_widen_partial(const float* p, size_t n) {
    return _mm512_cvtps_pd(_mm256_maskz_loadu_ps(static_cast<__mmask8>((1u << n) - 1), p));
  }
  static D fmadd_d(D a, D b, D c) { return _mm512_fmadd_pd(a, b, c); }
  static D add_d(D a, D b) { return _mm512_add_pd(a, b); }
  static double sum_d(D v) { return _mm512_reduce_add_pd(v); }
};

#include "kernels/half_conversions_f16c.h"
#include "kernels/simd_kernels_impl.h"

}  // namespace

const KernelTable kAvx512Kernels = make_table(Isa::Avx512, f16c_to_halves, f16c_to_floats);

}  // namespace embkit::kernels

EMBKIT_TARGET_END
#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // __x86_64__
