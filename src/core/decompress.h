// Transparent decompression of whole buffers: gzip (and zlib), xz and zstd, recognised by their
// magic bytes rather than by file name. Used to read compressed model files into memory;
// multi-member gzip and concatenated xz/zstd streams are read to the end, like the command-line
// tools do.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace embkit {

enum class Compression { None, Gzip, Xz, Zstd };

// The compression of a buffer starting with `head` (a few bytes are enough), from its magic bytes.
Compression detect_compression(std::string_view head);
std::string_view compression_name(Compression compression);

// The most bytes decompress() produces before it fails with a FormatError ("decompresses to more
// than N MiB"), so a small compression bomb cannot exhaust memory: half the physical memory, the
// cap that non-seekable inputs also get. Assignable (tests lower it).
size_t& decompressed_size_limit();

// Decompresses `data`. With max_output > 0 stops once that many bytes are produced (the result may
// be a little longer) and does not complain about an unfinished stream: for sniffing a file's
// start. Throws FormatError naming `path` when the data is corrupt or truncated.
std::string decompress(std::string_view data, Compression compression, std::string_view path,
                       size_t max_output = 0);

}  // namespace embkit
