#include "embkit/keyed_vectors.h"

#include <cmath>

#include <fmt/format.h>

#include "embkit/error.h"
#include "embkit/kernels.h"

namespace embkit {

KeyedVectors::KeyedVectors(Vocab vocab, Matrix vectors)
    : vocab_(std::move(vocab)), vectors_(std::move(vectors)) {
  if (vocab_.size() != vectors_.rows())
    throw UsageError(fmt::format("vocabulary has {} words but the matrix has {} rows", vocab_.size(),
                                 vectors_.rows()));
}

void KeyedVectors::set_subwords(std::shared_ptr<const SubwordTable> table) {
  if (table != nullptr && table->rows.cols() != vectors_.cols())
    throw UsageError(fmt::format("subword rows have dimension {}, the vectors {}", table->rows.cols(),
                                 vectors_.cols()));
  subwords_ = std::move(table);
}

bool KeyedVectors::word_vector(std::string_view word, float* out) const {
  const size_t cols = vectors_.cols();
  if (auto id = vocab_.find(word)) {
    const float* row = vectors_.row(*id);
    std::copy(row, row + cols, out);
    return true;
  }
  if (subwords_ == nullptr) return false;
  thread_local std::vector<uint32_t> ids;
  ids.clear();
  append_subword_ids(word, subwords_->settings, 0, ids, subwords_->prune.get());
  if (ids.empty()) return false;
  std::fill(out, out + cols, 0.0f);
  const Matrix& rows = subwords_->rows;
  for (uint32_t id : ids) {
    if (id >= rows.rows()) return false;  // a table smaller than its settings (checked on load)
    kernels::axpy(1.0f, rows.row(id), out, cols);
  }
  const float scale = 1.0f / static_cast<float>(ids.size());
  for (size_t d = 0; d < cols; ++d) out[d] *= scale;
  return true;
}

std::vector<float> KeyedVectors::word_vector(std::string_view word) const {
  std::vector<float> out(vectors_.cols());
  if (word_vector(word, out.data())) return out;
  if (subwords_ == nullptr) throw KeyError(word, "and the model has no subword n-grams");
  throw KeyError(word, "and none of its character n-grams is in the model");
}

bool KeyedVectors::has_vector(std::string_view word) const {
  if (vocab_.contains(word)) return true;
  if (subwords_ == nullptr) return false;
  std::vector<uint32_t> ids;
  append_subword_ids(word, subwords_->settings, 0, ids, subwords_->prune.get());
  return !ids.empty();
}

Matrix& KeyedVectors::mutable_vectors() {
  if (!vectors_.writable()) vectors_ = vectors_.clone();
  cache_ = std::make_unique<UnitCache>();
  return vectors_;
}

namespace {

// The SIMD kernel, not a scalar loop: a double sum in strict order does not vectorise, and for 100k x
// 300 it was 60 ms, most of the time to a first answer.
double row_norm(const float* row, size_t cols) { return std::sqrt(kernels::sum_squares(row, cols)); }

float inverse_of(double norm) { return norm > 0 ? static_cast<float>(1.0 / norm) : 0.0f; }

}  // namespace

void KeyedVectors::fill_norms() const {
  const size_t rows = vectors_.rows(), cols = vectors_.cols();
  std::vector<float> norms(rows), inverse_norms(rows);
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < rows; ++i) {
    const double norm = row_norm(vectors_.row(i), cols);
    norms[i] = static_cast<float>(norm);
    inverse_norms[i] = inverse_of(norm);
  }
  cache_->norms = std::move(norms);
  cache_->inverse_norms = std::move(inverse_norms);
}

void KeyedVectors::fill_unit_rows() const {
  const size_t rows = vectors_.rows(), cols = vectors_.cols();
  std::span<const float> inverse = inverse_norms();
  Matrix unit(rows, cols);
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < rows; ++i) {
    const float* src = vectors_.row(i);
    float* dst = unit.mutable_row(i);
    for (size_t j = 0; j < cols; ++j) dst[j] = src[j] * inverse[i];
  }
  cache_->unit = std::move(unit);
}

const Matrix& KeyedVectors::unit_rows() const {
  std::call_once(cache_->unit_once, [this] { fill_unit_rows(); });
  return cache_->unit;
}

std::span<const float> KeyedVectors::norms() const {
  std::call_once(cache_->norms_once, [this] { fill_norms(); });
  return cache_->norms;
}

std::span<const float> KeyedVectors::inverse_norms() const {
  norms();
  return cache_->inverse_norms;
}

void KeyedVectors::unit_row(uint32_t id, float* out) const {
  const float* src = vectors_.row(id);
  const float inverse = inverse_of(row_norm(src, dim()));
  for (size_t j = 0; j < dim(); ++j) out[j] = src[j] * inverse;
}

}  // namespace embkit
