#include "text/utf8_validator.h"

#include <cstring>

namespace embkit {

namespace {

// True when one of the eight bytes has its high bit set or is zero.
inline bool has_high_or_zero_byte(uint64_t bytes) {
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  return ((bytes & kHigh) | ((bytes - kOnes) & ~bytes & kHigh)) != 0;
}

}  // namespace

size_t Utf8Validator::validate(const char* data, size_t size) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(data);
  size_t i = 0;
  while (i < size) {
    if (pending_ == 0) {
      while (i + 8 <= size) {
        uint64_t word;
        std::memcpy(&word, bytes + i, 8);
        if (has_high_or_zero_byte(word)) break;
        i += 8;
      }
      if (i == size) break;
      const uint8_t lead = bytes[i];
      if (lead == 0) return i;
      if (lead < 0x80) {
        ++i;
        continue;
      }
      // The second byte's range excludes overlong forms (E0, F0), surrogates (ED) and code
      // points above U+10FFFF (F4).
      next_low_ = 0x80;
      next_high_ = 0xBF;
      if (lead < 0xC2) {
        return i;
      } else if (lead < 0xE0) {
        pending_ = 1;
      } else if (lead < 0xF0) {
        pending_ = 2;
        if (lead == 0xE0) next_low_ = 0xA0;
        if (lead == 0xED) next_high_ = 0x9F;
      } else if (lead < 0xF5) {
        pending_ = 3;
        if (lead == 0xF0) next_low_ = 0x90;
        if (lead == 0xF4) next_high_ = 0x8F;
      } else {
        return i;
      }
      ++i;
      continue;
    }
    const uint8_t continuation = bytes[i];
    if (continuation < next_low_ || continuation > next_high_) return i;
    next_low_ = 0x80;
    next_high_ = 0xBF;
    --pending_;
    ++i;
  }
  return size;
}

}  // namespace embkit
