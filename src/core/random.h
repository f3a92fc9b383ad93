// TrainRng: the trainers' random number generator — SplitMix64 (Steele, Lea and Flood 2014), one
// 64-bit word of state, so a thread's generator is saved in a checkpoint and restored exactly.
#pragma once

#include <cstdint>

namespace embkit::train {

class TrainRng {
 public:
  explicit TrainRng(uint64_t state = 0) : state_(state) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound) by the multiply-shift method (bias below 2^-32 for bounds under 2^32).
  uint32_t below(uint32_t bound) {
    return static_cast<uint32_t>(((next() >> 32) * static_cast<uint64_t>(bound)) >> 32);
  }
  // Uniform in [0, 1).
  float uniform_float() { return static_cast<float>(next() >> 40) * 0x1.0p-24f; }

  uint64_t state() const { return state_; }

 private:
  uint64_t state_;
};

// A well-mixed seed for stream `index` (a thread) from the user's seed.
inline uint64_t stream_seed(uint64_t seed, uint64_t index) {
  TrainRng mixer(seed ^ (0xD1B54A32D192ED03ULL * (index + 1)));
  mixer.next();
  return mixer.next();
}

}  // namespace embkit::train
