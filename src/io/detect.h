// Recognising a model file's format from its first bytes, with the file name only as a tie-breaker:
//   "\x93NUMPY"                              -> npy
//   int32 793712314 (fastText's magic)       -> fasttext-bin, whatever the extension
//   u64 little-endian length, then '{'       -> native (safetensors), unless the JSON starts with
//                                               the embkit index tag (an error: not a model)
//   first line "N D" (two integers)          -> word2vec header; the bytes after the next word tell
//                                               binary floats (outside the alphabet of decimal
//                                               numbers) from text
//   first line "word number number ..."      -> GloVe
#pragma once

#include <string>
#include <string_view>

#include "embkit/io.h"

namespace embkit {

// How many leading (decompressed) bytes detect_format_of() looks at.
inline constexpr size_t kDetectionBytes = 1 << 16;

// Throws FormatError (naming `path`) when the bytes match no format.
Format detect_format_of(std::string_view head, const std::string& path);

}  // namespace embkit
