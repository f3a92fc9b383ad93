// UTF-8 validation of words and labels (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF).
#pragma once

#include <string>
#include <string_view>

namespace embkit {

bool is_valid_utf8(std::string_view text);

// Editors on Windows start UTF-8 text with this mark; readers drop it so that the first word is not
// silently "\xef\xbb\xbfword".
inline constexpr std::string_view kUtf8ByteOrderMark = "\xef\xbb\xbf";
inline std::string_view strip_utf8_bom(std::string_view text) {
  return text.starts_with(kUtf8ByteOrderMark) ? text.substr(kUtf8ByteOrderMark.size()) : text;
}

// A word made safe to quote in a one-line error message: invalid bytes as \xNN; a word longer than
// 40 bytes is cut at a character boundary and followed by "…(N bytes)". Every message that echoes
// a word from the input uses it.
std::string quote_word(std::string_view word);

}  // namespace embkit
