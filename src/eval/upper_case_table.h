// The Unicode upper-case mapping as tables (generated into upper_case_table.cc by
// make_upper_case_table.py): simple one-to-one mappings as runs over disjoint code point ranges,
// and the full mappings that expand one code point into several ("ß" -> "SS").
#pragma once

#include <cstddef>
#include <cstdint>

namespace embkit {

// Code points first, first + stride, ..., last map to themselves plus delta.
struct UpperCaseRun {
  char32_t first;
  char32_t last;
  uint8_t stride;
  int32_t delta;
};

struct UpperCaseExpansion {
  char32_t code;
  const char* utf8;
};

extern const UpperCaseRun kUpperCaseRuns[];  // sorted by first
extern const size_t kUpperCaseRunCount;
extern const UpperCaseExpansion kUpperCaseExpansions[];  // sorted by code
extern const size_t kUpperCaseExpansionCount;

}  // namespace embkit
