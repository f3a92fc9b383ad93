// AtomicFile: writes a file so that it appears complete or not at all. Bytes go to a temporary file
// `path.tmp.XXXXXX` in the destination directory (so the final rename stays on one file system);
// commit() flushes, fsyncs and renames it over `path`. If commit() is never reached (an exception,
// a full disk) the destructor removes the temporary file, so readers never see a half-written file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace embkit {

class AtomicFile {
 public:
  // Throws IoError when the destination directory is missing or the temporary file cannot be
  // created.
  explicit AtomicFile(std::string path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // Buffered; large writes go straight to the file. Throws IoError (disk full, I/O error).
  void write(const void* data, size_t size);
  void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }
  // Flushes, fsyncs, renames the temporary file to `path` and fsyncs the directory.
  void commit();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  void write_to_fd(const char* data, size_t size);
  void flush_buffer();

  std::string path_;
  std::string temp_path_;
  std::string directory_;
  int fd_ = -1;
  std::vector<char> buffer_;
  size_t buffered_ = 0;
  bool committed_ = false;
};

}  // namespace embkit
