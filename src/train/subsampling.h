// Frequent-word subsampling with word2vec's formula (Mikolov et al. 2013, as implemented in
// word2vec.c): a word seen f times in a corpus of T tokens is kept with probability
//   p = (sqrt(f / (s*T)) + 1) * (s*T) / f        (s = the `sample` threshold; p >= 1 keeps it always)
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/random.h"

namespace embkit::train {

class Subsampler {
 public:
  Subsampler() = default;
  // sample <= 0 keeps every word.
  Subsampler(std::span<const uint64_t> counts, double sample);

  static double keep_probability(uint64_t count, uint64_t total, double sample);

  bool keep(uint32_t word, TrainRng& rng) const {
    uint32_t threshold = keep_thresholds_[word];
    return threshold == kAlways || static_cast<uint32_t>(rng.next()) < threshold;
  }

 private:
  static constexpr uint32_t kAlways = 0xFFFFFFFFu;
  std::vector<uint32_t> keep_thresholds_;  // keep probability x 2^32
};

}  // namespace embkit::train
