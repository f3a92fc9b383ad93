// The bytes of a model file, ready to parse: the file mapped read-only, or — when it starts with
// gzip, xz or zstd magic bytes — its decompressed content in memory. `owner` keeps either alive.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/decompress.h"
#include "core/mapped_file.h"

namespace embkit {

struct ModelBytes {
  std::shared_ptr<const void> owner;
  std::string_view bytes;
  Compression compression = Compression::None;
};

// Throws IoError when unreadable, FormatError when the compressed data is corrupt.
ModelBytes read_model_bytes(const std::string& path,
                            MappedFile::Access access = MappedFile::Access::Sequential);
// The same for a file already open (read once: a pipe cannot be read again).
ModelBytes model_bytes_of(std::shared_ptr<const MappedFile> file);

// At most the first `max_bytes` bytes of the (decompressed) file, for detecting its format.
std::string read_model_head(const std::string& path, size_t max_bytes);
// The same from the first bytes of a file (`whole`: they are all of it, so a short compressed
// stream is reported as truncated).
std::string model_head_of(std::string_view head, bool whole, const std::string& path,
                          size_t max_bytes);

}  // namespace embkit
