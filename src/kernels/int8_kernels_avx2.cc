// The AVX2 int8 score tile (see int8_kernel_table.h). vpmaddubsw multiplies unsigned by signed
// bytes and saturates its 16-bit pair sums, so the query enters as |q| (at most 127: codes are
// never -128) and the row as sign(q) * x (vpsignb); each pair sum is then at most 2 * 127 * 127 =
// 32258, exact in 16 bits, and vpmaddwd with ones widens the pairs to 32-bit lane sums of four
// products. Tile: 4 rows x 16 queries (8 accumulators).
#if defined(__x86_64__)

#include <immintrin.h>

#include <cstring>

#include "kernels/int8_kernel_table.h"
#include "kernels/target_region.h"

EMBKIT_TARGET_BEGIN(EMBKIT_AVX2_FEATURES)

namespace embkit::kernels {
namespace {

constexpr size_t kLanes = 8;
constexpr size_t kWidth = 2 * kLanes;
constexpr size_t kRows = 4;

// acc += v with the accumulator operand tied ("+x"), for the same reason as in the VNNI tile:
// through the intrinsic GCC 12 moves every accumulator to a new register per group and spills some.
inline __m256i accumulate(__m256i acc, __m256i v) {
  asm("vpaddd %[v], %[acc], %[acc]" : [acc] "+x"(acc) : [v] "x"(v));
  return acc;
}

bool score_tile_avx2(const Int8Tile& tile) {
  __m256i acc[kRows][2];
  for (size_t r = 0; r < kRows; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  const __m256i ones = _mm256_set1_epi16(1);
  const int8_t* panel = tile.panel;
  for (size_t g = 0; g < tile.groups; ++g, panel += kWidth * 4) {
    const __m256i q0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(panel));
    const __m256i q1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(panel + 32));
    const __m256i magnitude0 = _mm256_abs_epi8(q0), magnitude1 = _mm256_abs_epi8(q1);
    for (size_t r = 0; r < kRows; ++r) {
      int32_t four;
      std::memcpy(&four, tile.rows[r] + 4 * g, 4);
      const __m256i x = _mm256_set1_epi32(four);
      __m256i pairs0 = _mm256_maddubs_epi16(magnitude0, _mm256_sign_epi8(x, q0));
      __m256i pairs1 = _mm256_maddubs_epi16(magnitude1, _mm256_sign_epi8(x, q1));
      acc[r][0] = accumulate(acc[r][0], _mm256_madd_epi16(pairs0, ones));
      acc[r][1] = accumulate(acc[r][1], _mm256_madd_epi16(pairs1, ones));
    }
  }
  __m256 query_scale[2] = {_mm256_loadu_ps(tile.query_scales),
                           _mm256_loadu_ps(tile.query_scales + kLanes)};
  __m256 threshold[2] = {_mm256_loadu_ps(tile.thresholds),
                         _mm256_loadu_ps(tile.thresholds + kLanes)};
  __m256 scores[kRows][2];
  int any = 0;
  for (size_t r = 0; r < kRows; ++r) {
    __m256 row_scale = _mm256_set1_ps(tile.row_scales[r]);
    for (size_t v = 0; v < 2; ++v) {
      scores[r][v] =
          _mm256_mul_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][v]), query_scale[v]), row_scale);
      any |= _mm256_movemask_ps(_mm256_cmp_ps(scores[r][v], threshold[v], _CMP_GT_OQ));
    }
  }
  if (!any) return false;
  for (size_t r = 0; r < kRows; ++r)
    for (size_t v = 0; v < 2; ++v)
      _mm256_storeu_ps(tile.out + r * kWidth + v * kLanes, scores[r][v]);
  return true;
}

}  // namespace

const Int8KernelTable kInt8Avx2Kernels = {Int8Level::Avx2, "avx2", kLanes, kRows, score_tile_avx2};

}  // namespace embkit::kernels

EMBKIT_TARGET_END

#endif  // __x86_64__
