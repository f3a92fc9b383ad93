// word2vec binary format, byte-compatible with the original C tool: the header "N D\n", then for
// every word its bytes, one space, D little-endian float32 values and '\n'. Like gensim, the reader
// also accepts files whose records lack the '\n' after the floats.
#pragma once

#include <string>
#include <string_view>

#include "embkit/io.h"
#include "embkit/keyed_vectors.h"

namespace embkit {

KeyedVectors load_word2vec_binary(std::string_view bytes, const std::string& path,
                                  const LoadOptions& options);
void save_word2vec_binary(const KeyedVectors& vectors, const std::string& path);

}  // namespace embkit
