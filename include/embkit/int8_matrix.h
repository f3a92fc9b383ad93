// Int8Matrix: int8 codes of a matrix with one scale per dimension (quantize.h makes them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace embkit {

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

}  // namespace embkit
