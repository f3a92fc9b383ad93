#include "core/mapped_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

// Appends up to `limit` bytes of `fd` to `bytes` (from `used` on); returns the new used size.
size_t read_into(int fd, std::vector<char>& bytes, size_t used, size_t limit,
                 const std::string& path) {
  while (used < limit) {
    if (bytes.size() - used < (1u << 16))
      bytes.resize(std::min(limit, std::max(bytes.size() * 2, used + (size_t{1} << 20))));
    ssize_t got = ::read(fd, bytes.data() + used, std::min(bytes.size(), limit) - used);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw IoError("read", path, errno);
    }
    if (got == 0) break;
    used += static_cast<size_t>(got);
  }
  return used;
}

}  // namespace

size_t MappedFile::max_stream_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return size_t{4} << 30;
  return static_cast<size_t>(pages) / 2 * static_cast<size_t>(page_size);
}

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path, Access access) {
  return open_checked(path, access, nullptr);
}

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path,
                                                   const HeadCheck& check_head) {
  return open_checked(path, Access::Random, &check_head);
}

std::shared_ptr<const MappedFile> MappedFile::open_checked(const std::string& path, Access access,
                                                           const HeadCheck* check_head) {
  FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) throw IoError("open", path, errno);
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) throw IoError("inspect", path, errno);
  if (S_ISDIR(info.st_mode)) throw IoError("read", path, EISDIR);

  std::shared_ptr<MappedFile> mapped(new MappedFile());
  mapped->path_ = path;
  if (!S_ISREG(info.st_mode)) {
    // A pipe or device: read once, the head first (a check may reject /dev/zero before it fills
    // memory), the rest up to the cap.
    std::vector<char>& bytes = mapped->owned_bytes_;
    size_t used = read_into(file.fd, bytes, 0, kHeadBytes, path);
    if (check_head) (*check_head)({bytes.data(), used}, used < kHeadBytes);
    const size_t cap = max_stream_bytes();
    if (used == kHeadBytes) used = read_into(file.fd, bytes, used, cap + 1, path);
    if (used > cap)
      throw IoError(fmt::format("cannot read '{}': a pipe or device with more than {} MiB (half "
                                "the memory); copy it to a file",
                                path, cap >> 20));
    bytes.resize(used);
    bytes.shrink_to_fit();
    mapped->data_ = bytes.data();
    mapped->size_ = used;
    return mapped;
  }
  mapped->size_ = static_cast<size_t>(info.st_size);
  if (check_head) {
    std::vector<char> head(std::min(mapped->size_, kHeadBytes));
    size_t used = 0;
    while (used < head.size()) {
      ssize_t got = ::pread(file.fd, head.data() + used, head.size() - used, off_t(used));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw IoError("read", path, errno);
      if (got == 0) break;
      used += static_cast<size_t>(got);
    }
    access = (*check_head)({head.data(), used}, mapped->size_ <= kHeadBytes);
  }
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
