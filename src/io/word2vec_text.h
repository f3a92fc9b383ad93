// word2vec / fastText text format (.vec, .txt): a header line "N D" (vector count and dimension),
// then N lines "word v1 ... vD". Trailing blanks and "\r\n" line ends are accepted.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "embkit/io.h"
#include "embkit/keyed_vectors.h"

namespace embkit {

// Parses the header line "N D"; nothing when `line` is not two non-negative integers.
std::optional<std::pair<size_t, size_t>> parse_word2vec_header(std::string_view line);

KeyedVectors load_word2vec_text(std::string_view bytes, const std::string& path,
                                const LoadOptions& options);
void save_word2vec_text(const KeyedVectors& vectors, const std::string& path, int threads = 0);

}  // namespace embkit
