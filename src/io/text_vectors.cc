#include "io/text_vectors.h"

#include <fast_float/fast_float.h>
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

#include "embkit/data_error.h"
#include "embkit/error.h"
#include "io/utf8.h"

namespace embkit {

namespace {

constexpr size_t kMinChunkBytes = 1 << 18;

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool ends_token(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim_trailing_whitespace(std::string_view text) {
  size_t end = text.size();
  while (end > 0 && (ends_token(text[end - 1]))) --end;
  return text.substr(0, end);
}

// The text up to the end of its `limit`-th line (all of it when it has fewer lines).
std::string_view first_lines(std::string_view text, size_t limit) {
  if (limit == 0) return text;
  size_t position = 0;
  for (size_t line = 0; line < limit; ++line) {
    const void* newline = std::memchr(text.data() + position, '\n', text.size() - position);
    if (!newline) return text;
    position = static_cast<size_t>(static_cast<const char*>(newline) - text.data()) + 1;
  }
  return trim_trailing_whitespace(text.substr(0, position));
}

// Chunks of `text` that start at line starts; every chunk but the last ends just after a '\n'.
// Many more chunks than threads: on a shared machine a preempted thread then holds up only a small
// chunk while the others take the rest.
std::vector<std::string_view> split_at_lines(std::string_view text, int threads) {
  size_t wanted =
      std::max<size_t>(1, std::min<size_t>(size_t(threads) * 32, text.size() / kMinChunkBytes));
  std::vector<std::string_view> chunks;
  size_t begin = 0;
  for (size_t k = 1; k <= wanted && begin < text.size(); ++k) {
    size_t end = text.size() * k / wanted;
    if (k < wanted && end > begin) {
      const void* newline = std::memchr(text.data() + end, '\n', text.size() - end);
      end = newline ? static_cast<size_t>(static_cast<const char*>(newline) - text.data()) + 1
                    : text.size();
    } else {
      end = std::max(end, begin);
      if (k == wanted) end = text.size();
    }
    if (end > begin) chunks.push_back(text.substr(begin, end - begin));
    begin = end;
  }
  return chunks;
}

// memchr is vectorised in libc; std::count over chars is not vectorised well by GCC 12 (3x slower).
size_t count_newlines(std::string_view chunk) {
  size_t count = 0;
  const char* p = chunk.data();
  const char* const end = p + chunk.size();
  while (const void* newline = std::memchr(p, '\n', static_cast<size_t>(end - p))) {
    ++count;
    p = static_cast<const char*>(newline) + 1;
  }
  return count;
}

std::string_view line_at(const char* start, const char* end) {
  const void* newline = std::memchr(start, '\n', static_cast<size_t>(end - start));
  const char* stop = newline ? static_cast<const char*>(newline) : end;
  return {start, static_cast<size_t>(stop - start)};
}

std::string_view token_at(const char* p, const char* end) {
  const char* stop = p;
  while (stop < end && !ends_token(*stop)) ++stop;
  return {p, static_cast<size_t>(stop - p)};
}

struct LineError {
  size_t row = SIZE_MAX;
  std::string message;
};

// Parses the lines of one chunk into rows [first_row, ...). Hot loop: stays free of allocation
// unless a line is bad; returns on the first bad line with its message.
void parse_chunk(std::string_view chunk, size_t first_row, size_t dim, Matrix& matrix,
                 std::vector<std::string_view>& words, LineError& error) {
  const char* p = chunk.data();
  const char* const end = p + chunk.size();
  size_t row = first_row;
  auto fail = [&](std::string message) {
    error.row = row;
    error.message = std::move(message);
  };
  while (p < end) {
    const char* line_start = p;
    while (p < end && !ends_token(*p)) ++p;
    std::string_view word(line_start, static_cast<size_t>(p - line_start));
    if (word.empty()) {
      std::string_view line = trim_trailing_whitespace(line_at(line_start, end));
      return fail(line.empty() ? "empty line" : "line starts with a blank instead of a word");
    }
    if (!is_valid_utf8(word))
      return fail(fmt::format("word '{}' is not valid UTF-8", quote_word(word)));
    words[row] = word;

    float* out = matrix.mutable_row(row);
    for (size_t j = 0; j < dim; ++j) {
      while (p < end && is_blank(*p)) ++p;
      if (p < end && *p == '+' && p + 1 < end && *(p + 1) != '-') ++p;
      auto [next, status] = fast_float::from_chars(p, end, out[j]);
      if (status != std::errc() || (next < end && !ends_token(*next))) {
        if (p == end || *p == '\n' || *p == '\r')
          return fail(fmt::format("expected {} values after word '{}', found {}", dim,
                                  quote_word(word), j));
        return fail(fmt::format("'{}' is not a number (value {} of word '{}')",
                                quote_word(token_at(p, end)), j + 1, quote_word(word)));
      }
      if (!std::isfinite(out[j]))
        return fail(fmt::format("value {} of word '{}' is not finite ('{}')", j + 1,
                                quote_word(word), quote_word(token_at(p, end))));
      p = next;
    }
    while (p < end && (is_blank(*p) || *p == '\r')) ++p;
    if (p < end && *p != '\n')
      return fail(fmt::format("expected {} values after word '{}', found {}", dim, quote_word(word),
                              count_values(line_at(line_start, end))));
    ++p;
    ++row;
  }
}

}  // namespace

int resolve_threads(int threads) { return threads > 0 ? threads : omp_get_max_threads(); }

std::string_view first_line_of(std::string_view text) {
  std::string_view line = line_at(text.data(), text.data() + text.size());
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

size_t count_values(std::string_view line) {
  size_t tokens = 0;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && ends_token(line[i])) ++i;
    if (i == line.size()) break;
    ++tokens;
    while (i < line.size() && !ends_token(line[i])) ++i;
  }
  return tokens > 0 ? tokens - 1 : 0;
}

KeyedVectors parse_text_vectors(const TextBody& body, size_t dim, size_t limit,
                                std::optional<size_t> expected_rows, const std::string& path,
                                int threads) {
  threads = resolve_threads(threads);
  std::string_view text = trim_trailing_whitespace(body.text);
  size_t wanted = limit;
  if (expected_rows && (wanted == 0 || *expected_rows < wanted)) wanted = *expected_rows;
  // A limit below the row count cuts the text (a sequential scan of only the lines we keep). Without
  // one, all lines are counted in parallel below, which also finds lines beyond the declared count.
  bool cut_at_limit = limit != 0 && (!expected_rows || limit < *expected_rows);
  if (cut_at_limit) text = first_lines(text, limit);

  std::vector<std::string_view> chunks = split_at_lines(text, threads);
  std::vector<size_t> first_row(chunks.size() + 1, 0);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (size_t c = 0; c < chunks.size(); ++c)
    first_row[c + 1] = count_newlines(chunks[c]) + (c + 1 == chunks.size() ? 1 : 0);
  for (size_t c = 0; c < chunks.size(); ++c) first_row[c + 1] += first_row[c];
  size_t rows = first_row[chunks.size()];

  if (expected_rows) {
    if (rows > *expected_rows)
      throw FormatError(
          path, body.first_line + *expected_rows,
          fmt::format("more vectors than the {} the header declares", *expected_rows));
    if (rows < wanted)
      throw FormatError(path, body.first_line + rows,
                        fmt::format("file ends after {} vectors but the header declares {} "
                                    "(truncated file?)",
                                    rows, *expected_rows));
  }
  if (rows > 0) {
    // Check the first row's length before allocating, so a header that lies about the dimension
    // cannot make us allocate a huge matrix.
    std::string_view line = first_line_of(text);
    size_t found = count_values(line);
    if (found != dim)
      throw FormatError(
          path, body.first_line,
          fmt::format("expected {} values after word '{}', found {}", dim,
                      quote_word(token_at(line.data(), line.data() + line.size())), found));
  }

  Matrix matrix(rows, dim);
  std::vector<std::string_view> words(rows);
  std::vector<LineError> errors(chunks.size());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (size_t c = 0; c < chunks.size(); ++c)
    parse_chunk(chunks[c], first_row[c], dim, matrix, words, errors[c]);
  for (const LineError& error : errors)
    if (error.row != SIZE_MAX) throw FormatError(path, body.first_line + error.row, error.message);

  Vocab vocab;
  size_t word_bytes = 0;
  for (std::string_view word : words) word_bytes += word.size();
  vocab.reserve(rows, word_bytes);
  for (size_t row = 0; row < rows; ++row) {
    if (!vocab.add(words[row]))
      throw FormatError(
          path, body.first_line + row,
          fmt::format("duplicate word '{}' (first on line {})", quote_word(words[row]),
                      body.first_line + *vocab.find(words[row])));
  }
  return KeyedVectors(std::move(vocab), std::move(matrix));
}

namespace {

// Appends "word v1 ... vD\n"; the caller has checked the word and the values.
void format_row(std::string& out, std::string_view word, const float* values, size_t dim) {
  size_t start = out.size();
  out.resize(start + word.size() + dim * 16 + 1);
  char* p = out.data() + start;
  std::memcpy(p, word.data(), word.size());
  p += word.size();
  char* const limit = out.data() + out.size();
  for (size_t j = 0; j < dim; ++j) {
    *p++ = ' ';
    p = std::to_chars(p, limit, values[j]).ptr;
  }
  *p++ = '\n';
  out.resize(static_cast<size_t>(p - out.data()));
}

std::string check_writable(std::string_view word, const float* values, size_t dim) {
  if (word.empty()) return "an empty word cannot be written as text";
  for (char c : word)
    if (ends_token(c))
      return fmt::format("word '{}' contains whitespace and cannot be written as text",
                         quote_word(word));
  for (size_t j = 0; j < dim; ++j)
    if (!std::isfinite(values[j]))
      return fmt::format("value {} of word '{}' is not finite", j + 1, quote_word(word));
  return {};
}

}  // namespace

void write_text_vectors(const KeyedVectors& vectors, AtomicFile& file, int threads) {
  threads = resolve_threads(threads);
  const size_t rows = vectors.size(), dim = vectors.dim();
  const size_t rows_per_task = std::max<size_t>(1, (1 << 18) / (dim * 12 + 16));
  const size_t tasks_per_batch = size_t(threads) * 4;
  std::vector<std::string> buffers(tasks_per_batch);
  std::vector<std::string> problems(tasks_per_batch);
  for (size_t batch_start = 0; batch_start < rows; batch_start += rows_per_task * tasks_per_batch) {
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (size_t task = 0; task < tasks_per_batch; ++task) {
      std::string& out = buffers[task];
      out.clear();
      size_t begin = std::min(rows, batch_start + task * rows_per_task);
      size_t end = std::min(rows, begin + rows_per_task);
      for (size_t row = begin; row < end && problems[task].empty(); ++row) {
        std::string_view word = vectors.vocab().word(row);
        problems[task] = check_writable(word, vectors.vectors().row(row), dim);
        if (problems[task].empty()) format_row(out, word, vectors.vectors().row(row), dim);
      }
    }
    for (size_t task = 0; task < tasks_per_batch; ++task) {
      if (!problems[task].empty())
        throw DataError(fmt::format("cannot write '{}': {}", file.path(), problems[task]));
      file.write(buffers[task]);
    }
  }
}

}  // namespace embkit
