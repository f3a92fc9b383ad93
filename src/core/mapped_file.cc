#include "core/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "embkit/error.h"

namespace embkit {

namespace {

// Closes the descriptor on every path out of open().
struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

std::vector<char> read_all(int fd, const std::string& path) {
  std::vector<char> bytes;
  size_t used = 0;
  for (;;) {
    if (bytes.size() - used < (1u << 16)) bytes.resize(bytes.size() * 2 + (1u << 20));
    ssize_t got = ::read(fd, bytes.data() + used, bytes.size() - used);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw IoError("read", path, errno);
    }
    if (got == 0) break;
    used += static_cast<size_t>(got);
  }
  bytes.resize(used);
  return bytes;
}

}  // namespace

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path, Access access) {
  FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) throw IoError("open", path, errno);
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) throw IoError("inspect", path, errno);
  if (S_ISDIR(info.st_mode)) throw IoError("read", path, EISDIR);

  std::shared_ptr<MappedFile> mapped(new MappedFile());
  mapped->path_ = path;
  if (!S_ISREG(info.st_mode)) {
    mapped->owned_bytes_ = read_all(file.fd, path);
    mapped->data_ = mapped->owned_bytes_.data();
    mapped->size_ = mapped->owned_bytes_.size();
    return mapped;
  }
  mapped->size_ = static_cast<size_t>(info.st_size);
  if (mapped->size_ == 0) return mapped;

  int flags = MAP_PRIVATE;
  if (access == Access::Sequential) flags |= MAP_POPULATE;
  void* mapping = ::mmap(nullptr, mapped->size_, PROT_READ, flags, file.fd, 0);
  if (mapping == MAP_FAILED) throw IoError("map", path, errno);
  if (access == Access::Sequential) ::madvise(mapping, mapped->size_, MADV_SEQUENTIAL);
  mapped->mapping_ = mapping;
  mapped->data_ = static_cast<const char*>(mapping);
  return mapped;
}

MappedFile::~MappedFile() {
  if (mapping_) ::munmap(mapping_, size_);
}

}  // namespace embkit
