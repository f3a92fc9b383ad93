// The query direction of most_similar (gensim's get_mean_vector with pre- and post-normalisation):
//   unit( sum_p unit(p) - sum_n unit(n) )
// gensim also divides by the number of words first, which the final normalisation cancels.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embkit/keyed_vectors.h"

namespace embkit {

// Writes kv.dim() floats to `out`, accumulating in double; a zero sum stays zero (gensim's
// unitvec).
void unit_mean(const KeyedVectors& kv, std::span<const uint32_t> positive,
               std::span<const uint32_t> negative, float* out);

// A word's unit vector: its unit row when known, otherwise its subword vector (KeyedVectors::
// word_vector) scaled to unit length; throws KeyError when it has no vector.
void unit_word_vector(const KeyedVectors& kv, std::string_view word, float* out);

// unit_mean over words, any of which may be unknown to a subword model.
void unit_mean_of_words(const KeyedVectors& kv, const std::vector<std::string>& positive,
                        const std::vector<std::string>& negative, float* out);

}  // namespace embkit
