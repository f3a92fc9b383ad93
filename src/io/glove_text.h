// GloVe text format: lines "word v1 ... vD" without a header; D is the number of values on the
// first line and every line must have as many.
#pragma once

#include <string>
#include <string_view>

#include "embkit/io.h"
#include "embkit/keyed_vectors.h"

namespace embkit {

KeyedVectors load_glove(std::string_view bytes, const std::string& path,
                        const LoadOptions& options);
void save_glove(const KeyedVectors& vectors, const std::string& path, int threads = 0);

}  // namespace embkit
