// Splitting evaluation files into fields the way gensim's Python reads them: str.split() on any
// Unicode whitespace, str.strip(), float() of a field, and universal-newline line splitting.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace embkit {

// Fields separated by runs of whitespace (ASCII whitespace, U+001C..U+001F and the Unicode spaces
// U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
std::vector<std::string_view> split_whitespace(std::string_view text);

// `text` without leading and trailing whitespace (the same whitespace as split_whitespace).
std::string_view strip_whitespace(std::string_view text);

// Fields separated by every occurrence of `delimiter` (empty fields kept).
std::vector<std::string_view> split_on(std::string_view text, char delimiter);

// A number as float() reads it: surrounding whitespace allowed, optional sign, "inf", "nan".
std::optional<double> parse_number(std::string_view text);

// Lines ended by "\n", "\r\n" or "\r" (text mode with universal newlines), without terminators.
std::vector<std::string_view> split_lines_universal(std::string_view text);

}  // namespace embkit
