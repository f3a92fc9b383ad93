// Streaming UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF),
// fed chunk by chunk so a character cut by a chunk boundary is checked across it. A NUL byte also
// counts as invalid: text corpora never contain one, binary files nearly always do. ASCII is
// checked eight bytes at a time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace embkit {

class Utf8Validator {
 public:
  // Offset of the first byte of `data` that makes the text invalid, or `size` when it is all valid
  // so far (a character may still be unfinished at the end: see in_character()).
  size_t validate(const char* data, size_t size);
  // True when the text so far ends inside a multi-byte character (invalid if the text ends here).
  bool in_character() const { return pending_ != 0; }

 private:
  uint8_t pending_ = 0;  // continuation bytes still expected
  uint8_t next_low_ = 0x80;
  uint8_t next_high_ = 0xBF;
};

}  // namespace embkit
