// Storage types for vectors: IEEE half precision (F16) and per-dimension symmetric int8 (I8).
//
// I8: for every dimension j, scale_j = max_i |x_ij| / 127 (1 for an all-zero column, so every code
// is 0 and dequantizes to exactly 0), code_ij = round(x_ij / scale_j) clamped to [-127, 127]
// (round half away from zero). Dequantized value = code_ij * scale_j, so |x - deq| <= scale_j / 2.
// -128 is never written, which keeps the code range symmetric and lets the search kernels add 128
// to a code without overflow.
//
// F16: IEEE 754 binary16, round to nearest even (F16C instructions when the CPU has them, otherwise
// a bit-exact portable conversion). Finite floats beyond the half range (|x| >= 65520 rounds to
// infinity) cannot be stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "embkit/matrix.h"

namespace embkit {

enum class Dtype { F32, F16, I8 };

// "f32", "f16", "i8"; parse_dtype also accepts the safetensors names "F32", "F16", "I8".
std::string_view dtype_name(Dtype dtype);
Dtype parse_dtype(std::string_view name);  // UsageError for unknown names

uint16_t float_to_half(float value);
float half_to_float(uint16_t half);
// Bulk conversions (F16C when available). Results equal the scalar functions bit for bit.
void floats_to_halves(const float* in, uint16_t* out, size_t n);
void halves_to_floats(const uint16_t* in, float* out, size_t n);
bool half_is_infinite(uint16_t half);

// Int8 codes of a matrix plus one scale per dimension. Rows are `stride` bytes apart; matrices made
// by quantize_int8() pad rows to a multiple of 64 bytes with zero codes, borrowed ones (a mapped
// file) may have stride == cols.
class Int8Matrix {
 public:
  Int8Matrix() = default;
  // Owned, zero-filled codes with padded rows; scales all 1.
  Int8Matrix(size_t rows, size_t cols);
  static Int8Matrix borrow(const int8_t* codes, size_t rows, size_t cols, size_t stride,
                           std::vector<float> scales, std::shared_ptr<const void> keep_alive);

  size_t rows() const { return rows_; }
  size_t cols() const { return cols_; }
  size_t stride() const { return stride_; }
  const int8_t* row(size_t i) const { return codes_ + i * stride_; }
  int8_t* mutable_row(size_t i) { return const_cast<int8_t*>(codes_) + i * stride_; }
  const std::vector<float>& scales() const { return scales_; }
  std::vector<float>& mutable_scales() { return scales_; }
  // Bytes held for codes and scales.
  size_t memory_bytes() const { return rows_ * stride_ + scales_.size() * sizeof(float); }

 private:
  std::shared_ptr<const void> storage_;
  const int8_t* codes_ = nullptr;
  size_t rows_ = 0, cols_ = 0, stride_ = 0;
  std::vector<float> scales_;
};

// The per-dimension scales of a matrix (see above). Throws UsageError on a non-finite value.
std::vector<float> int8_scales(const Matrix& matrix, int threads = 0);
Int8Matrix quantize_int8(const Matrix& matrix, int threads = 0);
// The code of one value for a given scale.
int8_t quantize_value(float value, float scale);
Matrix dequantize(const Int8Matrix& codes, int threads = 0);

}  // namespace embkit
