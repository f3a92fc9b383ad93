// The features of one line as fastText's Dictionary::getLine computes them for supervised models:
// each known word's row (and, with character n-grams, its n-gram rows), an unknown word's n-gram
// rows, then the hashed word n-grams (2..word_ngrams tokens) of every word token, known or not,
// "</s>" included. Labels contribute no features.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "embkit/subwords.h"

namespace embkit::supervised {

struct FeatureSettings {
  uint32_t nwords = 0;
  uint32_t word_ngrams = 1;
  uint32_t bucket = 0;
  SubwordSettings subwords{0, 0, 0};  // enabled() when the model has character n-grams
  const PruneMap* prune = nullptr;    // a quantized model's kept buckets (null: not pruned)
};

// Per-word feature lists (the word's row, then its n-gram rows) precomputed for a dictionary.
class WordFeatures {
 public:
  WordFeatures() = default;
  // words[i] is word i's text; only needed when subwords are enabled.
  void build(const FeatureSettings& settings, std::span<const std::string_view> words);
  std::span<const uint32_t> of(uint32_t word) const {
    if (offsets_.empty()) return {};
    return {ids_.data() + offsets_[word], ids_.data() + offsets_[word + 1]};
  }
  bool empty() const { return offsets_.empty(); }

 private:
  std::vector<uint32_t> ids_;
  std::vector<uint64_t> offsets_;
};

// Builds one line's features: add the tokens in order, then finish().
class LineFeatureBuilder {
 public:
  LineFeatureBuilder(const FeatureSettings& settings, const WordFeatures& words,
                     std::vector<uint32_t>& features, std::vector<uint32_t>& hashes)
      : settings_(settings), words_(words), features_(features), hashes_(hashes) {
    features_.clear();
    hashes_.clear();
  }

  void add_known_word(uint32_t word, uint32_t hash) {
    if (settings_.subwords.enabled()) {
      auto ids = words_.of(word);
      features_.insert(features_.end(), ids.begin(), ids.end());
    } else {
      features_.push_back(word);
    }
    hashes_.push_back(hash);
  }
  void add_unknown_word(std::string_view token, uint32_t hash) {
    append_subword_ids(token, settings_.subwords, settings_.nwords, features_, settings_.prune);
    hashes_.push_back(hash);
  }
  void finish() {
    if (settings_.word_ngrams > 1)
      append_word_ngram_ids(hashes_, settings_.word_ngrams, settings_.bucket, settings_.nwords,
                            features_, settings_.prune);
  }

 private:
  const FeatureSettings& settings_;
  const WordFeatures& words_;
  std::vector<uint32_t>& features_;
  std::vector<uint32_t>& hashes_;
};

}  // namespace embkit::supervised
