// The query direction of most_similar (gensim's get_mean_vector with pre- and post-normalisation):
//   unit( sum_p unit(p) - sum_n unit(n) )
// gensim also divides by the number of words first, which the final normalisation cancels.
#pragma once

#include <cstdint>
#include <span>

#include "embkit/keyed_vectors.h"

namespace embkit {

// Writes kv.dim() floats to `out`, accumulating in double; a zero sum stays zero (gensim's
// unitvec).
void unit_mean(const KeyedVectors& kv, std::span<const uint32_t> positive,
               std::span<const uint32_t> negative, float* out);

}  // namespace embkit
