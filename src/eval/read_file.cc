#include "eval/read_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>

#include "embkit/error.h"
#include "io/utf8.h"

namespace embkit {

std::string read_whole_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) throw IoError("open", path, errno);
  std::string content;
  char buffer[1 << 16];
  size_t got;
  size_t line = 1, line_start = 0;  // of the line being read
  while ((got = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) {
    const size_t chunk_start = content.size();
    content.append(buffer, got);
    for (size_t at = chunk_start; (at = content.find('\n', at)) != std::string::npos; ++at) {
      if (at - line_start > kMaxLineBytes) break;
      ++line;
      line_start = at + 1;
    }
    if (content.size() - line_start > kMaxLineBytes)
      throw FormatError(path, fmt::format("line {} is longer than {} MiB (not a text file?)", line,
                                          kMaxLineBytes >> 20));
    if (content.size() > kMaxTextFileBytes)
      throw FormatError(path, fmt::format("more than {} MiB: too large for a word list",
                                          kMaxTextFileBytes >> 20));
  }
  if (std::ferror(file.get())) throw IoError("read", path, errno);
  if (std::string_view(content).starts_with(kUtf8ByteOrderMark))
    content.erase(0, kUtf8ByteOrderMark.size());
  return content;
}

}  // namespace embkit
