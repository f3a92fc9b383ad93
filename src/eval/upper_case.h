// Case folding for case-insensitive evaluation: the full Unicode upper-case mapping, the same as
// Python's str.upper() (so "straße" and "STRASSE" meet, as they do in gensim's evaluation).
#pragma once

#include <string>
#include <string_view>

namespace embkit {

// Upper-cases UTF-8 text. Bytes that are not valid UTF-8 are copied unchanged.
std::string upper_case(std::string_view utf8);

}  // namespace embkit
