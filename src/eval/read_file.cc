#include "eval/read_file.h"

#include <cerrno>
#include <cstdio>
#include <memory>

#include "embkit/error.h"

namespace embkit {

std::string read_whole_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) throw IoError("open", path, errno);
  std::string content;
  char buffer[1 << 16];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) content.append(buffer, got);
  if (std::ferror(file.get())) throw IoError("read", path, errno);
  return content;
}

}  // namespace embkit
