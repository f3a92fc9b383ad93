// Reading and writing embedding files. Every format embkit supports is read by load() and written
// by save(); the format is detected from the file's content (and its extension where content is
// ambiguous) unless given. Formats:
//   native    safetensors container (.emb): JSON header + aligned raw tensors, opened by mmap; the
//             vocabulary offsets are checked, the vectors are not read (docs/formats.md, byte by byte)
//   vec       word2vec / fastText text: header "N D", then one "word v1 ... vD" line per word
//   glove     GloVe text: like vec without the header line
//   bin       word2vec binary, byte-compatible with the original C tool
//   npy       NumPy .npy matrix (float32 or float64) plus a labels file, one label per line
//   fasttext-bin  fastText's own model (.bin, quantized .ftz): words, subword n-gram rows, both
//             matrices (embkit/fasttext_model.h); loaded as its word vectors with the n-gram table
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "embkit/fasttext_model.h"
#include "embkit/keyed_vectors.h"
#include "embkit/quantize.h"

namespace embkit {

enum class Format { Auto, Native, Vec, Glove, Bin, Npy, FastText };

// "native", "vec", "glove", "bin", "npy", "fasttext-bin" (and "auto"); parse_format also accepts
// "w2v", "word2vec", "fasttext" (fastText's .vec text), "txt", "emb", "safetensors", "ftz",
// "fasttext.bin" as aliases. Throws UsageError for unknown names.
std::string_view format_name(Format format);
Format parse_format(std::string_view name);

struct LoadOptions {
  Format format = Format::Auto;
  size_t limit = 0;         // read only the first `limit` vectors (0 = all)
  std::string labels_path;  // npy only; default: <stem>.labels.txt beside the .npy
  int threads = 0;          // text parsing threads (0 = all cores)
  bool verify = false;      // native only: check the checksum and vocabulary (O(file size))
};

struct SaveOptions {
  // Auto: from the extension (.emb native, .npy, .txt/.vec vec, .ftz fastText model, .bin word2vec
  // binary, or a fastText model when the vectors have subwords)
  Format format = Format::Auto;
  std::string labels_path;       // npy only; default: <stem>.labels.txt beside the .npy
  int threads = 0;               // text formatting threads (0 = all cores)
  Dtype dtype = Dtype::F32;      // storage type; f16 and i8 only for the native format
};

// Detects the format of an existing file from its first bytes (and extension when ambiguous).
// Throws IoError if unreadable, FormatError if it matches no format.
Format detect_format(const std::string& path);
// The format a file name asks for when written (by extension); Native when unknown.
Format format_for_output(const std::string& path);
// The same for these vectors: a `.bin` name holds a fastText model when they have subwords.
Format format_for_output(const std::string& path, const KeyedVectors& vectors);

// Throws IoError (cannot open/read) or FormatError ("path:line: what is wrong"). The file is opened
// and read once, so pipes and FIFOs (`<(zcat m.vec.gz)`) load like files; they are read into
// memory, at most half of it.
KeyedVectors load(const std::string& path, const LoadOptions& options = {});

// What load() found besides the vectors.
struct LoadDetails {
  Format format = Format::Auto;  // as detected (or given)
  Dtype dtype = Dtype::F32;      // storage type in the file (f16 / i8 only for native files)
  size_t file_bytes = 0;         // size of the file as read (before decompression)
  std::optional<FastTextSummary> fasttext;  // a fastText model's arguments and dictionary sizes
};
KeyedVectors load(const std::string& path, const LoadOptions& options, LoadDetails& details);

// Writes atomically (temporary file + fsync + rename): on any error no file is left at `path`.
// Text formats write every float with the shortest representation that reads back bit-exactly.
void save(const KeyedVectors& vectors, const std::string& path, const SaveOptions& options = {});

// Int8 codes + per-dimension scales of a model, without dequantizing: a native i8 file's codes are
// borrowed from the mapping; any other file is loaded and quantized (embkit/quantize.h).
struct QuantizedVectors {
  Vocab vocab;
  Int8Matrix codes;
};
QuantizedVectors load_int8(const std::string& path, const LoadOptions& options = {});
// The storage type of a file's vectors: f16 or i8 for native files that hold them, else f32.
Dtype stored_dtype(const std::string& path, Format format = Format::Auto);

// Checks a native file completely: checksum, offsets, UTF-8 and uniqueness of words, finite values.
// Throws FormatError on the first problem.
void verify_native(const std::string& path);

}  // namespace embkit
