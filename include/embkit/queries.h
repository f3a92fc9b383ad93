// Word queries with gensim's semantics: similarity, most_similar (3CosAdd with positive and negative
// words), most_similar_cosmul (3CosMul, Levy & Goldberg 2014), doesnt_match and nearest neighbours of
// an arbitrary vector. Query words are resolved to unit vectors and excluded from the answers.
// Equal scores are ordered by id (gensim's order among ties is arbitrary); rows of zero length rank
// after all others with a NaN score, as gensim's 0/0 does.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embkit/keyed_vectors.h"
#include "embkit/exact_search.h"

namespace embkit {

struct Neighbor {
  uint32_t id;
  std::string_view word;  // points into the model's vocabulary
  float score;
};

struct QueryOptions {
  size_t topn = 10;
  size_t restrict_vocab = 0;  // candidates: only the first N words (0 = all)
  int threads = 0;
};

// Cosine, dot product or Euclidean (L2) distance between two words; throws KeyError.
float similarity(const KeyedVectors& kv, std::string_view a, std::string_view b,
                 Metric metric = Metric::Cosine);

// gensim's most_similar: unit(mean(+unit(p) for p in positive, -unit(n) for n in negative)) against
// the unit rows; the query words themselves are never returned.
std::vector<Neighbor> most_similar(const KeyedVectors& kv, const std::vector<std::string>& positive,
                                   const std::vector<std::string>& negative,
                                   const QueryOptions& options = {});

// gensim's most_similar_cosmul: prod((1 + cos(p, x)) / 2) / (prod((1 + cos(n, x)) / 2) + 1e-6).
// restrict_vocab is honoured here (gensim 4.2 accepts it but searches every row).
std::vector<Neighbor> most_similar_cosmul(const KeyedVectors& kv,
                                          const std::vector<std::string>& positive,
                                          const std::vector<std::string>& negative,
                                          const QueryOptions& options = {});

enum class AnalogyMethod { Add, Mul };
// "a is to b as c is to ?": positive {b, c}, negative {a}.
std::vector<Neighbor> analogy(const KeyedVectors& kv, std::string_view a, std::string_view b,
                              std::string_view c, AnalogyMethod method,
                              const QueryOptions& options = {});

// The word furthest from the mean of the others' unit vectors (gensim: unknown words are skipped and
// reported in `skipped`; UsageError when fewer than one known word remains).
std::string doesnt_match(const KeyedVectors& kv, const std::vector<std::string>& words,
                         std::vector<std::string>* skipped = nullptr);

// Nearest words by cosine to an arbitrary vector (UsageError on wrong dimension or zero vector).
std::vector<Neighbor> similar_by_vector(const KeyedVectors& kv, std::span<const float> vector,
                                        const QueryOptions& options = {});

// The n x n cosine similarities of the given rows (row-major), from the unit rows on the SIMD
// kernels; rows of zero length give 0.
std::vector<double> cosine_similarity_matrix(const KeyedVectors& kv, std::span<const uint32_t> ids);

}  // namespace embkit
