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

// At most the first `max_bytes` bytes of the (decompressed) file, for detecting its format.
std::string read_model_head(const std::string& path, size_t max_bytes);

}  // namespace embkit
