#include "core/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "embkit/error.h"

namespace embkit {

namespace {

constexpr size_t kBufferBytes = 1 << 20;

std::string directory_of(const std::string& path) {
  std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? std::string(".") : parent;
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), directory_(directory_of(path_)) {
  struct stat info {};
  if (::stat(directory_.c_str(), &info) != 0) {
    if (errno == ENOENT)
      throw IoError(fmt::format("cannot write '{}': output directory '{}' does not exist", path_,
                                directory_));
    throw IoError("inspect", directory_, errno);
  }
  if (!S_ISDIR(info.st_mode))
    throw IoError(fmt::format("cannot write '{}': '{}' is not a directory", path_, directory_));
  std::string pattern = path_ + ".tmp.XXXXXX";
  fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd_ < 0) throw IoError("create", pattern, errno);
  temp_path_ = std::move(pattern);
  // mkstemp creates 0600; give the file the permissions an ordinary new file would get.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
  buffer_.resize(kBufferBytes);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void AtomicFile::write_to_fd(const char* data, size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd_, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw IoError("write", path_, errno);
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
}

void AtomicFile::flush_buffer() {
  write_to_fd(buffer_.data(), buffered_);
  buffered_ = 0;
}

void AtomicFile::write(const void* data, size_t size) {
  const char* bytes = static_cast<const char*>(data);
  if (buffered_ + size <= buffer_.size()) {
    std::memcpy(buffer_.data() + buffered_, bytes, size);
    buffered_ += size;
    return;
  }
  flush_buffer();
  if (size >= buffer_.size()) {
    write_to_fd(bytes, size);
  } else {
    std::memcpy(buffer_.data(), bytes, size);
    buffered_ = size;
  }
}

void AtomicFile::commit() {
  flush_buffer();
  if (::fsync(fd_) != 0) throw IoError("sync", path_, errno);
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw IoError("close", path_, errno);
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) throw IoError("rename to", path_, errno);
  committed_ = true;
  // Make the rename itself durable; failure here cannot undo the write, so it is not an error.
  int directory_fd = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory_fd >= 0) {
    ::fsync(directory_fd);
    ::close(directory_fd);
  }
}

}  // namespace embkit
