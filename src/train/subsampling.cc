#include "train/subsampling.h"

#include <cmath>

namespace embkit::train {

double Subsampler::keep_probability(uint64_t count, uint64_t total, double sample) {
  if (sample <= 0 || count == 0) return 1.0;
  double threshold = sample * static_cast<double>(total);
  double f = static_cast<double>(count);
  return (std::sqrt(f / threshold) + 1.0) * threshold / f;
}

Subsampler::Subsampler(std::span<const uint64_t> counts, double sample)
    : keep_thresholds_(counts.size(), kAlways) {
  uint64_t total = 0;
  for (uint64_t c : counts) total += c;
  for (size_t i = 0; i < counts.size(); ++i) {
    double p = keep_probability(counts[i], total, sample);
    if (p < 1.0) keep_thresholds_[i] = static_cast<uint32_t>(std::ldexp(p, 32));
  }
}

}  // namespace embkit::train
