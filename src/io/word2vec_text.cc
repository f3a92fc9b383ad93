#include "io/word2vec_text.h"

#include <fmt/format.h>

#include <charconv>

#include "core/atomic_file.h"
#include "embkit/error.h"
#include "io/text_vectors.h"
#include "io/utf8.h"

namespace embkit {

namespace {

// Reads an unsigned decimal at `text`, advancing past it; nothing if there is none.
std::optional<size_t> take_count(std::string_view& text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  size_t value = 0;
  auto [next, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc()) return std::nullopt;
  text.remove_prefix(static_cast<size_t>(next - text.data()));
  return value;
}

}  // namespace

std::optional<std::pair<size_t, size_t>> parse_word2vec_header(std::string_view line) {
  auto rows = take_count(line);
  if (!rows || line.empty() || (line.front() != ' ' && line.front() != '\t')) return std::nullopt;
  auto dim = take_count(line);
  if (!dim) return std::nullopt;
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r'))
    line.remove_prefix(1);
  if (!line.empty()) return std::nullopt;
  return std::make_pair(*rows, *dim);
}

KeyedVectors load_word2vec_text(std::string_view bytes, const std::string& path,
                                const LoadOptions& options) {
  if (bytes.empty()) throw FormatError(path, "file is empty");
  std::string_view header_line = first_line_of(bytes);
  auto header = parse_word2vec_header(header_line);
  if (!header)
    throw FormatError(
        path, 1,
        fmt::format("expected a header 'N D' (vector count and dimension), found '{}'",
                    quote_word(header_line)));
  auto [rows, dim] = *header;
  if (dim == 0) throw FormatError(path, 1, "the header declares dimension 0");
  size_t newline = bytes.find('\n');
  std::string_view body =
      newline == std::string_view::npos ? std::string_view{} : bytes.substr(newline + 1);
  return parse_text_vectors({body, 2}, dim, options.limit, rows, path, options.threads);
}

void save_word2vec_text(const KeyedVectors& vectors, const std::string& path, int threads) {
  AtomicFile file(path);
  file.write(fmt::format("{} {}\n", vectors.size(), vectors.dim()));
  write_text_vectors(vectors, file, threads);
  file.commit();
}

}  // namespace embkit
