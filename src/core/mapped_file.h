// MappedFile: a whole file mapped read-only into memory (mmap), so readers can parse it in place
// and hand out views that borrow from it. Share it through std::shared_ptr: a view keeps the
// mapping alive. Files that cannot be mapped (pipes, character devices) are read into an owned
// buffer instead, at most max_stream_bytes() of them, and an empty file is an empty view without a
// mapping. Each open reads a pipe once: callers that detect a format and then parse open once and
// look at the head through `check_head`.
#pragma once

#include <cstddef>
#include <functional>
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

  // Called with the first kHeadBytes (or fewer, when the file is shorter: `whole` is then true)
  // before the rest is mapped or read; may throw (a format that cannot be recognised fails before an
  // endless device is read) and returns how the rest will be touched.
  using HeadCheck = std::function<Access(std::string_view head, bool whole)>;
  static constexpr size_t kHeadBytes = 64 << 10;

  // Throws IoError when the file cannot be opened, inspected, mapped or read, is a directory, or
  // is a pipe or device with more than max_stream_bytes().
  static std::shared_ptr<const MappedFile> open(const std::string& path,
                                                Access access = Access::Random);
  static std::shared_ptr<const MappedFile> open(const std::string& path,
                                                const HeadCheck& check_head);
  // Half the physical memory: what a non-seekable input may bring into memory.
  static size_t max_stream_bytes();

  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  std::string_view bytes() const { return {data_, size_}; }
  const std::string& path() const { return path_; }

 private:
  MappedFile() = default;
  static std::shared_ptr<const MappedFile> open_checked(const std::string& path, Access access,
                                                        const HeadCheck* check_head);

  std::string path_;
  const char* data_ = nullptr;
  size_t size_ = 0;
  void* mapping_ = nullptr;        // non-null when the bytes are mmap'ed
  std::vector<char> owned_bytes_;  // used when the file cannot be mapped
};

}  // namespace embkit
