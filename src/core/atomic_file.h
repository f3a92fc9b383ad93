// AtomicFile: writes a file so that it appears complete or not at all. Bytes go to a temporary file
// `path.tmp.XXXXXX` in the destination directory (so the final rename stays on one file system);
// commit() flushes, fsyncs and renames it over `path`. If commit() is never reached (an exception,
// a full disk) the destructor removes the temporary file, so readers never see a half-written file.
//
// Outputs that are not files stay what they are: a symlink is followed (the temporary file goes
// beside its target and is renamed over the target, so the link survives), and a character or block
// device or a FIFO (`/dev/null`, `/dev/stdout`, `<(…)`) is written straight through, since renaming
// over it would replace the device node. A socket or directory is refused.
//
// Live temporary files are listed in a registry that a SIGINT / SIGTERM handler empties (unlink)
// before the signal takes its default course, so Ctrl-C never leaves `path.tmp.*` behind. The
// handler is installed by each new AtomicFile for the signals that are still at their default.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace embkit {

class AtomicFile {
 public:
  // Throws IoError when the destination directory is missing, the output is a directory or socket,
  // or the temporary file cannot be created.
  explicit AtomicFile(std::string path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // Buffered; large writes go straight to the file. Throws IoError (disk full, I/O error).
  void write(const void* data, size_t size);
  void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }
  // Flushes, fsyncs, renames the temporary file to `path` and fsyncs the directory (a device or
  // FIFO output: flushes only).
  void commit();
  // Commits several files as one: all are written and synced first, then renamed in the given
  // order with SIGINT / SIGTERM held back, so an error or signal leaves either all old files or all
  // new ones (only a crash between two renames, microseconds apart, can mix them).
  static void commit_together(std::initializer_list<AtomicFile*> files);

  const std::string& path() const { return path_; }
  // Empty when the output is written straight through.
  const std::string& temp_path() const { return temp_path_; }

 private:
  void write_to_fd(const char* data, size_t size);
  void finish_writing();  // flush, fsync, close
  void publish();         // rename over the target, fsync the directory
  void flush_buffer();
  void open_temporary(const std::string& target);
  void open_direct();

  std::string path_;
  std::string target_;  // the file renamed over: path_, or where a symlink path_ points
  std::string temp_path_;
  std::string directory_;
  int fd_ = -1;
  int registry_slot_ = -1;
  std::vector<char> buffer_;
  size_t buffered_ = 0;
  bool committed_ = false;
};

}  // namespace embkit
