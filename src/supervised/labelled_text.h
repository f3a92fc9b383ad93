// Text in fastText's supervised format, split the way fastText splits it: lines end at '\n', tokens
// are separated by fastText's whitespace (space, tab, \n, \r, \v, \f, \0), and a line that ends with
// a newline ends with the token "</s>".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace embkit::supervised {

inline constexpr std::string_view kEndOfLine = "</s>";

inline bool is_fasttext_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c == '\0';
}

// Calls on_token(token) for every token of `line` (which holds no '\n'), then on_token("</s>")
// when `ends_line`.
template <typename OnToken>
void for_each_token(std::string_view line, bool ends_line, OnToken&& on_token) {
  const char* p = line.data();
  const char* end = p + line.size();
  while (p < end) {
    while (p < end && is_fasttext_space(*p)) ++p;
    const char* start = p;
    while (p < end && !is_fasttext_space(*p)) ++p;
    if (p > start) on_token(std::string_view(start, static_cast<size_t>(p - start)));
  }
  if (ends_line) on_token(kEndOfLine);
}

// Calls on_line(line, ends_line, line_number) for every line of `text` (1-based numbers); a last
// line without a newline is passed with ends_line false (and skipped when empty).
template <typename OnLine>
void for_each_line(std::string_view text, OnLine&& on_line) {
  size_t start = 0;
  uint64_t number = 0;
  while (start < text.size()) {
    const size_t newline = text.find('\n', start);
    ++number;
    if (newline == std::string_view::npos) {
      on_line(text.substr(start), false, number);
      return;
    }
    on_line(text.substr(start, newline - start), true, number);
    start = newline + 1;
  }
}

// Whether a line holds nothing but whitespace.
inline bool is_blank(std::string_view line) {
  for (char c : line)
    if (!is_fasttext_space(c)) return false;
  return true;
}

// The bytes of a data file: mapped when plain, decompressed (.gz, .xz, .zst, by content) otherwise,
// a UTF-8 byte-order mark dropped. `owner` keeps them alive.
struct TextBytes {
  std::shared_ptr<const void> owner;
  std::string_view text;
};
TextBytes read_text_bytes(const std::string& path);

}  // namespace embkit::supervised
