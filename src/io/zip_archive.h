// ZIP archives as NumPy's .npz files use them: a writer of stored (uncompressed) members and a reader
// of stored or deflated members, ZIP64 sizes included. The reader maps the file and checks every
// offset and size it follows against the file's length, and each member's CRC.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace embkit {

class AtomicFile;
class MappedFile;

// A member's content is the concatenation of its pieces (e.g. an .npy header and the array bytes).
struct ZipMember {
  std::string name;
  std::vector<std::string_view> pieces;
};

// Writes the members, stored, and the central directory to `file` (not committed). UsageError
// naming `path` for a member or an archive above 4 GiB (no ZIP64 output).
void write_stored_zip(AtomicFile& file, std::span<const ZipMember> members, const std::string& path);

class ZipReader {
 public:
  // Throws IoError, or FormatError naming the file when it is not a readable zip archive.
  explicit ZipReader(const std::string& path);

  // The uncompressed bytes of member `name` (a view into the file when stored, else inflated into
  // `storage`); nullopt when the archive has no such member. FormatError for a corrupt member.
  std::optional<std::string_view> member(const std::string& name, std::string& storage) const;

  [[noreturn]] void fail(const std::string& message) const;
  const std::string& path() const { return path_; }

 private:
  struct Entry {
    std::string name;
    uint16_t method = 0;
    uint32_t crc = 0;
    uint64_t compressed = 0, size = 0, local_offset = 0;
  };

  uint16_t u16(uint64_t at) const;
  uint32_t u32(uint64_t at) const;
  uint64_t u64(uint64_t at) const;
  void read_directory();
  void inflate_raw(std::string_view in, std::string& out, const std::string& name) const;

  std::string path_;
  std::shared_ptr<const MappedFile> file_;
  std::string_view bytes_;
  std::vector<Entry> entries_;
};

}  // namespace embkit
