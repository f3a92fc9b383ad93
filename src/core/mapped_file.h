// MappedFile: a whole file mapped read-only into memory (mmap), so readers can parse it in place
// and hand out views that borrow from it. Share it through std::shared_ptr: a view keeps the
// mapping alive. Files that cannot be mapped (pipes, character devices) are read into an owned
// buffer instead, and an empty file is an empty view without a mapping.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace embkit {

class MappedFile {
 public:
  // How the caller will touch the bytes: Sequential asks the kernel to read ahead and pre-fault the
  // pages (a parser that reads everything); Random leaves pages to fault in on demand (opening a
  // large file in constant time).
  enum class Access { Random, Sequential };

  // Throws IoError when the file cannot be opened, inspected, mapped or read.
  static std::shared_ptr<const MappedFile> open(const std::string& path,
                                                Access access = Access::Random);

  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  std::string_view bytes() const { return {data_, size_}; }
  const std::string& path() const { return path_; }

 private:
  MappedFile() = default;

  std::string path_;
  const char* data_ = nullptr;
  size_t size_ = 0;
  void* mapping_ = nullptr;        // non-null when the bytes are mmap'ed
  std::vector<char> owned_bytes_;  // used when the file cannot be mapped
};

}  // namespace embkit
