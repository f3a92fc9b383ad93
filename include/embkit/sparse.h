// SparseMatrix: a compressed sparse row (CSR) matrix of float32 values with uint32 column indices,
// rows sorted by column and free of duplicates — the shape of co-occurrence counts, PPMI matrices and
// bag-of-words / TF-IDF document vectors.
//
// Files: save_sparse / load_sparse in npz.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "embkit/matrix.h"

namespace embkit {

class SparseMatrix {
 public:
  SparseMatrix() = default;
  // Takes CSR arrays: row_starts has rows + 1 entries from 0 to nnz, non-decreasing; columns within a
  // row strictly increasing and below cols. Throws UsageError naming the first violation.
  SparseMatrix(size_t rows, size_t cols, std::vector<uint64_t> row_starts,
               std::vector<uint32_t> columns, std::vector<float> values);
  // A rows x cols matrix with no entries.
  SparseMatrix(size_t rows, size_t cols);

  size_t rows() const { return rows_; }
  size_t cols() const { return cols_; }
  size_t nnz() const { return columns_.size(); }

  std::span<const uint32_t> row_columns(size_t row) const {
    return {columns_.data() + row_starts_[row], columns_.data() + row_starts_[row + 1]};
  }
  std::span<const float> row_values(size_t row) const {
    return {values_.data() + row_starts_[row], values_.data() + row_starts_[row + 1]};
  }
  std::span<float> row_values(size_t row) {
    return {values_.data() + row_starts_[row], values_.data() + row_starts_[row + 1]};
  }
  const std::vector<uint64_t>& row_starts() const { return row_starts_; }
  const std::vector<uint32_t>& columns() const { return columns_; }
  const std::vector<float>& values() const { return values_; }
  std::vector<float>& values() { return values_; }

  // The value at (row, col), 0 when absent. O(log nnz of the row).
  float at(size_t row, size_t col) const;
  SparseMatrix transpose() const;
  // Drops entries equal to 0 (after a transform that zeroes some, as PPMI's clipping does).
  void prune_zeros();

  // A X and A^T X for a dense X (cols x k, resp. rows x k); the result is a dense Matrix. Rows are
  // split over `threads` (0 = all cores); each output row is summed in a fixed order, so the result
  // does not depend on the thread count.
  Matrix multiply(const Matrix& x, int threads = 0) const;
  Matrix multiply_transposed(const Matrix& x, int threads = 0) const;

  bool operator==(const SparseMatrix&) const = default;

 private:
  size_t rows_ = 0, cols_ = 0;
  std::vector<uint64_t> row_starts_{0};
  std::vector<uint32_t> columns_;
  std::vector<float> values_;
};

}  // namespace embkit
