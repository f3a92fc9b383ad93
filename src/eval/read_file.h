// Reading a whole evaluation or word-list file (question and pair files are a few hundred
// kilobytes): read once (a pipe works), a leading UTF-8 byte order mark dropped, and bounded — a
// line longer than kMaxLineBytes or a file above kMaxTextFileBytes is an error, so `/dev/zero` or a
// binary file given by mistake fails at once instead of filling memory.
#pragma once

#include <cstddef>
#include <string>

namespace embkit {

inline constexpr size_t kMaxLineBytes = size_t{1} << 20;
inline constexpr size_t kMaxTextFileBytes = size_t{1} << 30;

// The file's bytes; throws IoError when it cannot be opened or read, FormatError (naming the file
// and line) when a line or the file is too long.
std::string read_whole_file(const std::string& path);

}  // namespace embkit
