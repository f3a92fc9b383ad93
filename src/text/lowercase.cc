#include "text/lowercase.h"

#include <cstdint>

namespace embkit {

namespace {

// Lower case of a code point in U+0080..U+07FF; the result stays in that range (two UTF-8 bytes).
char32_t lowercase_two_byte(char32_t c) {
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;  // Latin-1 capitals
  if (c >= 0x100 && c <= 0x137 && c != 0x130) return c | 1;    // Latin Extended-A pairs: even upper
  if (c >= 0x139 && c <= 0x148) return (c & 1) ? c + 1 : c;    // odd upper
  if (c >= 0x14A && c <= 0x177) return c | 1;
  if (c == 0x178) return 0xFF;  // Ÿ -> ÿ
  if (c >= 0x179 && c <= 0x17E) return (c & 1) ? c + 1 : c;
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 0x20;  // Greek capitals
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 0x25;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 0x3F;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;  // Cyrillic capitals
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  return c;
}

}  // namespace

void lowercase_utf8_in_place(char* text, size_t size) {
  auto* bytes = reinterpret_cast<uint8_t*>(text);
  size_t i = 0;
  while (i < size) {
    const uint8_t lead = bytes[i];
    if (lead < 0x80) {
      if (lead >= 'A' && lead <= 'Z') bytes[i] = static_cast<uint8_t>(lead + ('a' - 'A'));
      ++i;
    } else if (lead < 0xE0) {
      if (i + 1 >= size) return;
      char32_t code = (char32_t(lead & 0x1F) << 6) | (bytes[i + 1] & 0x3F);
      char32_t lower = lowercase_two_byte(code);
      bytes[i] = static_cast<uint8_t>(0xC0 | (lower >> 6));
      bytes[i + 1] = static_cast<uint8_t>(0x80 | (lower & 0x3F));
      i += 2;
    } else {
      i += lead < 0xF0 ? 3 : 4;
    }
  }
}

}  // namespace embkit
