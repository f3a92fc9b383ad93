// Many word queries at once (the questions of an analogy file, or one most_similar_cosmul call),
// each a set of positive and negative words of the model, ranked over the first `rows` rows by
//   Add (3CosAdd):  cos(x, unit(sum_p unit(p) - sum_n unit(n)))
//                   = (sum_p cos(p, x) - sum_n cos(n, x)) / |sum_p unit(p) - sum_n unit(n)|
//   Mul (3CosMul, Levy & Goldberg 2014, "Linguistic Regularities in Sparse and Explicit Word
//        Representations", eq. 4, cosines shifted to [0, 1] as in their footnote 7):
//                   prod_p (1 + cos(p, x)) / 2  /  (prod_n (1 + cos(n, x)) / 2 + 1e-6)
// With no negative words the Mul denominator is 1 + 1e-6, as in gensim's most_similar_cosmul.
// Both are functions of the cosines between candidates and the query words only, so the cosines of
// each distinct query word are computed once per block of candidates and shared by every query that
// uses the word: an analogy file of 19,544 questions has fewer than a thousand distinct words.
#pragma once

#include <cstdint>
#include <vector>

#include "embkit/keyed_vectors.h"
#include "embkit/queries.h"
#include "embkit/exact_search.h"

namespace embkit {

// Ids (rows of the model) of a query's positive and negative words; Mul needs a positive word.
struct WordQuery {
  std::vector<uint32_t> positive;
  std::vector<uint32_t> negative;
};

// For every query, the k best of the first `rows` rows, best first, equal scores by id. Rows of
// zero length come after all others with a NaN score (gensim divides by their zero norm).
std::vector<std::vector<Hit>> top_k_word_queries(const KeyedVectors& kv,
                                                 const std::vector<WordQuery>& queries,
                                                 AnalogyMethod method, size_t k, size_t rows,
                                                 int threads = 0);

}  // namespace embkit
