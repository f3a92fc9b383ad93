// Matrix: a row-major float32 matrix. Matrices that embkit allocates pad every row to a multiple of
// 64 bytes (16 floats) and align the first row to 64 bytes, so SIMD kernels never split a cache line
// at a row start. A matrix can also borrow memory it does not own (a memory-mapped file); such a view
// is read-only and its stride may be its width, so kernels must use unaligned loads.
#pragma once

#include <cassert>
#include <cstddef>
#include <memory>
#include <span>

namespace embkit {

class Matrix {
 public:
  static constexpr size_t kAlignmentBytes = 64;
  static constexpr size_t kAlignmentFloats = kAlignmentBytes / sizeof(float);

  Matrix() = default;
  // An owned, zero-filled rows x cols matrix with padded, aligned rows.
  Matrix(size_t rows, size_t cols);
  // A read-only view of memory owned by `keep_alive` (for instance a mapped file).
  static Matrix borrow(const float* data, size_t rows, size_t cols, size_t stride,
                       std::shared_ptr<const void> keep_alive);

  Matrix(Matrix&&) noexcept = default;
  Matrix& operator=(Matrix&&) noexcept = default;
  Matrix(const Matrix&) = delete;  // copies of 100 MB matrices must be explicit: use clone()
  Matrix& operator=(const Matrix&) = delete;
  Matrix clone() const;  // an owned, aligned copy

  size_t rows() const { return rows_; }
  size_t cols() const { return cols_; }
  size_t stride() const { return stride_; }  // distance between row starts, in floats
  bool empty() const { return rows_ == 0; }
  bool writable() const { return writable_; }

  const float* data() const { return data_; }
  const float* row(size_t i) const {
    assert(i < rows_);
    return data_ + i * stride_;
  }
  std::span<const float> row_span(size_t i) const { return {row(i), cols_}; }
  float* mutable_row(size_t i) {
    assert(writable_ && i < rows_);
    return const_cast<float*>(data_) + i * stride_;
  }
  float* mutable_data() {
    assert(writable_);
    return const_cast<float*>(data_);
  }

  // A read-only view of the first `rows` rows; it shares (and keeps alive) this matrix's memory.
  Matrix head_view(size_t rows) const;

  // Padded row length for a given width: the smallest multiple of 16 floats that holds `cols`.
  static size_t padded_stride(size_t cols);

 private:
  std::shared_ptr<const void> storage_;  // owns the memory (aligned buffer or mapped file)
  const float* data_ = nullptr;
  size_t rows_ = 0;
  size_t cols_ = 0;
  size_t stride_ = 0;
  bool writable_ = false;
};

}  // namespace embkit
