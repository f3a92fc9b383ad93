#include "embkit/keyed_vectors.h"

#include <cmath>

#include <fmt/format.h>

#include "embkit/error.h"

namespace embkit {

KeyedVectors::KeyedVectors(Vocab vocab, Matrix vectors)
    : vocab_(std::move(vocab)), vectors_(std::move(vectors)) {
  if (vocab_.size() != vectors_.rows())
    throw UsageError(fmt::format("vocabulary has {} words but the matrix has {} rows", vocab_.size(),
                                 vectors_.rows()));
}

Matrix& KeyedVectors::mutable_vectors() {
  if (!vectors_.writable()) vectors_ = vectors_.clone();
  cache_ = std::make_unique<UnitCache>();
  return vectors_;
}

void KeyedVectors::fill_cache() const {
  const size_t rows = vectors_.rows(), cols = vectors_.cols();
  Matrix unit(rows, cols);
  std::vector<float> norms(rows);
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < rows; ++i) {
    const float* src = vectors_.row(i);
    double sum = 0;
    for (size_t j = 0; j < cols; ++j) sum += double(src[j]) * src[j];
    double norm = std::sqrt(sum);
    norms[i] = static_cast<float>(norm);
    float* dst = unit.mutable_row(i);
    if (norm > 0) {
      float inv = static_cast<float>(1.0 / norm);
      for (size_t j = 0; j < cols; ++j) dst[j] = src[j] * inv;
    }
  }
  cache_->unit = std::move(unit);
  cache_->norms = std::move(norms);
}

const Matrix& KeyedVectors::unit_rows() const {
  std::call_once(cache_->once, [this] { fill_cache(); });
  return cache_->unit;
}

std::span<const float> KeyedVectors::norms() const {
  unit_rows();
  return cache_->norms;
}

}  // namespace embkit
