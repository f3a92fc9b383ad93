// A file read as a stream of decompressed bytes: plain text, gzip (multi-member), xz (concatenated
// streams) or zstd (several frames), recognised by the magic bytes at the start of the file. Input
// is read through a fixed 1 MB buffer and the decoders keep bounded state, so memory does not
// depend on the file's size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/decompress.h"

namespace embkit {

// Corrupt or truncated compressed data. The text reader turns it into a FormatError that names the
// file and the line the text had reached.
class CorruptStreamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DecompressStream {
 public:
  // Throws IoError when the file cannot be opened or read.
  explicit DecompressStream(const std::string& path);
  ~DecompressStream();
  DecompressStream(const DecompressStream&) = delete;
  DecompressStream& operator=(const DecompressStream&) = delete;

  // Fills `out` with up to `capacity` bytes of text (a leading UTF-8 byte order mark dropped); fewer
  // only at the end of the file; 0 = end.
  // Throws CorruptStreamError for corrupt or truncated data, IoError when reading fails.
  size_t read(char* out, size_t capacity);

  Compression compression() const { return compression_; }
  uint64_t file_bytes() const { return file_bytes_; }
  uint64_t bytes_consumed() const { return bytes_consumed_; }

  // One decoder per format, defined in the .cc file.
  class Decoder;

 private:
  static constexpr size_t kInputBufferBytes = size_t{1} << 20;

  // Refills the input buffer from the file when it is used up; false at the end of the file.
  bool refill_input();
  size_t read_decoded(char* out, size_t capacity);

  std::string path_;
  int fd_ = -1;
  Compression compression_ = Compression::None;
  uint64_t file_bytes_ = 0;
  uint64_t bytes_consumed_ = 0;
  std::unique_ptr<char[]> input_;
  size_t input_begin_ = 0;
  size_t input_end_ = 0;
  bool input_at_eof_ = false;
  bool stream_ended_ = false;
  bool at_start_ = true;  // nothing handed out yet (a byte order mark may follow)
  std::unique_ptr<Decoder> decoder_;
};

}  // namespace embkit
