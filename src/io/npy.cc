#include "io/npy.h"

#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/atomic_file.h"
#include "core/mapped_file.h"
#include "embkit/data_error.h"
#include "embkit/error.h"
#include "core/finite.h"
#include "io/utf8.h"

namespace embkit {

static_assert(std::endian::native == std::endian::little,
              ".npy reading assumes a little-endian host; add byte swapping for this target");

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

// A reader for the one Python literal numpy writes: a dict of string keys to strings, booleans and
// tuples of integers.
class DictLiteralParser {
 public:
  DictLiteralParser(std::string_view text, const std::string& path) : text_(text), path_(path) {}

  NpyHeader parse() {
    NpyHeader header;
    bool has_descr = false, has_order = false, has_shape = false;
    expect('{');
    while (!take('}')) {
      std::string key = string_value();
      expect(':');
      if (key == "descr") {
        if (peek() != '\'' && peek() != '"') fail("'descr' is not a simple dtype string");
        header.descr = string_value();
        has_descr = true;
      } else if (key == "fortran_order") {
        header.fortran_order = bool_value();
        has_order = true;
      } else if (key == "shape") {
        header.shape = tuple_value();
        has_shape = true;
      } else {
        fail(fmt::format("unexpected key '{}' in the header", key));
      }
      if (!take(',')) {
        expect('}');
        break;
      }
    }
    if (!has_descr || !has_order || !has_shape)
      fail("header lacks one of 'descr', 'fortran_order', 'shape'");
    return header;
  }

 private:
  [[noreturn]] void fail(std::string_view message) {
    throw FormatError(path_, fmt::format("invalid .npy header: {}", message));
  }
  void skip_blanks() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\n'))
      ++position_;
  }
  char peek() {
    skip_blanks();
    return position_ < text_.size() ? text_[position_] : '\0';
  }
  bool take(char c) {
    if (peek() != c) return false;
    ++position_;
    return true;
  }
  void expect(char c) {
    if (!take(c)) fail(fmt::format("expected '{}' at header byte {}", c, position_));
  }
  std::string string_value() {
    char quote = peek();
    if (quote != '\'' && quote != '"')
      fail(fmt::format("expected a string at header byte {}", position_));
    size_t end = text_.find(quote, position_ + 1);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string value(text_.substr(position_ + 1, end - position_ - 1));
    position_ = end + 1;
    return value;
  }
  bool bool_value() {
    skip_blanks();
    for (auto [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
      if (text_.substr(position_, std::strlen(word)) == word) {
        position_ += std::strlen(word);
        return value;
      }
    }
    fail("'fortran_order' is not True or False");
  }
  std::vector<size_t> tuple_value() {
    std::vector<size_t> values;
    expect('(');
    while (!take(')')) {
      skip_blanks();
      size_t value = 0;
      auto [next, status] =
          std::from_chars(text_.data() + position_, text_.data() + text_.size(), value);
      if (status != std::errc()) fail("'shape' is not a tuple of non-negative integers");
      position_ = static_cast<size_t>(next - text_.data());
      take('L');  // written by Python 2
      values.push_back(value);
      if (!take(',')) {
        expect(')');
        break;
      }
    }
    return values;
  }

  std::string_view text_;
  const std::string& path_;
  size_t position_ = 0;
};

std::string shape_text(const std::vector<size_t>& shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return fmt::format("({})", fmt::join(shape, ", "));
}

}  // namespace

NpyHeader read_npy_header(std::string_view bytes, const std::string& path) {
  if (bytes.empty()) throw FormatError(path, "file is empty");
  if (bytes.substr(0, kMagic.size()) != kMagic)
    throw FormatError(path, "not a .npy file (bad magic)");
  if (bytes.size() < 10) throw FormatError(path, "truncated .npy header");
  auto major = static_cast<unsigned char>(bytes[6]);
  size_t length_bytes = major == 1 ? 2 : 4;
  if (major < 1 || major > 3)
    throw FormatError(path,
                      fmt::format(".npy format version {} is not supported (1 to 3 are)", major));
  if (bytes.size() < 8 + length_bytes) throw FormatError(path, "truncated .npy header");
  uint32_t header_length = 0;
  std::memcpy(&header_length, bytes.data() + 8, length_bytes);
  size_t data_offset = 8 + length_bytes + header_length;
  if (data_offset > bytes.size())
    throw FormatError(path, fmt::format("truncated .npy header: it declares {} bytes but the file "
                                        "has {}",
                                        header_length, bytes.size() - 8 - length_bytes));
  NpyHeader header = DictLiteralParser(bytes.substr(8 + length_bytes, header_length), path).parse();
  header.data_offset = data_offset;
  return header;
}

std::string npy_header(std::string_view descr, const std::vector<size_t>& shape) {
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", descr,
                                 shape_text(shape));
  size_t unpadded = kMagic.size() + 4 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict.push_back('\n');
  if (dict.size() > 65535) throw UsageError("npy header too long");
  std::string bytes(kMagic);
  bytes.push_back(1);
  bytes.push_back(0);
  bytes.push_back(static_cast<char>(dict.size() & 0xff));
  bytes.push_back(static_cast<char>(dict.size() >> 8));
  return bytes + dict;
}

namespace {


// Reads the labels file: one label per line; returns the first `keep` labels as a Vocab after
// checking that there are exactly `rows` of them.
Vocab read_labels(const std::string& labels_path, size_t rows, size_t keep,
                  const std::string& npy_path) {
  auto file = MappedFile::open(labels_path, MappedFile::Access::Sequential);
  std::string_view text = strip_utf8_bom(file->bytes());
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::vector<std::string_view> labels;
  if (!text.empty() || file->size() > 0) {
    size_t start = 0;
    for (;;) {
      size_t newline = text.find('\n', start);
      std::string_view label = text.substr(
          start, newline == std::string_view::npos ? std::string_view::npos : newline - start);
      if (!label.empty() && label.back() == '\r') label.remove_suffix(1);
      labels.push_back(label);
      if (newline == std::string_view::npos) break;
      start = newline + 1;
    }
  }
  if (labels.size() != rows)
    throw FormatError(labels_path, fmt::format("has {} labels but '{}' has {} rows", labels.size(),
                                               npy_path, rows));
  Vocab vocab;
  vocab.reserve(keep, 0);
  for (size_t i = 0; i < keep; ++i) {
    if (labels[i].empty()) throw FormatError(labels_path, i + 1, "empty label");
    if (!is_valid_utf8(labels[i]))
      throw FormatError(labels_path, i + 1,
                        fmt::format("label '{}' is not valid UTF-8", quote_word(labels[i])));
    if (!vocab.add(labels[i]))
      throw FormatError(labels_path, i + 1,
                        fmt::format("duplicate label '{}' (first on line {})",
                                    quote_word(labels[i]), *vocab.find(labels[i]) + 1));
  }
  return vocab;
}

template <typename Source>
void copy_rows(const char* data, bool fortran_order, size_t total_rows, Matrix& matrix) {
  const size_t rows = matrix.rows(), cols = matrix.cols();
  for (size_t i = 0; i < rows; ++i) {
    float* out = matrix.mutable_row(i);
    for (size_t j = 0; j < cols; ++j) {
      size_t element = fortran_order ? j * total_rows + i : i * cols + j;
      Source value;
      std::memcpy(&value, data + element * sizeof(Source), sizeof(Source));
      out[j] = static_cast<float>(value);
    }
  }
}

}  // namespace

std::string default_labels_path(const std::string& npy_path) {
  return std::filesystem::path(npy_path).replace_extension(".labels.txt").string();
}

KeyedVectors load_npy(const std::string& path, const LoadOptions& options) {
  return load_npy(MappedFile::open(path, MappedFile::Access::Sequential), path, options);
}

KeyedVectors load_npy(std::shared_ptr<const MappedFile> file, const std::string& path,
                      const LoadOptions& options) {
  std::string_view bytes = file->bytes();
  NpyHeader header = read_npy_header(bytes, path);

  size_t item_bytes;
  if (header.descr == "<f4" || header.descr == "=f4") {
    item_bytes = 4;
  } else if (header.descr == "<f8" || header.descr == "=f8") {
    item_bytes = 8;
  } else {
    throw FormatError(path,
                      fmt::format("unsupported dtype '{}' (embkit reads little-endian float32 "
                                  "'<f4' or float64 '<f8')",
                                  header.descr));
  }
  if (header.shape.size() != 2)
    throw FormatError(path, fmt::format("array has shape {}; embkit needs a 2-D (rows, dim) matrix",
                                        shape_text(header.shape)));
  const size_t total_rows = header.shape[0], dim = header.shape[1];
  size_t data_bytes = bytes.size() - header.data_offset;
  // Compare in floating point first so absurd shapes cannot overflow the multiplication.
  if (double(total_rows) * double(dim) * double(item_bytes) > double(data_bytes) + 1 ||
      total_rows * dim * item_bytes != data_bytes) {
    size_t needed = total_rows * dim * item_bytes;
    bool short_file = double(total_rows) * double(dim) * double(item_bytes) > double(data_bytes);
    throw FormatError(path, fmt::format("shape {} {} needs {} data bytes but the file has {}{}",
                                        shape_text(header.shape), header.descr, needed, data_bytes,
                                        short_file ? " (truncated file?)" : ""));
  }
  if (dim == 0 && total_rows > 0) throw FormatError(path, "array has 0 columns");
  size_t rows = options.limit ? std::min(options.limit, total_rows) : total_rows;

  std::string labels_path =
      options.labels_path.empty() ? default_labels_path(path) : options.labels_path;
  Vocab vocab = read_labels(labels_path, total_rows, rows, path);

  Matrix matrix(rows, dim);
  const char* data = bytes.data() + header.data_offset;
  if (item_bytes == 4) {
    copy_rows<float>(data, header.fortran_order, total_rows, matrix);
  } else {
    copy_rows<double>(data, header.fortran_order, total_rows, matrix);
  }
  for (size_t i = 0; i < rows; ++i) {
    if (size_t bad = first_non_finite(matrix.row(i), dim); bad < dim)
      throw FormatError(path, fmt::format("row {} (label '{}'): value {} is not finite", i + 1,
                                          quote_word(vocab.word(i)), bad + 1));
  }
  return KeyedVectors(std::move(vocab), std::move(matrix));
}

void save_npy(const KeyedVectors& vectors, const std::string& path,
              const std::string& labels_path) {
  const size_t rows = vectors.size(), dim = vectors.dim();
  std::string labels_file = labels_path.empty() ? default_labels_path(path) : labels_path;
  for (size_t row = 0; row < rows; ++row) {
    std::string_view word = vectors.vocab().word(row);
    if (word.empty() || word.find_first_of("\r\n") != std::string_view::npos)
      throw UsageError(
          fmt::format("cannot write '{}': label '{}' is empty or contains a line break",
                      labels_file, quote_word(word)));
    if (size_t bad = first_non_finite(vectors.vectors().row(row), dim); bad < dim)
      throw DataError(fmt::format("cannot write '{}': value {} of word '{}' is not finite", path,
                                   bad + 1, quote_word(word)));
  }
  const std::string header = npy_header("<f4", {rows, dim});
  AtomicFile npy(path);
  AtomicFile labels(labels_file);
  npy.write(header);
  for (size_t row = 0; row < rows; ++row) {
    npy.write(vectors.vectors().row(row), dim * sizeof(float));
    labels.write(vectors.vocab().word(row));
    labels.write("\n", 1);
  }
  // Labels first: a reader of a half-replaced pair sees new labels beside the old matrix, and the
  // row count check of load_npy rejects it unless the counts agree.
  AtomicFile::commit_together({&labels, &npy});
}

}  // namespace embkit
