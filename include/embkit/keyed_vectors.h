// KeyedVectors: the one currency between embkit's stages — a vocabulary, its row-major float32 matrix
// (row i is the vector of word i) and, computed on first use, the same rows scaled to unit length.
#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <string_view>

#include "embkit/matrix.h"
#include "embkit/vocab.h"

namespace embkit {

class KeyedVectors {
 public:
  KeyedVectors() = default;
  // Throws UsageError when vocab.size() != vectors.rows().
  KeyedVectors(Vocab vocab, Matrix vectors);
  KeyedVectors(KeyedVectors&&) noexcept = default;
  KeyedVectors& operator=(KeyedVectors&&) noexcept = default;

  size_t size() const { return vectors_.rows(); }
  size_t dim() const { return vectors_.cols(); }
  const Vocab& vocab() const { return vocab_; }
  const Matrix& vectors() const { return vectors_; }
  // Writable access to the vectors (copies a borrowed matrix first); drops the cached unit rows.
  Matrix& mutable_vectors();

  uint32_t index(std::string_view word) const { return vocab_.at(word); }  // throws KeyError
  std::span<const float> vector(std::string_view word) const {
    return vectors_.row_span(index(word));
  }

  // The rows scaled to unit L2 norm (norms accumulated in double); all-zero rows stay zero.
  // Computed once, in parallel, on first call; thread-safe.
  const Matrix& unit_rows() const;
  // L2 norm of every row (computed with unit_rows()).
  std::span<const float> norms() const;

 private:
  struct UnitCache {
    std::once_flag once;
    Matrix unit;
    std::vector<float> norms;
  };
  void fill_cache() const;

  Vocab vocab_;
  Matrix vectors_;
  mutable std::unique_ptr<UnitCache> cache_ = std::make_unique<UnitCache>();
};

}  // namespace embkit
