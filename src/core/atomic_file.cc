#include "core/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <pthread.h>

#include "embkit/error.h"

namespace embkit {

namespace {

constexpr size_t kBufferBytes = 1 << 20;

std::string directory_of(const std::string& path) {
  std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? std::string(".") : parent;
}

// The temporary files being written, for the signal handler. Slots hold pointers to the owners'
// strings; the handler only reads them and calls unlink (async-signal-safe). More live files than
// slots are still written, just not cleaned up on a signal.
constexpr size_t kRegistrySlots = 64;
std::array<std::atomic<const char*>, kRegistrySlots> live_temporaries{};

extern "C" void remove_temporaries_and_reraise(int signal_number) {
  for (auto& slot : live_temporaries) {
    if (const char* path = slot.load()) ::unlink(path);
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

// Installs the handler for SIGINT and SIGTERM where they are at their default (a program with its
// own handler, such as Python's SIGINT or train's stop request, keeps it). Checked at every new
// file, since a program may have put a signal back to its default in between.
void install_cleanup_handlers() {
  for (int signal_number : {SIGINT, SIGTERM}) {
    struct sigaction current {};
    if (::sigaction(signal_number, nullptr, &current) != 0 || current.sa_handler != SIG_DFL)
      continue;
    struct sigaction handler {};
    handler.sa_handler = remove_temporaries_and_reraise;
    sigemptyset(&handler.sa_mask);
    ::sigaction(signal_number, &handler, nullptr);
  }
}

int register_temporary(const char* path) {
  install_cleanup_handlers();
  for (size_t i = 0; i < kRegistrySlots; ++i) {
    const char* empty = nullptr;
    if (live_temporaries[i].compare_exchange_strong(empty, path)) return static_cast<int>(i);
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot >= 0) live_temporaries[static_cast<size_t>(slot)].store(nullptr);
}

// Where a symlink chain ends (relative links resolved against their own directory); `path` itself
// when it is not a link. The end may not exist yet (a dangling link names the file to create).
std::string follow_symlinks(const std::string& path) {
  std::filesystem::path current = path;
  for (int depth = 0; depth < 40; ++depth) {
    std::error_code error;
    if (!std::filesystem::is_symlink(std::filesystem::symlink_status(current, error)))
      return current.string();
    std::filesystem::path next = std::filesystem::read_symlink(current, error);
    if (error) throw IoError("read the link", current.string(), error.value());
    current = next.is_absolute() ? next : current.parent_path() / next;
  }
  throw IoError("write", path, ELOOP);
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  target_ = follow_symlinks(path_);
  struct stat info {};
  if (::stat(target_.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    if (S_ISDIR(info.st_mode))
      throw IoError(fmt::format("cannot write '{}': it is a directory", path_));
    if (S_ISSOCK(info.st_mode))
      throw IoError(fmt::format("cannot write '{}': it is a socket", path_));
    open_direct();  // a device or FIFO: renaming over it would replace the node
  } else {
    open_temporary(target_);
  }
  buffer_.resize(kBufferBytes);
}

void AtomicFile::open_direct() {
  fd_ = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd_ < 0) throw IoError("write", path_, errno);
}

void AtomicFile::open_temporary(const std::string& target) {
  directory_ = directory_of(target);
  struct stat info {};
  if (::stat(directory_.c_str(), &info) != 0) {
    if (errno == ENOENT)
      throw IoError(fmt::format("cannot write '{}': output directory '{}' does not exist", path_,
                                directory_));
    throw IoError("inspect", directory_, errno);
  }
  if (!S_ISDIR(info.st_mode))
    throw IoError(fmt::format("cannot write '{}': '{}' is not a directory", path_, directory_));
  std::string pattern = target + ".tmp.XXXXXX";
  fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd_ < 0) throw IoError("create", pattern, errno);
  temp_path_ = std::move(pattern);
  registry_slot_ = register_temporary(temp_path_.c_str());
  // mkstemp creates 0600; give the file the permissions an ordinary new file would get.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
  unregister_temporary(registry_slot_);
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

void AtomicFile::finish_writing() {
  flush_buffer();
  if (!temp_path_.empty() && ::fsync(fd_) != 0) throw IoError("sync", path_, errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw IoError("close", path_, errno);
}

void AtomicFile::publish() {
  if (temp_path_.empty()) {  // written straight through: nothing to rename
    committed_ = true;
    return;
  }
  if (::rename(temp_path_.c_str(), target_.c_str()) != 0) throw IoError("rename to", path_, errno);
  committed_ = true;
  unregister_temporary(registry_slot_);
  registry_slot_ = -1;
  // Make the rename itself durable; failure here cannot undo the write, so it is not an error.
  int directory_fd = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory_fd >= 0) {
    ::fsync(directory_fd);
    ::close(directory_fd);
  }
}

void AtomicFile::commit() {
  finish_writing();
  publish();
}

void AtomicFile::commit_together(std::initializer_list<AtomicFile*> files) {
  for (AtomicFile* file : files) file->finish_writing();
  sigset_t held, previous;
  sigemptyset(&held);
  sigaddset(&held, SIGINT);
  sigaddset(&held, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &held, &previous);
  try {
    for (AtomicFile* file : files) file->publish();
  } catch (...) {
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    throw;
  }
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

}  // namespace embkit
