// Lowercasing for the tokenizer's lowercase option, in place and length-preserving: ASCII, and the
// two-byte UTF-8 letters with a one-to-one lower-case form of the same length — Latin-1, Latin
// Extended-A, Greek and Cyrillic capitals. Other characters (including the few whose lower case has
// another length, such as U+0130 "İ") are left as they are.
#pragma once

#include <cstddef>

namespace embkit {

// `text` must be valid UTF-8 (the tokenizer has validated it).
void lowercase_utf8_in_place(char* text, size_t size);

}  // namespace embkit
