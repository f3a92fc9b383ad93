// Finite-value checks over float rows, written so the compiler vectorises them: a float is NaN or
// infinite exactly when all eight exponent bits are set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace embkit {

inline bool all_finite(const float* values, size_t count) {
  constexpr uint32_t kExponentBits = 0x7f800000u;
  uint32_t largest_exponent = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t bits;
    std::memcpy(&bits, values + i, sizeof bits);
    uint32_t exponent = bits & kExponentBits;
    largest_exponent = exponent > largest_exponent ? exponent : largest_exponent;
  }
  return largest_exponent != kExponentBits;
}

// Index of the first non-finite value, or `count` when all are finite.
inline size_t first_non_finite(const float* values, size_t count) {
  if (all_finite(values, count)) return count;
  size_t i = 0;
  while (all_finite(values + i, 1)) ++i;
  return i;
}

}  // namespace embkit
