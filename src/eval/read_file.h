// Reading a whole evaluation file (question and pair files are a few hundred kilobytes).
#pragma once

#include <string>

namespace embkit {

// The file's bytes; throws IoError when it cannot be opened or read.
std::string read_whole_file(const std::string& path);

}  // namespace embkit
