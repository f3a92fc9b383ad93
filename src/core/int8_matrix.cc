// Int8Matrix storage (embkit/int8_matrix.h).
#include "embkit/int8_matrix.h"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace embkit {

Int8Matrix::Int8Matrix(size_t rows, size_t cols)
    : rows_(rows), cols_(cols), stride_((cols + 63) / 64 * 64), scales_(cols, 1.0f) {
  const size_t bytes = std::max<size_t>(64, rows_ * stride_);
  void* memory = std::aligned_alloc(64, bytes);
  if (memory == nullptr) throw std::bad_alloc();
  std::fill_n(static_cast<char*>(memory), bytes, 0);
  storage_ = std::shared_ptr<const void>(memory, std::free);
  codes_ = static_cast<const int8_t*>(memory);
}

Int8Matrix Int8Matrix::borrow(const int8_t* codes, size_t rows, size_t cols, size_t stride,
                              std::vector<float> scales, std::shared_ptr<const void> keep_alive) {
  Int8Matrix matrix;
  matrix.storage_ = std::move(keep_alive);
  matrix.codes_ = codes;
  matrix.rows_ = rows;
  matrix.cols_ = cols;
  matrix.stride_ = stride;
  matrix.scales_ = std::move(scales);
  return matrix;
}

}  // namespace embkit
