// 3CosMul ranking (Levy & Goldberg 2014, "Linguistic Regularities in Sparse and Explicit Word
// Representations", eq. 4, with cosines shifted to [0, 1] as in their footnote 7), for many
// queries:
//   score(x) = prod_p (1 + cos(p, x)) / 2  /  (prod_n (1 + cos(n, x)) / 2 + 1e-6)
// With no negative words the denominator is 1 + 1e-6, as in gensim's most_similar_cosmul.
#pragma once

#include <cstdint>
#include <vector>

#include "embkit/keyed_vectors.h"
#include "embkit/search.h"

namespace embkit {

// Ids (rows of the model) of a query's positive and negative words; positive must not be empty.
struct CosMulQuery {
  std::vector<uint32_t> positive;
  std::vector<uint32_t> negative;
};

// For every query, the k best of the first `rows` rows, best first, equal scores by id. Rows of
// zero length come after all others with a NaN score (gensim divides by their zero norm).
std::vector<std::vector<Hit>> top_k_cosmul(const KeyedVectors& kv,
                                           const std::vector<CosMulQuery>& queries, size_t k,
                                           size_t rows, int threads = 0);

}  // namespace embkit
