// KeyedVectors: the one currency between embkit's stages — a vocabulary, its row-major float32 matrix
// (row i is the vector of word i) and, computed on first use, the norms of the rows and the rows
// scaled to unit length.
#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <string_view>

#include "embkit/matrix.h"
#include "embkit/subwords.h"
#include "embkit/vocab.h"

namespace embkit {

// The character n-gram rows of a subword model (fastText's buckets): row b is bucket b, or, when the
// model was pruned, row prune[b]. Shared (read-only) by every copy of a model.
struct SubwordTable {
  SubwordSettings settings;
  Matrix rows;                            // dim columns
  std::shared_ptr<const PruneMap> prune;  // null unless pruned
};

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

  // Subwords: a model trained with character n-grams (or read from fastText) keeps their rows, so any
  // word has a vector. Throws UsageError when the table's dimension differs from the vectors'.
  void set_subwords(std::shared_ptr<const SubwordTable> table);
  const SubwordTable* subwords() const { return subwords_.get(); }
  const std::shared_ptr<const SubwordTable>& shared_subwords() const { return subwords_; }
  bool has_subwords() const { return subwords_ != nullptr; }

  // The vector of any word into out[0..dim()): a known word's row; an unknown word's mean of its
  // n-gram rows (fastText's rule) when the model has subwords. Returns false when there is neither
  // (no subwords, or every n-gram pruned away).
  bool word_vector(std::string_view word, float* out) const;
  // The same, throwing KeyError (saying whether the model has subwords) when there is no vector.
  std::vector<float> word_vector(std::string_view word) const;
  // True when word_vector(word) gives a vector.
  bool has_vector(std::string_view word) const;

  // The rows scaled to unit L2 norm (norms accumulated in double); all-zero rows stay zero.
  // Computed once, in parallel, on first call; thread-safe.
  const Matrix& unit_rows() const;
  // L2 norm of every row, and 1 / norm as a float (0 for all-zero rows): unit row i is
  // vectors().row(i) times inverse_norms()[i]. Computed once, in parallel, without unit_rows(), so
  // a search for one word needs one pass over the rows and no normalized copy of them.
  std::span<const float> norms() const;
  std::span<const float> inverse_norms() const;
  // Unit row `id` written to out[0..dim()), bit-identical to unit_rows().row(id) but computed from
  // the one row alone.
  void unit_row(uint32_t id, float* out) const;

 private:
  struct UnitCache {
    std::once_flag norms_once, unit_once;
    std::vector<float> norms, inverse_norms;
    Matrix unit;
  };
  void fill_norms() const;
  void fill_unit_rows() const;

  Vocab vocab_;
  Matrix vectors_;
  std::shared_ptr<const SubwordTable> subwords_;
  mutable std::unique_ptr<UnitCache> cache_ = std::make_unique<UnitCache>();
};

}  // namespace embkit
