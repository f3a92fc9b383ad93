// The AVX2 int8 score tile (see int8_kernel_table.h). AVX2 has no byte dot product that cannot
// saturate (vpmaddubsw clips u8 x s8 pair sums to 16 bits: 255 * 127 * 2 overflows), so bytes are
// sign-extended to 16 bits in place — the even bytes of every 32-bit lane by shift left then
// arithmetic shift right, the odd bytes by arithmetic shift right — and multiplied with vpmaddwd,
// whose 32-bit pair sums are exact. Tile: 4 rows x 16 queries (8 accumulators).
#if defined(__x86_64__)

#include <immintrin.h>

#include <cstring>

#include "kernels/int8_kernel_table.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace embkit::kernels {
namespace {

constexpr size_t kLanes = 8;
constexpr size_t kWidth = 2 * kLanes;
constexpr size_t kRows = 4;

inline __m256i even_bytes(__m256i v) { return _mm256_srai_epi16(_mm256_slli_epi16(v, 8), 8); }
inline __m256i odd_bytes(__m256i v) { return _mm256_srai_epi16(v, 8); }

bool score_tile_avx2(const Int8Tile& tile) {
  __m256i acc[kRows][2];
  for (size_t r = 0; r < kRows; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  const int8_t* panel = tile.panel;
  for (size_t g = 0; g < tile.groups; ++g, panel += kWidth * 4) {
    __m256i q0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(panel));
    __m256i q1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(panel + 32));
    __m256i q0_even = even_bytes(q0), q0_odd = odd_bytes(q0);
    __m256i q1_even = even_bytes(q1), q1_odd = odd_bytes(q1);
    for (size_t r = 0; r < kRows; ++r) {
      int32_t four;
      std::memcpy(&four, tile.rows[r] + 4 * g, 4);
      __m256i x = _mm256_set1_epi32(four);
      __m256i x_even = even_bytes(x), x_odd = odd_bytes(x);
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(q0_even, x_even));
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(q0_odd, x_odd));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(q1_even, x_even));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(q1_odd, x_odd));
    }
  }
  __m256 query_scale[2] = {_mm256_loadu_ps(tile.query_scales),
                           _mm256_loadu_ps(tile.query_scales + kLanes)};
  __m256 threshold[2] = {_mm256_loadu_ps(tile.thresholds), _mm256_loadu_ps(tile.thresholds + kLanes)};
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
    for (size_t v = 0; v < 2; ++v) _mm256_storeu_ps(tile.out + r * kWidth + v * kLanes, scores[r][v]);
  return true;
}

}  // namespace

const Int8KernelTable kInt8Avx2Kernels = {Int8Level::Avx2, "avx2", kLanes, kRows, score_tile_avx2};

}  // namespace embkit::kernels

#pragma GCC pop_options

#endif  // __x86_64__
