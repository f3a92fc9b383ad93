// UTF-8 validation of words and labels (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF).
#pragma once

#include <string>
#include <string_view>

namespace embkit {

bool is_valid_utf8(std::string_view text);

// A word made safe to quote in a one-line error message: invalid bytes as \xNN, long words cut.
std::string quote_word(std::string_view word);

}  // namespace embkit
