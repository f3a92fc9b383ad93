// Upper-casing UTF-8 text with the tables of upper_case_table.cc (ASCII takes a shortcut).
#include "eval/upper_case.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "eval/upper_case_table.h"

namespace embkit {
namespace {

struct Decoded {
  char32_t code;
  size_t length;
};

// Decodes one UTF-8 sequence at the start of `text`; nothing when it is malformed.
std::optional<Decoded> decode_utf8(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(0);
  size_t length;
  char32_t code;
  if (lead < 0xC2) return std::nullopt;  // continuation byte or overlong two-byte form
  if (lead < 0xE0) {
    length = 2;
    code = lead & 0x1F;
  } else if (lead < 0xF0) {
    length = 3;
    code = lead & 0x0F;
  } else if (lead < 0xF5) {
    length = 4;
    code = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (text.size() < length) return std::nullopt;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return std::nullopt;
    code = (code << 6) | (byte(i) & 0x3F);
  }
  const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return std::nullopt;
  return Decoded{code, length};
}

void append_utf8(char32_t code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

void append_upper(char32_t code, std::string& out) {
  const UpperCaseExpansion* expansions_end = kUpperCaseExpansions + kUpperCaseExpansionCount;
  const UpperCaseExpansion* expansion =
      std::lower_bound(kUpperCaseExpansions, expansions_end, code,
                       [](const UpperCaseExpansion& e, char32_t c) { return e.code < c; });
  if (expansion != expansions_end && expansion->code == code) {
    out += expansion->utf8;
    return;
  }
  const UpperCaseRun* runs_end = kUpperCaseRuns + kUpperCaseRunCount;
  const UpperCaseRun* run = std::lower_bound(
      kUpperCaseRuns, runs_end, code, [](const UpperCaseRun& r, char32_t c) { return r.last < c; });
  if (run != runs_end && run->first <= code && (code - run->first) % run->stride == 0)
    code = static_cast<char32_t>(static_cast<int64_t>(code) + run->delta);
  append_utf8(code, out);
}

}  // namespace

std::string upper_case(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    const char c = utf8[i];
    if (static_cast<uint8_t>(c) < 0x80) {
      out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
      ++i;
      continue;
    }
    std::optional<Decoded> decoded = decode_utf8(utf8.substr(i));
    if (!decoded) {
      out += c;
      ++i;
      continue;
    }
    append_upper(decoded->code, out);
    i += decoded->length;
  }
  return out;
}

}  // namespace embkit
