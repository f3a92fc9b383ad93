// SparseMatrix (embkit/sparse.h): CSR construction with validation, transpose and the sparse x dense
// products; the .npz files are read and written by io/npz.cc.
#include "embkit/sparse.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <thread>

#include "core/threads.h"
#include "embkit/error.h"

namespace embkit {

SparseMatrix::SparseMatrix(size_t rows, size_t cols)
    : rows_(rows), cols_(cols), row_starts_(rows + 1, 0) {}

SparseMatrix::SparseMatrix(size_t rows, size_t cols, std::vector<uint64_t> row_starts,
                           std::vector<uint32_t> columns, std::vector<float> values)
    : rows_(rows),
      cols_(cols),
      row_starts_(std::move(row_starts)),
      columns_(std::move(columns)),
      values_(std::move(values)) {
  if (cols_ > (size_t{1} << 32))
    throw UsageError(fmt::format("sparse matrix: {} columns do not fit 32-bit indices", cols_));
  if (row_starts_.size() != rows_ + 1)
    throw UsageError(fmt::format("sparse matrix: {} row starts for {} rows (want rows + 1)",
                                 row_starts_.size(), rows_));
  if (columns_.size() != values_.size())
    throw UsageError(fmt::format("sparse matrix: {} column indices but {} values", columns_.size(),
                                 values_.size()));
  if (row_starts_.front() != 0 || row_starts_.back() != columns_.size())
    throw UsageError(fmt::format("sparse matrix: row starts run from {} to {}, want 0 to {}",
                                 row_starts_.front(), row_starts_.back(), columns_.size()));
  for (size_t r = 0; r < rows_; ++r) {
    if (row_starts_[r + 1] < row_starts_[r])
      throw UsageError(fmt::format("sparse matrix: row starts decrease at row {}", r));
    for (uint64_t i = row_starts_[r]; i < row_starts_[r + 1]; ++i) {
      if (columns_[i] >= cols_)
        throw UsageError(fmt::format("sparse matrix: row {} has column {} (matrix has {} columns)",
                                     r, columns_[i], cols_));
      if (i > row_starts_[r] && columns_[i] <= columns_[i - 1])
        throw UsageError(fmt::format(
            "sparse matrix: columns of row {} are not strictly increasing ({} after {})", r,
            columns_[i], columns_[i - 1]));
    }
  }
}

float SparseMatrix::at(size_t row, size_t col) const {
  auto cols = row_columns(row);
  auto it = std::lower_bound(cols.begin(), cols.end(), col);
  if (it == cols.end() || *it != col) return 0.0f;
  return values_[row_starts_[row] + static_cast<size_t>(it - cols.begin())];
}

SparseMatrix SparseMatrix::transpose() const {
  std::vector<uint64_t> starts(cols_ + 1, 0);
  for (uint32_t c : columns_) ++starts[c + 1];
  std::partial_sum(starts.begin(), starts.end(), starts.begin());
  std::vector<uint64_t> next(starts.begin(), starts.end() - 1);
  std::vector<uint32_t> columns(nnz());
  std::vector<float> values(nnz());
  // Rows visited in order, so every transposed row comes out sorted.
  for (size_t r = 0; r < rows_; ++r)
    for (uint64_t i = row_starts_[r]; i < row_starts_[r + 1]; ++i) {
      uint64_t slot = next[columns_[i]]++;
      columns[slot] = static_cast<uint32_t>(r);
      values[slot] = values_[i];
    }
  SparseMatrix t;
  t.rows_ = cols_;
  t.cols_ = rows_;
  t.row_starts_ = std::move(starts);
  t.columns_ = std::move(columns);
  t.values_ = std::move(values);
  return t;
}

void SparseMatrix::prune_zeros() {
  uint64_t kept = 0;
  uint64_t begin = 0;
  for (size_t r = 0; r < rows_; ++r) {
    const uint64_t end = row_starts_[r + 1];
    for (uint64_t i = begin; i < end; ++i)
      if (values_[i] != 0.0f) {
        columns_[kept] = columns_[i];
        values_[kept] = values_[i];
        ++kept;
      }
    begin = end;
    row_starts_[r + 1] = kept;
  }
  columns_.resize(kept);
  values_.resize(kept);
}

Matrix SparseMatrix::multiply(const Matrix& x, int threads) const {
  if (x.rows() != cols_)
    throw UsageError(fmt::format("sparse multiply: a {} x {} matrix times {} x {}", rows_, cols_,
                                 x.rows(), x.cols()));
  Matrix out(rows_, x.cols());
  const size_t k = x.cols();
  const int workers = resolve_threads(threads);
#pragma omp parallel for schedule(dynamic, 256) num_threads(workers)
  for (size_t r = 0; r < rows_; ++r) {
    float* y = out.mutable_row(r);
    for (uint64_t i = row_starts_[r]; i < row_starts_[r + 1]; ++i) {
      const float v = values_[i];
      const float* xr = x.row(columns_[i]);
      for (size_t j = 0; j < k; ++j) y[j] += v * xr[j];
    }
  }
  return out;
}

Matrix SparseMatrix::multiply_transposed(const Matrix& x, int threads) const {
  if (x.rows() != rows_)
    throw UsageError(fmt::format("sparse multiply: the transpose of a {} x {} matrix times {} x {}",
                                 rows_, cols_, x.rows(), x.cols()));
  return transpose().multiply(x, threads);
}

}  // namespace embkit
