// embkit's native format (.emb): a safetensors container, so any safetensors reader (or plain json
// + numpy) can open it. Layout, documented byte by byte in docs/formats.md:
//   u64 little-endian header length H | H bytes of JSON, space-padded so the data starts at a
//   multiple of 64 | data section: "vectors" F32 [N, D], "vocab_bytes" U8 (words back to back, zero
//   padded to a multiple of 8 bytes in total with the vectors), "vocab_offsets" U64 [N + 1],
//   "counts" U64 [N] (only when the vocabulary has counts).
// "__metadata__" holds strings: format "embkit", version, rows, dim, a crc32 of the data section.
// Opening maps the file and validates only the header, the sizes and the ends of the offsets array
// (constant time); verify_native() checks everything else.
#pragma once

#include <string>

#include "embkit/io.h"
#include "embkit/keyed_vectors.h"

namespace embkit {

inline constexpr std::string_view kNativeFormatVersion = "1";

// Opens in constant time: the matrix and the vocabulary borrow from the mapping.
KeyedVectors load_native(const std::string& path, const LoadOptions& options);
void save_native(const KeyedVectors& vectors, const std::string& path);

}  // namespace embkit
