// The portable int8 score tile (see int8_kernel_table.h): plain integer loops, the reference the
// SIMD levels must match bit for bit.
#include <cstring>

#include "kernels/int8_kernel_table.h"

namespace embkit::kernels {
namespace {

constexpr size_t kLanes = 8;
constexpr size_t kWidth = 2 * kLanes;
constexpr size_t kRows = 4;

bool score_tile_generic(const Int8Tile& tile) {
  int32_t dots[kRows][kWidth] = {};
  for (size_t g = 0; g < tile.groups; ++g) {
    const int8_t* queries = tile.panel + g * kWidth * 4;
    for (size_t r = 0; r < kRows; ++r) {
      const int8_t* x = tile.rows[r] + 4 * g;
      for (size_t lane = 0; lane < kWidth; ++lane) {
        const int8_t* q = queries + lane * 4;
        dots[r][lane] += q[0] * x[0] + q[1] * x[1] + q[2] * x[2] + q[3] * x[3];
      }
    }
  }
  float scores[kRows][kWidth];
  bool any = false;
  for (size_t r = 0; r < kRows; ++r) {
    for (size_t lane = 0; lane < kWidth; ++lane) {
      scores[r][lane] =
          static_cast<float>(dots[r][lane]) * tile.query_scales[lane] * tile.row_scales[r];
      any = any || scores[r][lane] > tile.thresholds[lane];
    }
  }
  if (any) std::memcpy(tile.out, scores, sizeof(scores));
  return any;
}

}  // namespace

const Int8KernelTable kInt8GenericKernels = {Int8Level::Generic, "generic", kLanes, kRows,
                                             score_tile_generic};

}  // namespace embkit::kernels
