// ZIP reading and writing for .npz files (io/zip_archive.h).
#include "io/zip_archive.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "core/atomic_file.h"
#include "core/decompress.h"
#include "core/mapped_file.h"
#include "embkit/data_error.h"
#include "embkit/error.h"

namespace embkit {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint16_t kDosDate1980 = (0 << 9) | (1 << 5) | 1;  // 1980-01-01

void put16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& out, uint32_t v) {
  put16(out, static_cast<uint16_t>(v & 0xffff));
  put16(out, static_cast<uint16_t>(v >> 16));
}

// zlib's crc32 over any length (its length argument is 32-bit).
uLong crc_update(uLong crc, const void* data, size_t size) {
  const auto* p = static_cast<const Bytef*>(data);
  for (size_t done = 0; done < size;) {
    const size_t step = std::min<size_t>(size - done, size_t{1} << 30);
    crc = crc32(crc, p + done, static_cast<uInt>(step));
    done += step;
  }
  return crc;
}

}  // namespace

void write_stored_zip(AtomicFile& file, std::span<const ZipMember> members, const std::string& path) {
  std::string directory;
  uint64_t offset = 0;
  for (const ZipMember& m : members) {
    uint64_t content = 0;
    for (std::string_view piece : m.pieces) content += piece.size();
    const uint64_t size = content;
    if (size >= 0xffffffffULL || offset >= 0xffffffffULL)
      throw DataError(fmt::format("cannot write '{}': member {} is {} bytes; zip members above "
                                   "4 GiB are not supported",
                                   path, m.name, size));
    uLong running = crc32(0L, Z_NULL, 0);
    for (std::string_view piece : m.pieces) running = crc_update(running, piece.data(), piece.size());
    const auto crc = static_cast<uint32_t>(running);
    std::string local;
    put32(local, kLocalHeader);
    put16(local, 20);  // version needed: 2.0
    put16(local, 0);   // flags
    put16(local, 0);   // stored
    put16(local, 0);   // time
    put16(local, kDosDate1980);
    put32(local, crc);
    put32(local, static_cast<uint32_t>(size));
    put32(local, static_cast<uint32_t>(size));
    put16(local, static_cast<uint16_t>(m.name.size()));
    put16(local, 0);
    local += m.name;
    file.write(local);
    for (std::string_view piece : m.pieces)
      if (!piece.empty()) file.write(piece);

    put32(directory, kCentralHeader);
    put16(directory, 20);  // made by
    put16(directory, 20);  // needed
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, kDosDate1980);
    put32(directory, crc);
    put32(directory, static_cast<uint32_t>(size));
    put32(directory, static_cast<uint32_t>(size));
    put16(directory, static_cast<uint16_t>(m.name.size()));
    put16(directory, 0);  // extra
    put16(directory, 0);  // comment
    put16(directory, 0);  // disk
    put16(directory, 0);  // internal attributes
    put32(directory, 0);  // external attributes
    put32(directory, static_cast<uint32_t>(offset));
    directory += m.name;
    offset += local.size() + size;
  }
  if (offset >= 0xffffffffULL)
    throw DataError(fmt::format("cannot write '{}': archives above 4 GiB are not supported", path));
  std::string end;
  put32(end, kEndOfDirectory);
  put16(end, 0);
  put16(end, 0);
  put16(end, static_cast<uint16_t>(members.size()));
  put16(end, static_cast<uint16_t>(members.size()));
  put32(end, static_cast<uint32_t>(directory.size()));
  put32(end, static_cast<uint32_t>(offset));
  put16(end, 0);
  file.write(directory);
  file.write(end);
}

ZipReader::ZipReader(const std::string& path)
    : path_(path), file_(MappedFile::open(path, MappedFile::Access::Sequential)) {
  bytes_ = file_->bytes();
  read_directory();
}

std::optional<std::string_view> ZipReader::member(const std::string& name, std::string& storage) const {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.name == name; });
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = *it;
  if (e.local_offset > bytes_.size() || bytes_.size() - e.local_offset < 30 ||
      u32(e.local_offset) != kLocalHeader)
    fail(fmt::format("member {} has a bad local header", name));
  const uint64_t data = e.local_offset + 30 + u16(e.local_offset + 26) + u16(e.local_offset + 28);
  if (data > bytes_.size() || bytes_.size() - data < e.compressed)
    fail(fmt::format("member {} is truncated", name));
  std::string_view raw = bytes_.substr(data, e.compressed);
  std::string_view content;
  if (e.method == 0) {
    if (e.compressed != e.size) fail(fmt::format("member {} has inconsistent sizes", name));
    content = raw;
  } else if (e.method == 8) {
    // Deflate expands at most 1032:1; a larger declared size is a corrupt (or hostile) directory,
    // and no member may take more than the decompression limit.
    if (e.size / 1032 > e.compressed + 1)
      fail(fmt::format("member {} declares {} bytes, more than its {} compressed bytes can hold "
                       "(corrupt file)",
                       name, e.size, e.compressed));
    if (e.size > decompressed_size_limit())
      fail(fmt::format("member {} decompresses to {} bytes, above the limit of {} MiB (half the "
                       "memory)",
                       name, e.size, decompressed_size_limit() >> 20));
    storage.assign(e.size, '\0');
    inflate_raw(raw, storage, name);
    content = storage;
  } else {
    fail(fmt::format("member {} uses compression method {} (stored and deflate are supported)",
                     name, e.method));
  }
  if (static_cast<uint32_t>(crc_update(crc32(0L, Z_NULL, 0), content.data(), content.size())) != e.crc)
    fail(fmt::format("member {} is corrupt (CRC mismatch)", name));
  return content;
}

void ZipReader::fail(const std::string& message) const { throw FormatError(path_, message); }

uint16_t ZipReader::u16(uint64_t at) const {
  uint16_t v;
  std::memcpy(&v, bytes_.data() + at, 2);
  return v;
}
uint32_t ZipReader::u32(uint64_t at) const {
  uint32_t v;
  std::memcpy(&v, bytes_.data() + at, 4);
  return v;
}
uint64_t ZipReader::u64(uint64_t at) const {
  uint64_t v;
  std::memcpy(&v, bytes_.data() + at, 8);
  return v;
}

void ZipReader::read_directory() {
  if (bytes_.empty()) fail("file is empty");
  if (bytes_.size() < 22 || u32(0) != kLocalHeader) fail("not an .npz file (not a zip archive)");
  // The end-of-directory record sits in the last 22 + 65535 bytes (it may carry a comment).
  uint64_t end = bytes_.size() - 22;
  const uint64_t lowest = bytes_.size() > 22 + 65535 ? bytes_.size() - 22 - 65535 : 0;
  while (u32(end) != kEndOfDirectory) {
    if (end == lowest) fail("truncated .npz file (no zip directory)");
    --end;
  }
  uint64_t count = u16(end + 10);
  uint64_t directory_size = u32(end + 12);
  uint64_t directory_offset = u32(end + 16);
  if ((count == 0xffff || directory_offset == 0xffffffff) && end >= 20 &&
      u32(end - 20) == kZip64Locator) {
    const uint64_t record = u64(end - 20 + 8);
    if (record > bytes_.size() || bytes_.size() - record < 56 || u32(record) != kZip64EndOfDirectory)
      fail("bad ZIP64 directory record");
    count = u64(record + 32);
    directory_size = u64(record + 40);
    directory_offset = u64(record + 48);
  }
  if (directory_offset > bytes_.size() || bytes_.size() - directory_offset < directory_size)
    fail("truncated .npz file (the zip directory points past the end)");
  uint64_t at = directory_offset;
  const uint64_t stop = directory_offset + directory_size;
  for (uint64_t i = 0; i < count; ++i) {
    if (stop - at < 46 || u32(at) != kCentralHeader) fail("corrupt zip directory");
    Entry e;
    e.method = u16(at + 10);
    e.crc = u32(at + 16);
    e.compressed = u32(at + 20);
    e.size = u32(at + 24);
    const uint16_t name_length = u16(at + 28), extra_length = u16(at + 30),
                   comment_length = u16(at + 32);
    e.local_offset = u32(at + 42);
    if (stop - at < 46ULL + name_length + extra_length + comment_length)
      fail("corrupt zip directory");
    e.name.assign(bytes_.data() + at + 46, name_length);
    // ZIP64 extra field: 8-byte values for the 32-bit fields that hold 0xffffffff, in order.
    uint64_t extra = at + 46 + name_length;
    const uint64_t extra_end = extra + extra_length;
    while (extra + 4 <= extra_end) {
      const uint16_t id = u16(extra), length = u16(extra + 2);
      if (extra + 4 + length > extra_end) break;
      if (id == 0x0001) {
        uint64_t field = extra + 4;
        auto take = [&](uint64_t& value) {
          if (value == 0xffffffff && field + 8 <= extra + 4 + length) {
            value = u64(field);
            field += 8;
          }
        };
        take(e.size);
        take(e.compressed);
        take(e.local_offset);
      }
      extra += 4 + length;
    }
    entries_.push_back(std::move(e));
    at += 46ULL + name_length + extra_length + comment_length;
  }
}

void ZipReader::inflate_raw(std::string_view in, std::string& out, const std::string& name) const {
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) fail("cannot start the deflate decoder");
  size_t in_done = 0, out_done = 0;
  int status = Z_OK;
  while (status == Z_OK) {
    const size_t in_step = std::min<size_t>(in.size() - in_done, size_t{1} << 30);
    const size_t out_step = std::min<size_t>(out.size() - out_done, size_t{1} << 30);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + in_done));
    z.avail_in = static_cast<uInt>(in_step);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + out_done);
    z.avail_out = static_cast<uInt>(out_step);
    status = inflate(&z, Z_NO_FLUSH);
    in_done += in_step - z.avail_in;
    out_done += out_step - z.avail_out;
    if (status == Z_OK && in_step == 0 && out_step == 0) break;
    if (status == Z_BUF_ERROR && in_done < in.size() && out_done < out.size()) status = Z_OK;
  }
  inflateEnd(&z);
  if (status != Z_STREAM_END || out_done != out.size())
    fail(fmt::format("member {} is corrupt (deflate data does not decode to its size)", name));
}

}  // namespace embkit
