#include "io/word2vec_binary.h"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstring>

#include "core/atomic_file.h"
#include "embkit/data_error.h"
#include "embkit/error.h"
#include "core/finite.h"
#include "io/text_vectors.h"
#include "io/utf8.h"
#include "io/word2vec_text.h"

namespace embkit {

namespace {

// A word from the C tool never holds bytes below ' ': seeing one means we are reading floats as
// text.
bool has_control_characters(std::string_view word) {
  for (unsigned char c : word)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

static_assert(std::endian::native == std::endian::little,
              "word2vec binary files hold little-endian floats; add byte swapping for this target");

KeyedVectors load_word2vec_binary(std::string_view bytes, const std::string& path,
                                  const LoadOptions& options) {
  if (bytes.empty()) throw FormatError(path, "file is empty");
  std::string_view header_line = first_line_of(bytes);
  auto header = parse_word2vec_header(header_line);
  size_t newline = bytes.find('\n');
  if (!header || newline == std::string_view::npos)
    throw FormatError(
        path, 1,
        fmt::format("expected a header 'N D' (vector count and dimension), found '{}'",
                    quote_word(header_line)));
  auto [declared_rows, dim] = *header;
  if (dim == 0) throw FormatError(path, 1, "the header declares dimension 0");
  size_t rows = declared_rows;
  if (options.limit && options.limit < rows) rows = options.limit;

  const size_t record_floats_bytes = dim * sizeof(float);
  size_t position = newline + 1;
  // Each record needs at least a one-byte word, a space and the floats: never allocate more rows
  // than the file can hold, whatever the header claims (the shortfall is reported below).
  size_t room = bytes.size() - position;
  if (rows > 0 && (dim > room || dim * sizeof(float) + 2 > room))
    throw FormatError(path, fmt::format("vector 1 at byte {}: a record needs at least {} bytes (a "
                                        "word, a space and {} bytes of floats) but the file has "
                                        "only {} bytes after the header (truncated file?)",
                                        position, dim * sizeof(float) + 2, dim * sizeof(float),
                                        room));
  size_t fit = room / (record_floats_bytes + 2) + 1;
  Matrix matrix(std::min(rows, fit), dim);
  Vocab vocab;
  size_t record_start = position;
  auto record_error = [&](size_t index, std::string_view word, std::string message) {
    std::string who = word.empty() ? fmt::format("vector {}", index + 1)
                                   : fmt::format("vector {} ('{}')", index + 1, quote_word(word));
    return FormatError(path, fmt::format("{} at byte {}: {}", who, record_start, message));
  };

  for (size_t index = 0; index < rows; ++index) {
    // The C tool writes '\n' after every record; gensim tolerates its absence, and so do we.
    while (position < bytes.size() && bytes[position] == '\n') ++position;
    record_start = position;
    if (position >= bytes.size())
      throw record_error(index, {},
                         fmt::format("file ends after {} vectors but the header "
                                     "declares {} (truncated file?)",
                                     index, declared_rows));
    size_t space = bytes.find(' ', position);
    if (space == std::string_view::npos)
      throw record_error(index, {}, "no space after the word (truncated file?)");
    std::string_view word = bytes.substr(position, space - position);
    if (word.empty()) throw record_error(index, {}, "empty word");
    if (!is_valid_utf8(word) || has_control_characters(word))
      throw record_error(index, {},
                         fmt::format("'{}' is not a word (invalid UTF-8 or control characters; "
                                     "does the header's dimension {} match the file?)",
                                     quote_word(word), dim));
    position = space + 1;
    if (bytes.size() - position < record_floats_bytes)
      throw record_error(index, word,
                         fmt::format("needs {} bytes of floats but only {} remain (truncated "
                                     "file?)",
                                     record_floats_bytes, bytes.size() - position));
    if (index >= matrix.rows())
      throw record_error(index, word, "more data than the file size allows");
    float* row = matrix.mutable_row(index);
    std::memcpy(row, bytes.data() + position, record_floats_bytes);
    if (size_t bad = first_non_finite(row, dim); bad < dim)
      throw record_error(index, word,
                         fmt::format("value {} is not finite ({})", bad + 1, row[bad]));
    if (!vocab.add(word))
      throw record_error(
          index, word, fmt::format("duplicate word (first was vector {})", *vocab.find(word) + 1));
    position += record_floats_bytes;
  }
  if (rows == declared_rows) {
    while (position < bytes.size() && (bytes[position] == '\n' || bytes[position] == '\r'))
      ++position;
    if (position < bytes.size())
      throw FormatError(path, fmt::format("more data after the {} vectors the header declares "
                                          "(at byte {})",
                                          declared_rows, position));
  }
  return KeyedVectors(std::move(vocab), std::move(matrix));
}

void save_word2vec_binary(const KeyedVectors& vectors, const std::string& path) {
  const size_t dim = vectors.dim();
  for (size_t row = 0; row < vectors.size(); ++row) {
    std::string_view word = vectors.vocab().word(row);
    if (word.empty() || word.find_first_of(" \n") != std::string_view::npos)
      throw UsageError(
          fmt::format("cannot write '{}': word '{}' is empty or contains a space or "
                      "newline, which word2vec binary cannot hold",
                      path, quote_word(word)));
    if (size_t bad = first_non_finite(vectors.vectors().row(row), dim); bad < dim)
      throw DataError(fmt::format("cannot write '{}': value {} of word '{}' is not finite", path,
                                   bad + 1, quote_word(word)));
  }
  AtomicFile file(path);
  file.write(fmt::format("{} {}\n", vectors.size(), dim));
  for (size_t row = 0; row < vectors.size(); ++row) {
    file.write(vectors.vocab().word(row));
    file.write(" ", 1);
    file.write(vectors.vectors().row(row), dim * sizeof(float));
    file.write("\n", 1);
  }
  file.commit();
}

}  // namespace embkit
