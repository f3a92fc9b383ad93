// NegativeSampler: draws negative words from the unigram distribution raised to the power 0.75
// (Mikolov et al. 2013) with Walker's alias method (Vose's construction): two arrays of one entry per
// word, O(1) per draw from one 64-bit random number. word2vec's 1e8-entry table costs 400 MB and a
// cache miss per draw; this costs 8 bytes per word.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/random.h"

namespace embkit::train {

class NegativeSampler {
 public:
  NegativeSampler() = default;
  // Word i has weight counts[i]^power. Throws UsageError when there are no words or all weights are 0.
  explicit NegativeSampler(std::span<const uint64_t> counts, double power = 0.75);

  uint32_t sample(TrainRng& rng) const {
    uint64_t r = rng.next();
    uint32_t bucket = static_cast<uint32_t>(((r >> 32) * size_) >> 32);
    const Entry& entry = entries_[bucket];
    return static_cast<uint32_t>(r) < entry.keep_threshold ? bucket : entry.alias;
  }
  size_t size() const { return size_; }
  // The probability of drawing `word` (for tests).
  double probability(uint32_t word) const;

 private:
  struct Entry {
    uint32_t keep_threshold;  // keep the bucket's own word when the low 32 bits are below this
    uint32_t alias;
  };
  std::vector<Entry> entries_;
  uint64_t size_ = 0;
};

}  // namespace embkit::train
