#include "io/native.h"

#include <fmt/format.h>
#include <omp.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "core/atomic_file.h"
#include "core/mapped_file.h"
#include "core/threads.h"
#include "embkit/data_error.h"
#include "embkit/error.h"
#include "embkit/quantize.h"
#include "core/finite.h"
#include "io/utf8.h"

namespace embkit {

static_assert(std::endian::native == std::endian::little,
              "the native format stores little-endian numbers; add byte swapping for this target");

namespace {

constexpr size_t kDataAlignment = 64;
constexpr uint64_t kMaxHeaderBytes = 100 << 20;

struct TensorView {
  size_t begin = 0;  // offsets within the data section
  size_t end = 0;
  std::vector<size_t> shape;
};

struct NativeLayout {
  std::shared_ptr<const MappedFile> file;
  size_t data_start = 0;
  size_t rows = 0;
  size_t dim = 0;
  Dtype dtype = Dtype::F32;
  TensorView vectors, vocab_offsets, vocab_bytes;
  std::optional<TensorView> counts, scales;
  std::optional<TensorView> ngrams, ngram_prune;  // subword models
  SubwordSettings subwords{0, 0, 0};
  nlohmann::json metadata;

  const char* data() const { return file->data() + data_start; }
  size_t data_size() const { return file->size() - data_start; }
  const uint64_t* offsets() const {
    return reinterpret_cast<const uint64_t*>(data() + vocab_offsets.begin);
  }
};

size_t dtype_size(std::string_view dtype) {
  if (dtype == "F32") return 4;
  if (dtype == "U64") return 8;
  if (dtype == "U8" || dtype == "I8") return 1;
  if (dtype == "F16") return 2;
  return 0;
}

TensorView read_tensor(const nlohmann::json& header, const std::string& name,
                       std::string_view dtype, size_t rank, size_t data_size,
                       const std::string& path) {
  auto fail = [&](std::string_view what) {
    return FormatError(path, fmt::format("tensor '{}': {}", name, what));
  };
  auto entry = header.find(name);
  if (entry == header.end())
    throw FormatError(path, fmt::format("no tensor '{}' in the header", name));
  if (!entry->is_object()) throw fail("not an object");
  auto type = entry->find("dtype");
  if (type == entry->end() || !type->is_string()) throw fail("no dtype");
  if (*type != dtype)
    throw fail(fmt::format("dtype is {} but embkit needs {}", type->get<std::string>(), dtype));
  auto shape = entry->find("shape");
  if (shape == entry->end() || !shape->is_array() || shape->size() != rank)
    throw fail(fmt::format("shape must have {} dimension{}", rank, rank == 1 ? "" : "s"));
  auto offsets = entry->find("data_offsets");
  if (offsets == entry->end() || !offsets->is_array() || offsets->size() != 2)
    throw fail("data_offsets must be [begin, end]");
  TensorView view;
  size_t elements = 1;
  for (const auto& extent : *shape) {
    if (!extent.is_number_unsigned()) throw fail("shape holds a non-integer");
    size_t n = extent.get<size_t>();
    if (n != 0 && elements > SIZE_MAX / n) throw fail("shape is too large");
    elements *= n;
    view.shape.push_back(n);
  }
  if (!(*offsets)[0].is_number_unsigned() || !(*offsets)[1].is_number_unsigned())
    throw fail("data_offsets hold a non-integer");
  view.begin = (*offsets)[0].get<size_t>();
  view.end = (*offsets)[1].get<size_t>();
  if (view.begin > view.end || view.end > data_size)
    throw fail(
        fmt::format("data_offsets [{}, {}] lie outside the {}-byte data section (truncated "
                    "file?)",
                    view.begin, view.end, data_size));
  if (elements > SIZE_MAX / dtype_size(dtype) ||
      elements * dtype_size(dtype) != view.end - view.begin)
    throw fail(fmt::format("shape needs {} bytes but data_offsets span {}",
                           elements * dtype_size(dtype), view.end - view.begin));
  return view;
}

std::string_view safetensors_dtype(Dtype dtype) {
  switch (dtype) {
    case Dtype::F16:
      return "F16";
    case Dtype::I8:
      return "I8";
    case Dtype::F32:
      break;
  }
  return "F32";
}

// The storage type of "vectors": F32, F16 or I8 (anything else is a FormatError).
Dtype vectors_dtype(const nlohmann::json& header, const std::string& path) {
  auto entry = header.find("vectors");
  if (entry == header.end()) throw FormatError(path, "no tensor 'vectors' in the header");
  if (!entry->is_object() || !entry->contains("dtype") || !(*entry)["dtype"].is_string())
    throw FormatError(path, "tensor 'vectors': no dtype");
  const std::string& name = (*entry)["dtype"].get_ref<const std::string&>();
  if (name == "F32" || name == "F16" || name == "I8") return parse_dtype(name);
  throw FormatError(path, fmt::format("tensor 'vectors': dtype is {} but embkit reads F32, F16 "
                                      "or I8",
                                      name));
}

std::optional<size_t> metadata_number(const nlohmann::json& metadata, const char* key) {
  auto entry = metadata.find(key);
  if (entry == metadata.end() || !entry->is_string()) return std::nullopt;
  const std::string& text = entry->get_ref<const std::string&>();
  size_t value = 0;
  auto [next, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc() || next != text.data() + text.size()) return std::nullopt;
  return value;
}

NativeLayout open_layout(std::shared_ptr<const MappedFile> file, const std::string& path) {
  NativeLayout layout;
  layout.file = std::move(file);
  std::string_view bytes = layout.file->bytes();
  if (bytes.empty()) throw FormatError(path, "file is empty");
  if (bytes.size() < 8) throw FormatError(path, "truncated native file: no header length");
  uint64_t header_bytes;
  std::memcpy(&header_bytes, bytes.data(), 8);
  if (header_bytes > kMaxHeaderBytes || header_bytes > bytes.size() - 8)
    throw FormatError(path, fmt::format("header length {} exceeds the file size {} (truncated or "
                                        "not a native file)",
                                        header_bytes, bytes.size()));
  layout.data_start = 8 + header_bytes;
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.substr(8, header_bytes));
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(path, fmt::format("invalid JSON header: {}", e.what()));
  }
  if (!header.is_object()) throw FormatError(path, "the JSON header is not an object");
  auto metadata = header.find("__metadata__");
  if (metadata == header.end() || !metadata->is_object() ||
      metadata->value("format", "") != "embkit")
    throw FormatError(path, "not an embkit native file (__metadata__.format is not \"embkit\")");
  layout.metadata = *metadata;
  std::string version = layout.metadata.value("version", "");
  if (version != kNativeFormatVersion)
    throw FormatError(path, fmt::format("native format version '{}' is not supported (this embkit "
                                        "reads version {})",
                                        version, kNativeFormatVersion));

  size_t data_size = layout.data_size();
  layout.dtype = vectors_dtype(header, path);
  const std::string dtype_label(safetensors_dtype(layout.dtype));
  layout.vectors = read_tensor(header, "vectors", dtype_label, 2, data_size, path);
  if (layout.dtype == Dtype::I8)
    layout.scales = read_tensor(header, "scales", "F32", 1, data_size, path);
  layout.vocab_offsets = read_tensor(header, "vocab_offsets", "U64", 1, data_size, path);
  layout.vocab_bytes = read_tensor(header, "vocab_bytes", "U8", 1, data_size, path);
  if (header.contains("counts"))
    layout.counts = read_tensor(header, "counts", "U64", 1, data_size, path);
  layout.rows = layout.vectors.shape[0];
  layout.dim = layout.vectors.shape[1];
  if (header.contains("ngrams")) {
    layout.ngrams = read_tensor(header, "ngrams", "F32", 2, data_size, path);
    if (header.contains("ngram_prune"))
      layout.ngram_prune = read_tensor(header, "ngram_prune", "U64", 2, data_size, path);
    auto setting = [&](const char* key, uint64_t max) {
      auto value = metadata_number(layout.metadata, key);
      if (!value || *value > max)
        throw FormatError(path, fmt::format("__metadata__.{} is missing or out of range", key));
      return static_cast<uint32_t>(*value);
    };
    layout.subwords.minn = setting("subword_minn", 64);
    layout.subwords.maxn = setting("subword_maxn", 64);
    layout.subwords.bucket = setting("subword_bucket", uint64_t{1} << 31);
    if (layout.subwords.minn == 0 || layout.subwords.minn > layout.subwords.maxn ||
        layout.subwords.bucket == 0)
      throw FormatError(path, fmt::format("subword settings minn {} maxn {} bucket {} are "
                                          "inconsistent",
                                          layout.subwords.minn, layout.subwords.maxn,
                                          layout.subwords.bucket));
    const size_t ngram_rows = layout.ngrams->shape[0];
    if (layout.ngrams->shape[1] != layout.dim)
      throw FormatError(path, fmt::format("ngrams have dimension {} but vectors {}",
                                          layout.ngrams->shape[1], layout.dim));
    if (layout.ngram_prune) {
      if (layout.ngram_prune->shape[1] != 2 || layout.ngram_prune->shape[0] != ngram_rows)
        throw FormatError(path, "ngram_prune must be [ngram rows, 2]");
    } else if (ngram_rows != layout.subwords.bucket) {
      throw FormatError(path, fmt::format("ngrams has {} rows but subword_bucket is {}", ngram_rows,
                                          layout.subwords.bucket));
    }
    if ((layout.data_start + layout.ngrams->begin) % alignof(float) != 0 ||
        (layout.ngram_prune &&
         (layout.data_start + layout.ngram_prune->begin) % alignof(uint64_t) != 0))
      throw FormatError(path, "tensors are not aligned to their element size");
  }
  if (layout.vocab_offsets.shape[0] != layout.rows + 1)
    throw FormatError(path,
                      fmt::format("vocab_offsets has {} entries but vectors has {} rows (needs "
                                  "rows + 1)",
                                  layout.vocab_offsets.shape[0], layout.rows));
  if (layout.scales && layout.scales->shape[0] != layout.dim)
    throw FormatError(path, fmt::format("scales has {} entries but vectors have dimension {}",
                                        layout.scales->shape[0], layout.dim));
  if (layout.counts && layout.counts->shape[0] != layout.rows)
    throw FormatError(path, fmt::format("counts has {} entries but vectors has {} rows",
                                        layout.counts->shape[0], layout.rows));
  if (metadata_number(layout.metadata, "rows") != layout.rows ||
      metadata_number(layout.metadata, "dim") != layout.dim)
    throw FormatError(path, "__metadata__ rows/dim do not match the shape of 'vectors'");
  if (layout.rows > 0 && layout.dim == 0) throw FormatError(path, "vectors have dimension 0");
  if ((layout.data_start + layout.vectors.begin) % dtype_size(dtype_label) != 0 ||
      (layout.scales && (layout.data_start + layout.scales->begin) % alignof(float) != 0) ||
      (layout.data_start + layout.vocab_offsets.begin) % alignof(uint64_t) != 0 ||
      (layout.counts && (layout.data_start + layout.counts->begin) % alignof(uint64_t) != 0))
    throw FormatError(path,
                      "tensors are not aligned to their element size (embkit writes "
                      "'vectors' at data offset 0 and the u64 arrays 8-byte aligned)");
  return layout;
}

// The offsets of the first `rows` words: 0 first, never decreasing, never beyond vocab_bytes, so
// every word view lies inside the file. One pass over 8 bytes per word (about 0.2 ms per 100,000
// words: opening a 100,000 x 300 file went from 0.27-0.41 ms to 0.50 ms), the price of never
// faulting on a corrupted file; the checksum stays with --verify.
// The n-gram rows, borrowed from the mapping, with the prune pairs (checked: every bucket below
// subword_bucket, every row below the row count, no bucket twice).
std::shared_ptr<const SubwordTable> borrow_subwords(const NativeLayout& layout,
                                                    const std::string& path) {
  auto table = std::make_shared<SubwordTable>();
  table->settings = layout.subwords;
  const size_t rows = layout.ngrams->shape[0];
  table->rows = Matrix::borrow(reinterpret_cast<const float*>(layout.data() + layout.ngrams->begin),
                               rows, layout.dim, layout.dim, layout.file);
  if (layout.ngram_prune) {
    auto prune = std::make_shared<PruneMap>();
    const auto* pairs = reinterpret_cast<const uint64_t*>(layout.data() + layout.ngram_prune->begin);
    for (size_t i = 0; i < rows; ++i) {
      const uint64_t bucket = pairs[2 * i], row = pairs[2 * i + 1];
      if (bucket >= layout.subwords.bucket || row >= rows ||
          !prune->emplace(static_cast<int32_t>(bucket), static_cast<int32_t>(row)).second)
        throw FormatError(path, fmt::format("ngram_prune entry {} ({} -> {}) is out of range or "
                                            "repeated",
                                            i, bucket, row));
    }
    table->prune = std::move(prune);
  }
  return table;
}

void check_offsets(const NativeLayout& layout, size_t rows, const std::string& path) {
  const uint64_t* offsets = layout.offsets();
  const uint64_t byte_count = layout.vocab_bytes.end - layout.vocab_bytes.begin;
  if (offsets[0] != 0)
    throw FormatError(path, fmt::format("vocab_offsets[0] = {} is not 0 (corrupt file)", offsets[0]));
  uint64_t previous = 0;
  bool in_order = true;
  for (size_t i = 1; i <= rows; ++i) {
    in_order &= offsets[i] >= previous && offsets[i] <= byte_count;
    previous = offsets[i];
  }
  if (in_order) return;
  for (size_t i = 1; i <= rows; ++i) {
    if (offsets[i] < offsets[i - 1] || offsets[i] > byte_count)
      throw FormatError(path, fmt::format("vocab_offsets[{}] = {} is out of order or beyond "
                                          "vocab_bytes ({} bytes)",
                                          i, offsets[i], byte_count));
  }
}

// crc32 of `size` bytes computed in parallel pieces joined with crc32_combine.
uint32_t parallel_crc32(const char* data, size_t size, uLong crc = 0) {
  const size_t pieces = size < (8u << 20) ? 1 : size_t(omp_get_max_threads()) * 4;
  std::vector<uLong> piece_crc(pieces);
  std::vector<size_t> piece_begin(pieces + 1);
  for (size_t p = 0; p <= pieces; ++p) piece_begin[p] = size * p / pieces;
#pragma omp parallel for schedule(dynamic, 1) if (pieces > 1)
  for (size_t p = 0; p < pieces; ++p)
    piece_crc[p] = crc32_z(0, reinterpret_cast<const Bytef*>(data + piece_begin[p]),
                           piece_begin[p + 1] - piece_begin[p]);
  for (size_t p = 0; p < pieces; ++p)
    crc =
        crc32_combine(crc, piece_crc[p], static_cast<z_off_t>(piece_begin[p + 1] - piece_begin[p]));
  return static_cast<uint32_t>(crc);
}

// crc32 of the rows of a matrix as they are stored in the file (rows back to back, no padding).
uint32_t crc32_of_rows(const Matrix& matrix) {
  const size_t row_bytes = matrix.cols() * sizeof(float);
  if (matrix.stride() == matrix.cols())
    return parallel_crc32(reinterpret_cast<const char*>(matrix.data()), matrix.rows() * row_bytes);
  const size_t pieces = size_t(omp_get_max_threads()) * 4;
  std::vector<uLong> piece_crc(pieces);
  std::vector<size_t> piece_begin(pieces + 1);
  for (size_t p = 0; p <= pieces; ++p) piece_begin[p] = matrix.rows() * p / pieces;
#pragma omp parallel for schedule(dynamic, 1)
  for (size_t p = 0; p < pieces; ++p) {
    uLong crc = 0;
    for (size_t row = piece_begin[p]; row < piece_begin[p + 1]; ++row)
      crc = crc32_z(crc, reinterpret_cast<const Bytef*>(matrix.row(row)), row_bytes);
    piece_crc[p] = crc;
  }
  uLong crc = 0;
  for (size_t p = 0; p < pieces; ++p)
    crc = crc32_combine(crc, piece_crc[p],
                        static_cast<z_off_t>((piece_begin[p + 1] - piece_begin[p]) * row_bytes));
  return static_cast<uint32_t>(crc);
}

std::string checksum_text(uint32_t crc) { return fmt::format("crc32:{:08x}", crc); }

}  // namespace

namespace {

// The scales of an I8 file: each must be finite and positive (a code times a NaN or negative scale
// would silently corrupt every value of the dimension).
std::vector<float> read_scales(const NativeLayout& layout, const std::string& path) {
  std::vector<float> scales(layout.dim);
  std::memcpy(scales.data(), layout.data() + layout.scales->begin, layout.dim * sizeof(float));
  for (size_t j = 0; j < scales.size(); ++j) {
    if (!(std::isfinite(scales[j]) && scales[j] > 0))
      throw FormatError(path, fmt::format("scales[{}] = {} is not a finite positive number", j,
                                          scales[j]));
  }
  return scales;
}

// The I8 codes of the first `rows` rows, borrowed from the mapping; -128 is rejected because
// embkit never writes it (the code range is symmetric).
Int8Matrix borrow_codes(const NativeLayout& layout, size_t rows, const std::string& path) {
  const int8_t* codes = reinterpret_cast<const int8_t*>(layout.data() + layout.vectors.begin);
  const size_t count = rows * layout.dim;
  // memchr scans at memory speed; the byte loop it replaces did not vectorise (a third of the
  // time to a first answer from an i8 file).
  const void* found = std::memchr(codes, 0x80, count);
  const size_t bad = found ? static_cast<size_t>(static_cast<const int8_t*>(found) - codes) : count;
  if (bad < count)
    throw FormatError(path, fmt::format("vector {} value {}: code -128 is outside [-127, 127]",
                                        bad / layout.dim + 1, bad % layout.dim + 1));
  return Int8Matrix::borrow(codes, rows, layout.dim, layout.dim, read_scales(layout, path),
                            layout.file);
}

Matrix widen_halves(const NativeLayout& layout, size_t rows, int threads) {
  Matrix matrix(rows, layout.dim);
  const uint16_t* halves = reinterpret_cast<const uint16_t*>(layout.data() + layout.vectors.begin);
#pragma omp parallel for num_threads(resolve_threads(threads)) schedule(static)
  for (size_t i = 0; i < rows; ++i)
    halves_to_floats(halves + i * layout.dim, matrix.mutable_row(i), layout.dim);
  return matrix;
}

Vocab borrow_vocab(const NativeLayout& layout, size_t rows) {
  const char* data = layout.data();
  const uint64_t* counts =
      layout.counts ? reinterpret_cast<const uint64_t*>(data + layout.counts->begin) : nullptr;
  return Vocab::borrow(data + layout.vocab_bytes.begin, layout.offsets(), counts, rows,
                       layout.file);
}

std::shared_ptr<const MappedFile> open_native(const std::string& path) {
  return MappedFile::open(path, MappedFile::Access::Random);
}

void verify_native(const std::shared_ptr<const MappedFile>& file, const std::string& path);

}  // namespace

KeyedVectors load_native(const std::string& path, const LoadOptions& options) {
  return load_native(open_native(path), path, options);
}

KeyedVectors load_native(std::shared_ptr<const MappedFile> file, const std::string& path,
                         const LoadOptions& options) {
  if (options.verify) verify_native(file, path);
  NativeLayout layout = open_layout(std::move(file), path);
  size_t rows = options.limit ? std::min(options.limit, layout.rows) : layout.rows;
  check_offsets(layout, rows, path);
  Matrix matrix;
  if (layout.dtype == Dtype::F32) {
    matrix = Matrix::borrow(reinterpret_cast<const float*>(layout.data() + layout.vectors.begin),
                            rows, layout.dim, layout.dim, layout.file);
  } else if (layout.dtype == Dtype::F16) {
    matrix = widen_halves(layout, rows, options.threads);
  } else {
    matrix = dequantize(borrow_codes(layout, rows, path), options.threads);
  }
  KeyedVectors vectors(borrow_vocab(layout, rows), std::move(matrix));
  if (layout.ngrams) vectors.set_subwords(borrow_subwords(layout, path));
  return vectors;
}

QuantizedVectors load_native_int8(const std::string& path, const LoadOptions& options) {
  auto file = open_native(path);
  if (options.verify) verify_native(file, path);
  NativeLayout layout = open_layout(std::move(file), path);
  if (layout.dtype != Dtype::I8)
    throw FormatError(path,
                      fmt::format("holds {} vectors, not i8 codes", dtype_name(layout.dtype)));
  size_t rows = options.limit ? std::min(options.limit, layout.rows) : layout.rows;
  check_offsets(layout, rows, path);
  return {borrow_vocab(layout, rows), borrow_codes(layout, rows, path)};
}

Dtype native_dtype(const std::string& path) { return open_layout(open_native(path), path).dtype; }

Dtype native_dtype(std::shared_ptr<const MappedFile> file, const std::string& path) {
  return open_layout(std::move(file), path).dtype;
}

void verify_native(const std::string& path) { verify_native(open_native(path), path); }

namespace {

void verify_native(const std::shared_ptr<const MappedFile>& file, const std::string& path) {
  NativeLayout layout = open_layout(file, path);
  check_offsets(layout, layout.rows, path);
  auto checksum = layout.metadata.find("checksum");
  if (checksum == layout.metadata.end() || !checksum->is_string())
    throw FormatError(path, "__metadata__ has no checksum");
  std::string actual = checksum_text(parallel_crc32(layout.data(), layout.data_size()));
  if (*checksum != actual)
    throw FormatError(path, fmt::format("checksum mismatch: header says {} but the data has {} "
                                        "(corrupt file)",
                                        checksum->get<std::string>(), actual));

  KeyedVectors vectors = load_native(file, path, {});
  const Vocab& vocab = vectors.vocab();
  for (size_t i = 0; i < vocab.size(); ++i) {
    std::string_view word = vocab.word(i);
    if (word.empty()) throw FormatError(path, fmt::format("word {} is empty", i + 1));
    if (!is_valid_utf8(word))
      throw FormatError(path,
                        fmt::format("word {} ('{}') is not valid UTF-8", i + 1, quote_word(word)));
  }
  // The index returns the first of equal words, so a later duplicate finds an earlier id.
  for (size_t i = 0; i < vocab.size(); ++i) {
    uint32_t first = *vocab.find(vocab.word(i));
    if (first != i)
      throw FormatError(path, fmt::format("duplicate word '{}' (words {} and {})",
                                          quote_word(vocab.word(i)), first + 1, i + 1));
  }
  for (size_t i = 0; i < vectors.size(); ++i) {
    if (size_t bad = first_non_finite(vectors.vectors().row(i), vectors.dim()); bad < vectors.dim())
      throw FormatError(path, fmt::format("word {} ('{}'): value {} is not finite", i + 1,
                                          quote_word(vocab.word(i)), bad + 1));
  }
  if (const SubwordTable* table = vectors.subwords()) {
    for (size_t i = 0; i < table->rows.rows(); ++i)
      if (size_t bad = first_non_finite(table->rows.row(i), vectors.dim()); bad < vectors.dim())
        throw FormatError(path, fmt::format("n-gram row {}: value {} is not finite", i + 1, bad + 1));
  }
}

// The vectors in a narrower storage type, rows back to back (F16 or I8; I8 also has its scales).
struct EncodedVectors {
  std::vector<char> bytes;
  std::vector<float> scales;
};

EncodedVectors encode_halves(const KeyedVectors& vectors, const std::string& path, int threads) {
  const Matrix& matrix = vectors.vectors();
  const size_t rows = matrix.rows(), dim = matrix.cols();
  EncodedVectors encoded{std::vector<char>(rows * dim * sizeof(uint16_t)), {}};
  uint16_t* halves = reinterpret_cast<uint16_t*>(encoded.bytes.data());
  size_t first_overflow = rows * dim;
#pragma omp parallel for num_threads(resolve_threads(threads)) schedule(static) \
    reduction(min : first_overflow)
  for (size_t i = 0; i < rows; ++i) {
    floats_to_halves(matrix.row(i), halves + i * dim, dim);
    for (size_t j = 0; j < dim; ++j)
      if (half_is_infinite(halves[i * dim + j]))
        first_overflow = std::min(first_overflow, i * dim + j);
  }
  if (first_overflow < rows * dim) {
    size_t row = first_overflow / dim, column = first_overflow % dim;
    throw DataError(fmt::format("cannot write '{}' as f16: value {} of word '{}' ({}) is beyond "
                                 "the half-precision range (+-65504); use f32",
                                 path, column + 1, quote_word(vectors.vocab().word(row)),
                                 matrix.row(row)[column]));
  }
  return encoded;
}

EncodedVectors encode_int8(const Matrix& matrix, int threads) {
  Int8Matrix codes = quantize_int8(matrix, threads);
  const size_t rows = codes.rows(), dim = codes.cols();
  EncodedVectors encoded{std::vector<char>(rows * dim), codes.scales()};
  for (size_t i = 0; i < rows; ++i)
    std::memcpy(encoded.bytes.data() + i * dim, codes.row(i), dim);
  return encoded;
}

}  // namespace

void save_native(const KeyedVectors& vectors, const std::string& path, Dtype dtype, int threads) {
  const Vocab& vocab = vectors.vocab();
  const Matrix& matrix = vectors.vectors();
  const size_t rows = vectors.size(), dim = vectors.dim();
  const uint64_t base = rows ? vocab.offsets_data()[0] : 0;
  const size_t word_bytes = rows ? vocab.offsets_data()[rows] - base : 0;
  const char* words = rows ? vocab.bytes_data() + base : "";
  for (size_t i = 0; i < rows; ++i) {
    if (size_t bad = first_non_finite(matrix.row(i), dim); bad < dim)
      throw DataError(fmt::format("cannot write '{}': value {} of word '{}' is not finite", path,
                                   bad + 1, quote_word(vocab.word(i))));
  }
  if (!is_valid_utf8({words, word_bytes}))
    throw DataError(fmt::format("cannot write '{}': the vocabulary is not valid UTF-8", path));

  std::vector<uint64_t> offsets(rows + 1, 0);
  for (size_t i = 0; i <= rows && rows; ++i) offsets[i] = vocab.offsets_data()[i] - base;
  EncodedVectors encoded;
  if (dtype == Dtype::F16) encoded = encode_halves(vectors, path, threads);
  if (dtype == Dtype::I8) encoded = encode_int8(matrix, threads);
  const size_t vector_bytes =
      dtype == Dtype::F32 ? rows * dim * sizeof(float) : encoded.bytes.size();
  const size_t padding = (8 - (vector_bytes + word_bytes) % 8) % 8;
  const bool has_counts = vocab.has_counts();
  static const char zeros[8] = {};

  uLong crc = dtype == Dtype::F32 ? crc32_of_rows(matrix)
                                  : parallel_crc32(encoded.bytes.data(), encoded.bytes.size());
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(words), word_bytes);
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(zeros), padding);
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(offsets.data()), offsets.size() * 8);
  if (has_counts) crc = crc32_z(crc, reinterpret_cast<const Bytef*>(vocab.counts_data()), rows * 8);
  const SubwordTable* subwords = vectors.subwords();
  std::vector<uint64_t> prune_pairs;
  if (subwords != nullptr && subwords->prune != nullptr) {
    std::vector<std::pair<int32_t, int32_t>> sorted(subwords->prune->begin(), subwords->prune->end());
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [bucket, row] : sorted) {
      prune_pairs.push_back(static_cast<uint64_t>(bucket));
      prune_pairs.push_back(static_cast<uint64_t>(row));
    }
  }
  const size_t prune_bytes = prune_pairs.size() * 8;
  if (prune_bytes)
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(prune_pairs.data()), prune_bytes);
  const size_t scale_bytes = encoded.scales.size() * sizeof(float);
  // (crc32_z of a null buffer returns the initial value, not crc: only call it with scales.)
  if (scale_bytes)
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(encoded.scales.data()), scale_bytes);
  const size_t ngram_rows = subwords ? subwords->rows.rows() : 0;
  const size_t ngram_bytes = ngram_rows * dim * sizeof(float);
  if (subwords != nullptr) {
    for (size_t i = 0; i < ngram_rows; ++i)
      if (size_t bad = first_non_finite(subwords->rows.row(i), dim); bad < dim)
        throw DataError(fmt::format("cannot write '{}': value {} of n-gram row {} is not finite",
                                     path, bad + 1, i + 1));
    if (ngram_bytes) crc = crc32_combine(crc, crc32_of_rows(subwords->rows), ngram_bytes);
  }

  nlohmann::ordered_json header;
  size_t at = 0;
  auto add_tensor = [&](const char* name, const char* dtype, std::vector<size_t> shape,
                        size_t bytes) {
    header[name] = {{"dtype", dtype}, {"shape", shape}, {"data_offsets", {at, at + bytes}}};
    at += bytes;
  };
  const std::string dtype_label(safetensors_dtype(dtype));
  add_tensor("vectors", dtype_label.c_str(), {rows, dim}, vector_bytes);
  add_tensor("vocab_bytes", "U8", {word_bytes + padding}, word_bytes + padding);
  add_tensor("vocab_offsets", "U64", {rows + 1}, (rows + 1) * 8);
  if (has_counts) add_tensor("counts", "U64", {rows}, rows * 8);
  if (prune_bytes) add_tensor("ngram_prune", "U64", {ngram_rows, 2}, prune_bytes);
  if (dtype == Dtype::I8) add_tensor("scales", "F32", {dim}, scale_bytes);
  if (subwords != nullptr) add_tensor("ngrams", "F32", {ngram_rows, dim}, ngram_bytes);
  header["__metadata__"] = {{"format", "embkit"},
                            {"version", std::string(kNativeFormatVersion)},
                            {"rows", std::to_string(rows)},
                            {"dim", std::to_string(dim)},
                            {"vocab_bytes", std::to_string(word_bytes)},
                            {"has_counts", has_counts ? "true" : "false"},
                            {"checksum", checksum_text(static_cast<uint32_t>(crc))}};
  if (subwords != nullptr) {
    header["__metadata__"]["subword_minn"] = std::to_string(subwords->settings.minn);
    header["__metadata__"]["subword_maxn"] = std::to_string(subwords->settings.maxn);
    header["__metadata__"]["subword_bucket"] = std::to_string(subwords->settings.bucket);
  }
  std::string json = header.dump();
  json.append((kDataAlignment - (8 + json.size()) % kDataAlignment) % kDataAlignment, ' ');
  const uint64_t header_length = json.size();

  AtomicFile file(path);
  file.write(&header_length, 8);
  file.write(json);
  if (dtype != Dtype::F32) {
    file.write(encoded.bytes.data(), encoded.bytes.size());
  } else if (matrix.stride() == dim) {
    file.write(matrix.data(), vector_bytes);
  } else {
    for (size_t i = 0; i < rows; ++i) file.write(matrix.row(i), dim * sizeof(float));
  }
  file.write(words, word_bytes);
  file.write(zeros, padding);
  file.write(offsets.data(), offsets.size() * 8);
  if (has_counts) file.write(vocab.counts_data(), rows * 8);
  if (prune_bytes) file.write(prune_pairs.data(), prune_bytes);
  if (scale_bytes) file.write(encoded.scales.data(), scale_bytes);
  if (subwords != nullptr) {
    const Matrix& ngrams = subwords->rows;
    if (ngrams.stride() == dim) {
      file.write(ngrams.data(), ngram_bytes);
    } else {
      for (size_t i = 0; i < ngram_rows; ++i) file.write(ngrams.row(i), dim * sizeof(float));
    }
  }
  file.commit();
}

}  // namespace embkit
