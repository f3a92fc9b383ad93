// The vocabulary an evaluation may use, as gensim builds it ("ok_vocab"): the first restrict_vocab
// words of the model (the most frequent ones when the model is in frequency order), keyed by their
// upper-cased form when case-insensitive, where the first (most frequent) casing of a word wins.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "embkit/keyed_vectors.h"

namespace embkit {

// The key of a word: its upper-case form when case-insensitive, else the word itself.
std::string fold_word(std::string_view word, bool case_insensitive);

class RestrictedVocab {
 public:
  // restrict_vocab 0 means all words. Only the keys in `wanted` (already folded with fold_word())
  // are resolved, so one pass over the vocabulary serves a whole evaluation file.
  RestrictedVocab(const KeyedVectors& kv, size_t restrict_vocab, bool case_insensitive,
                  const std::vector<std::string>& wanted);

  std::string fold(std::string_view word) const { return fold_word(word, case_insensitive_); }
  // The id the key stands for, if the key is one of `wanted` and within the restricted vocabulary.
  std::optional<uint32_t> find(const std::string& key) const;
  // Rows [0, rows()) are the restricted vocabulary.
  size_t rows() const { return rows_; }

 private:
  bool case_insensitive_;
  size_t rows_;
  std::unordered_map<std::string, uint32_t> ids_;
};

}  // namespace embkit
