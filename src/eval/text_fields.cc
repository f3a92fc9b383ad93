#include "eval/text_fields.h"

#include <charconv>

namespace embkit {
namespace {

// Length of the whitespace character at the start of `text`, or 0.
size_t whitespace_length(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead == ' ' || (lead >= '\t' && lead <= '\r') || (lead >= 0x1C && lead <= 0x1F)) return 1;
  if (lead == 0xC2 && text.size() >= 2 && (byte(1) == 0x85 || byte(1) == 0xA0)) return 2;
  if (text.size() < 3) return 0;
  const unsigned char b1 = byte(1), b2 = byte(2);
  if (lead == 0xE1 && b1 == 0x9A && b2 == 0x80) return 3;  // U+1680
  if (lead == 0xE2 && b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF))
    return 3;                                              // U+2000..U+200A, U+2028, U+2029, U+202F
  if (lead == 0xE2 && b1 == 0x81 && b2 == 0x9F) return 3;  // U+205F
  if (lead == 0xE3 && b1 == 0x80 && b2 == 0x80) return 3;  // U+3000
  return 0;
}

// Length of a whitespace character that ends `text`, or 0.
size_t trailing_whitespace_length(std::string_view text) {
  for (size_t length = 1; length <= 3 && length <= text.size(); ++length)
    if (whitespace_length(text.substr(text.size() - length)) == length) return length;
  return 0;
}

}  // namespace

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t i = 0, field_start = std::string_view::npos;
  while (i < text.size()) {
    const size_t space = whitespace_length(text.substr(i));
    if (space) {
      if (field_start != std::string_view::npos) {
        fields.push_back(text.substr(field_start, i - field_start));
        field_start = std::string_view::npos;
      }
      i += space;
    } else {
      if (field_start == std::string_view::npos) field_start = i;
      ++i;
    }
  }
  if (field_start != std::string_view::npos) fields.push_back(text.substr(field_start));
  return fields;
}

std::string_view strip_whitespace(std::string_view text) {
  while (!text.empty()) {
    const size_t space = whitespace_length(text);
    if (!space) break;
    text.remove_prefix(space);
  }
  while (!text.empty()) {
    const size_t space = trailing_whitespace_length(text);
    if (!space) break;
    text.remove_suffix(space);
  }
  return text;
}

std::vector<std::string_view> split_on(std::string_view text, char delimiter) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(delimiter, start);
    if (end == std::string_view::npos) {
      fields.push_back(text.substr(start));
      return fields;
    }
    fields.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::optional<double> parse_number(std::string_view text) {
  text = strip_whitespace(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) return std::nullopt;
  }
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return negative ? -value : value;
}

std::vector<std::string_view> split_lines_universal(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

}  // namespace embkit
