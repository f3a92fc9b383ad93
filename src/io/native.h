// embkit's native format (.emb): a safetensors container, so any safetensors reader (or plain json
// + numpy) can open it. Layout, documented byte by byte in docs/formats.md:
//   u64 little-endian header length H | H bytes of JSON, space-padded so the data starts at a
//   multiple of 64 | data section: "vectors" F32 [N, D], "vocab_bytes" U8 (words back to back, zero
//   padded to a multiple of 8 bytes in total with the vectors), "vocab_offsets" U64 [N + 1],
//   "counts" U64 [N] (only when the vocabulary has counts), "scales" F32 [D] (only for I8 vectors).
// "vectors" may also be F16 or I8 (per-dimension symmetric codes, see embkit/quantize.h); loading
// such a file widens or dequantizes it into an owned float matrix.
// "__metadata__" holds strings: format "embkit", version, rows, dim, a crc32 of the data section.
// Opening maps the file and validates the header, the sizes and every offset it hands out (so a
// corrupted file cannot make a word view point outside it); verify_native() checks everything else.
#pragma once

#include <string>

#include "core/mapped_file.h"
#include "embkit/io.h"
#include "embkit/keyed_vectors.h"

namespace embkit {

inline constexpr std::string_view kNativeFormatVersion = "1";

// Opens without copying: the matrix and the vocabulary borrow from the mapping; only the offsets
// of the words handed out are read (one pass, 8 bytes per word).
KeyedVectors load_native(const std::string& path, const LoadOptions& options);
KeyedVectors load_native(std::shared_ptr<const MappedFile> file, const std::string& path,
                         const LoadOptions& options);
void save_native(const KeyedVectors& vectors, const std::string& path, Dtype dtype = Dtype::F32,
                 int threads = 0);
// The codes and scales of an I8 file, borrowed from the mapping (FormatError for other dtypes).
QuantizedVectors load_native_int8(const std::string& path, const LoadOptions& options);
// The storage type of a native file's vectors (opens the header only).
Dtype native_dtype(const std::string& path);
Dtype native_dtype(std::shared_ptr<const MappedFile> file, const std::string& path);

}  // namespace embkit
