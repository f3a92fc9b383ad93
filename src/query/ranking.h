// The last step every word query shares with gensim: from the best-first hits of a search to the
// answer list. gensim asks for topn + (number of query words) best rows, then drops the query
// words' ids, so a query word never hides a real answer; rows of zero length score NaN there (0 /
// 0) and rank after every real score, which these helpers reproduce.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "embkit/keyed_vectors.h"
#include "embkit/queries.h"
#include "embkit/exact_search.h"

namespace embkit {

// The rows a query searches: the first restrict_vocab rows (all rows when 0 or larger than the
// model).
size_t candidate_rows(const KeyedVectors& kv, size_t restrict_vocab);

// How many of the first `rows` rows have zero length. A search must ask for that many extra hits,
// because finish_ranking moves those rows to the end.
size_t count_zero_rows(const KeyedVectors& kv, size_t rows);

// gensim's ranking tail: zero-length rows move last with a NaN score, the list is cut to `wanted`
// (topn + number of query words), rows in `excluded` are dropped and at most `topn` remain.
std::vector<Hit> finish_ranking(std::vector<Hit> hits, std::span<const float> norms, size_t wanted,
                                std::span<const uint32_t> excluded, size_t topn);

std::vector<Neighbor> to_neighbors(const KeyedVectors& kv, const std::vector<Hit>& hits);

}  // namespace embkit
