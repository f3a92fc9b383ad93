// The "word v1 v2 ... vD" line format shared by word2vec text (.vec, fastText) and GloVe files:
// a parallel parser and a parallel writer.
//
// Parsing (hot path): the text is split into chunks at line boundaries, the lines of every chunk
// are counted in parallel, a prefix sum turns counts into row numbers, and each chunk is then
// parsed in parallel with fast_float straight into its rows of the matrix. Words are inserted into
// the vocabulary afterwards, in order, which is where duplicates are found. Every error names the
// line.
//
// Writing: rows are formatted in parallel into per-task buffers (every float as the shortest
// decimal that reads back to the same bits, std::to_chars) and written in order.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/atomic_file.h"
#include "embkit/keyed_vectors.h"

namespace embkit {

struct TextBody {
  std::string_view text;  // the lines after any header
  size_t first_line = 1;  // line number (1-based) of the first line of `text` in the file
};

// The first line of `text` without its line terminator ("\n" or "\r\n").
std::string_view first_line_of(std::string_view text);
// The number of whitespace-separated tokens after the first one (the word) in `line`.
size_t count_values(std::string_view line);

// Parses the rows of `body`: `dim` values per line, at most `limit` lines (0 = all). When
// `expected_rows` is given (a word2vec header), a different number of lines is an error (unless the
// limit stops reading first). Throws FormatError("path:line: ...").
KeyedVectors parse_text_vectors(const TextBody& body, size_t dim, size_t limit,
                                std::optional<size_t> expected_rows, const std::string& path,
                                int threads);

// Writes every row as "word v1 ... vD\n". Throws UsageError for words that text cannot hold
// (empty, containing whitespace) and for non-finite values.
void write_text_vectors(const KeyedVectors& vectors, AtomicFile& file, int threads);

// 0 -> all cores.
int resolve_threads(int threads);

}  // namespace embkit
