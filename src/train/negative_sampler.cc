#include "train/negative_sampler.h"

#include <cmath>

#include "embkit/data_error.h"
#include "embkit/error.h"

namespace embkit::train {

NegativeSampler::NegativeSampler(std::span<const uint64_t> counts, double power)
    : entries_(counts.size()), size_(counts.size()) {
  if (counts.empty()) throw DataError("negative sampling needs a non-empty vocabulary");
  std::vector<double> scaled(counts.size());
  double total = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    scaled[i] = std::pow(static_cast<double>(counts[i]), power);
    total += scaled[i];
  }
  if (!(total > 0)) throw UsageError("negative sampling needs words with non-zero counts");
  const double n = static_cast<double>(counts.size());
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < counts.size(); ++i) {
    scaled[i] = scaled[i] * n / total;  // mean 1
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  std::vector<double> keep(counts.size(), 1.0);
  std::vector<uint32_t> alias(counts.size());
  for (size_t i = 0; i < alias.size(); ++i) alias[i] = static_cast<uint32_t>(i);
  while (!small.empty() && !large.empty()) {
    uint32_t s = small.back(), l = large.back();
    small.pop_back();
    keep[s] = scaled[s];
    alias[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Whatever is left holds probability 1 up to rounding.
  for (size_t i = 0; i < counts.size(); ++i) {
    double threshold = std::ldexp(keep[i], 32);
    entries_[i].keep_threshold =
        threshold >= 4294967295.0 ? 0xFFFFFFFFu : static_cast<uint32_t>(threshold);
    entries_[i].alias = keep[i] >= 1.0 ? static_cast<uint32_t>(i) : alias[i];
  }
}

double NegativeSampler::probability(uint32_t word) const {
  // Sum over buckets of P(bucket) * P(word | bucket); a bucket is picked with probability 1/size
  // (the multiply-shift mapping of 32 random bits is uniform to within 2^-32).
  double p = 0;
  for (size_t b = 0; b < size_; ++b) {
    double keep = std::ldexp(static_cast<double>(entries_[b].keep_threshold), -32);
    if (b == word) p += keep;
    if (entries_[b].alias == word && b != word) p += 1.0 - keep;
  }
  return p / static_cast<double>(size_);
}

}  // namespace embkit::train
