// Per-dimension symmetric int8 quantization (I8) of float vectors.
//
// I8: for every dimension j, scale_j = max_i |x_ij| / 127 (1 for an all-zero column, so every code
// is 0 and dequantizes to exactly 0), code_ij = round(x_ij / scale_j) clamped to [-127, 127]
// (round half away from zero). Dequantized value = code_ij * scale_j, so |x - deq| <= scale_j / 2.
// -128 is never written, which keeps the code range symmetric and lets the search kernels add 128
// to a code without overflow.
//
// F16 conversions are in half_float.h, the container of codes in int8_matrix.h.
#pragma once

#include <cstdint>
#include <vector>

#include "embkit/dtype.h"
#include "embkit/half_float.h"
#include "embkit/int8_matrix.h"
#include "embkit/matrix.h"

namespace embkit {

// The per-dimension scales of a matrix (see above). Throws UsageError on a non-finite value.
std::vector<float> int8_scales(const Matrix& matrix, int threads = 0);
Int8Matrix quantize_int8(const Matrix& matrix, int threads = 0);
// The code of one value for a given scale.
int8_t quantize_value(float value, float scale);
Matrix dequantize(const Int8Matrix& codes, int threads = 0);

}  // namespace embkit
