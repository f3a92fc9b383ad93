#include "embkit/matrix.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace embkit {

size_t Matrix::padded_stride(size_t cols) {
  return (cols + kAlignmentFloats - 1) / kAlignmentFloats * kAlignmentFloats;
}

Matrix::Matrix(size_t rows, size_t cols) : rows_(rows), cols_(cols), stride_(padded_stride(cols)) {
  writable_ = true;
  size_t bytes = rows_ * stride_ * sizeof(float);
  if (bytes == 0) return;
  void* memory = std::aligned_alloc(kAlignmentBytes, bytes);
  if (!memory) throw std::bad_alloc();
  // Zero in parallel: large matrices are filled faster and their pages are first touched by the
  // threads that will later work on them.
  auto* bytes_ptr = static_cast<char*>(memory);
  const size_t chunk = size_t{1} << 22;
#pragma omp parallel for schedule(static) if (bytes > 4 * chunk)
  for (size_t offset = 0; offset < bytes; offset += chunk)
    std::memset(bytes_ptr + offset, 0, std::min(chunk, bytes - offset));
  storage_ = std::shared_ptr<void>(memory, [](void* p) { std::free(p); });
  data_ = static_cast<const float*>(memory);
}

Matrix Matrix::borrow(const float* data, size_t rows, size_t cols, size_t stride,
                      std::shared_ptr<const void> keep_alive) {
  assert(stride >= cols);
  Matrix m;
  m.storage_ = std::move(keep_alive);
  m.data_ = data;
  m.rows_ = rows;
  m.cols_ = cols;
  m.stride_ = stride;
  m.writable_ = false;
  return m;
}

Matrix Matrix::clone() const {
  Matrix copy(rows_, cols_);
  for (size_t i = 0; i < rows_; ++i) std::memcpy(copy.mutable_row(i), row(i), cols_ * sizeof(float));
  return copy;
}

Matrix Matrix::head_view(size_t rows) const {
  assert(rows <= rows_);
  return borrow(data_, rows, cols_, stride_, storage_);
}

}  // namespace embkit
