// The AVX-512 VNNI int8 score tile (see int8_kernel_table.h): vpdpbusd adds, per 32-bit lane, the
// four products of unsigned query bytes (code + 128, the sign bit flipped) with the signed row
// bytes broadcast from the row in place; 128 * sum(row codes) is subtracted at the end, leaving the
// exact signed dot product. Tile: 12 rows x 32 queries (24 accumulators), like the float kernel.
#if defined(__x86_64__)

#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstring>

#include "kernels/int8_kernel_table.h"
#include "kernels/target_region.h"

EMBKIT_TARGET_BEGIN("avx512f,avx512vl,avx512bw,avx512dq,avx512vnni")

namespace embkit::kernels {
namespace {

constexpr size_t kLanes = 16;
constexpr size_t kWidth = 2 * kLanes;
constexpr size_t kRows = 12;

// acc += per 32-bit lane, the sum of the four products unsigned_bytes x signed_bytes. Written as
// inline assembly whose accumulator operand is tied ("+v"): through the intrinsic, GCC 12 gives the
// accumulator a new register every group and copies (and spills) all 24 of them per iteration,
// which made the kernel several times slower.
inline __m512i dpbusd(__m512i acc, __m512i unsigned_bytes, __m512i signed_bytes) {
  asm("vpdpbusd %[b], %[a], %[acc]"
      : [acc] "+v"(acc)
      : [a] "v"(unsigned_bytes), [b] "v"(signed_bytes));
  return acc;
}

bool score_tile_vnni(const Int8Tile& tile) {
  __m512i acc[kRows][2];
#pragma GCC unroll 12
  for (size_t r = 0; r < kRows; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_si512();
  const __m512i sign = _mm512_set1_epi8(static_cast<char>(0x80));
  const int8_t* panel = tile.panel;
  const int8_t* rows[kRows];
#pragma GCC unroll 12
  for (size_t r = 0; r < kRows; ++r) rows[r] = tile.rows[r];
  for (size_t g = 0; g < tile.groups; ++g, panel += kWidth * 4) {
    __m512i q0 = _mm512_xor_si512(_mm512_loadu_si512(panel), sign);
    __m512i q1 = _mm512_xor_si512(_mm512_loadu_si512(panel + 64), sign);
#pragma GCC unroll 12
    for (size_t r = 0; r < kRows; ++r) {
      int32_t four;
      std::memcpy(&four, rows[r] + 4 * g, 4);
      __m512i x = _mm512_set1_epi32(four);
      acc[r][0] = dpbusd(acc[r][0], q0, x);
      acc[r][1] = dpbusd(acc[r][1], q1, x);
    }
  }
  __m512 query_scale[2] = {_mm512_loadu_ps(tile.query_scales),
                           _mm512_loadu_ps(tile.query_scales + kLanes)};
  __m512 threshold[2] = {_mm512_loadu_ps(tile.thresholds),
                         _mm512_loadu_ps(tile.thresholds + kLanes)};
  __m512 scores[kRows][2];
  unsigned any = 0;
#pragma GCC unroll 12
  for (size_t r = 0; r < kRows; ++r) {
    __m512i offset = _mm512_set1_epi32(128 * tile.row_sums[r]);
    __m512 row_scale = _mm512_set1_ps(tile.row_scales[r]);
    for (size_t v = 0; v < 2; ++v) {
      __m512i dot = _mm512_sub_epi32(acc[r][v], offset);
      scores[r][v] =
          _mm512_mul_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(dot), query_scale[v]), row_scale);
      any |= _mm512_cmp_ps_mask(scores[r][v], threshold[v], _CMP_GT_OQ);
    }
  }
  if (!any) return false;
  for (size_t r = 0; r < kRows; ++r)
    for (size_t v = 0; v < 2; ++v)
      _mm512_storeu_ps(tile.out + r * kWidth + v * kLanes, scores[r][v]);
  return true;
}

}  // namespace

const Int8KernelTable kInt8VnniKernels = {Int8Level::Avx512Vnni, "avx512vnni", kLanes, kRows,
                                          score_tile_vnni};

}  // namespace embkit::kernels

EMBKIT_TARGET_END
#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // __x86_64__
