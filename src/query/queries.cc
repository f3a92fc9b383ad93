// Word queries with gensim 4.2's KeyedVectors semantics. Query vectors are built from unit rows in
// double precision (query/query_vector.h); candidates are scored by the exact search of
// exact_search.h (cosine = inner product with the rows times their inverse norms), and the ranking tail (extra hits
// for the query words, zero-length rows last) is query/ranking.h.
#include "embkit/queries.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "embkit/error.h"
#include "embkit/kernels.h"
#include "query/query_vector.h"
#include "query/ranking.h"
#include "query/word_query_search.h"

namespace embkit {
namespace {

// The id of a known word; an unknown word is a KeyError that says whether the model could have
// given it a subword vector.
uint32_t resolve_one(const KeyedVectors& kv, const std::string& word) {
  if (auto id = kv.vocab().find(word)) return *id;
  if (kv.has_subwords()) throw KeyError(word, "and none of its character n-grams is in the model");
  throw KeyError(word, "and the model has no subword n-grams for unseen words");
}

std::vector<uint32_t> resolve(const KeyedVectors& kv, const std::vector<std::string>& words) {
  std::vector<uint32_t> ids;
  ids.reserve(words.size());
  for (const std::string& word : words) ids.push_back(resolve_one(kv, word));
  return ids;
}

// True when a subword model must build some query vectors from n-grams.
bool needs_subwords(const KeyedVectors& kv, const std::vector<std::string>& a,
                    const std::vector<std::string>& b = {}) {
  if (!kv.has_subwords()) return false;
  for (const auto* words : {&a, &b})
    for (const std::string& word : *words)
      if (!kv.vocab().contains(word)) return true;
  return false;
}

// The ids of the known words among `words` (unknown ones are not rows, so nothing to exclude).
std::vector<uint32_t> known_ids(const KeyedVectors& kv, const std::vector<std::string>& words) {
  std::vector<uint32_t> ids;
  for (const std::string& word : words)
    if (auto id = kv.vocab().find(word)) ids.push_back(*id);
  return ids;
}

// A word's vector: a view of its row, or its subword vector copied into `storage`.
std::span<const float> vector_of(const KeyedVectors& kv, std::string_view word,
                                 std::vector<float>& storage) {
  if (auto id = kv.vocab().find(word)) return kv.vectors().row_span(*id);
  if (!kv.has_subwords()) resolve_one(kv, std::string(word));
  storage = kv.word_vector(word);
  return storage;
}

// The unit query's best candidates, with `excluded` ids dropped as gensim does.
std::vector<Neighbor> rank_by_cosine(const KeyedVectors& kv, std::span<const float> unit_query,
                                     const std::vector<uint32_t>& excluded,
                                     const QueryOptions& options) {
  const size_t rows = candidate_rows(kv, options.restrict_vocab);
  const size_t wanted = options.topn + excluded.size();
  SearchOptions search;
  search.k = wanted + count_zero_rows(kv, rows);
  search.restrict_rows = rows;
  search.threads = options.threads;
  // One query reads the rows once, scaled by their inverse norms on the fly: the first answer does
  // not wait for a normalized copy of the whole matrix (120 MB for 100k x 300).
  std::vector<Hit> hits =
      top_k_scaled_inner_product(kv.vectors(), unit_query, kv.inverse_norms(), search);
  return to_neighbors(kv,
                      finish_ranking(std::move(hits), kv.norms(), wanted, excluded, options.topn));
}

// 3CosMul when some query words are unseen: every candidate's cosine to each query word's unit
// vector, combined as most_similar_cosmul does (cosines mapped to [0, 1]).
std::vector<Neighbor> cosmul_with_subwords(const KeyedVectors& kv,
                                           const std::vector<std::string>& positive,
                                           const std::vector<std::string>& negative,
                                           const QueryOptions& options) {
  if (positive.empty()) throw UsageError("most_similar_cosmul needs at least one positive word");
  const size_t dim = kv.dim();
  std::vector<std::vector<float>> pos(positive.size(), std::vector<float>(dim)),
      neg(negative.size(), std::vector<float>(dim));
  for (size_t i = 0; i < positive.size(); ++i) unit_word_vector(kv, positive[i], pos[i].data());
  for (size_t i = 0; i < negative.size(); ++i) unit_word_vector(kv, negative[i], neg[i].data());
  std::vector<uint32_t> excluded = known_ids(kv, positive);
  for (uint32_t id : known_ids(kv, negative)) excluded.push_back(id);
  std::sort(excluded.begin(), excluded.end());
  excluded.erase(std::unique(excluded.begin(), excluded.end()), excluded.end());
  const size_t rows = candidate_rows(kv, options.restrict_vocab);
  const Matrix& unit = kv.unit_rows();
  std::vector<Hit> hits(rows);
#pragma omp parallel for schedule(static)
  for (size_t r = 0; r < rows; ++r) {
    double numerator = 1, denominator = 1;
    for (const auto& p : pos) numerator *= (1.0 + kernels::dot(unit.row(r), p.data(), dim)) / 2.0;
    for (const auto& n : neg) denominator *= (1.0 + kernels::dot(unit.row(r), n.data(), dim)) / 2.0;
    hits[r] = {static_cast<uint32_t>(r), static_cast<float>(numerator / (denominator + 1e-6))};
  }
  const size_t wanted = std::min(rows, options.topn + excluded.size() + count_zero_rows(kv, rows));
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(wanted), hits.end(),
                    [](const Hit& a, const Hit& b) {
                      return a.score > b.score || (a.score == b.score && a.id < b.id);
                    });
  hits.resize(wanted);
  return to_neighbors(kv, finish_ranking(std::move(hits), kv.norms(), options.topn + excluded.size(),
                                         excluded, options.topn));
}

}  // namespace

float similarity(const KeyedVectors& kv, std::string_view a, std::string_view b, Metric metric) {
  std::vector<float> a_storage, b_storage;
  std::span<const float> x = vector_of(kv, a, a_storage), y = vector_of(kv, b, b_storage);
  double dot = 0, x_squares = 0, y_squares = 0, distance_squares = 0;
  for (size_t j = 0; j < x.size(); ++j) {
    dot += double(x[j]) * y[j];
    x_squares += double(x[j]) * x[j];
    y_squares += double(y[j]) * y[j];
    const double difference = double(x[j]) - y[j];
    distance_squares += difference * difference;
  }
  switch (metric) {
    case Metric::Dot:
      return static_cast<float>(dot);
    case Metric::L2:
      return static_cast<float>(std::sqrt(distance_squares));
    case Metric::Cosine:
      break;
  }
  // A zero vector has cosine 0 with everything (gensim's unitvec leaves it zero).
  if (x_squares == 0 || y_squares == 0) return 0.0f;
  return static_cast<float>(dot / (std::sqrt(x_squares) * std::sqrt(y_squares)));
}

std::vector<Neighbor> most_similar(const KeyedVectors& kv, const std::vector<std::string>& positive,
                                   const std::vector<std::string>& negative,
                                   const QueryOptions& options) {
  if (options.topn == 0) return {};
  if (positive.empty() && negative.empty())
    throw UsageError("most_similar needs at least one positive or negative word");
  if (needs_subwords(kv, positive, negative)) {
    std::vector<uint32_t> excluded = known_ids(kv, positive);
    for (uint32_t id : known_ids(kv, negative)) excluded.push_back(id);
    std::vector<float> query(kv.dim());
    unit_mean_of_words(kv, positive, negative, query.data());
    return rank_by_cosine(kv, query, excluded, options);
  }
  const std::vector<uint32_t> positive_ids = resolve(kv, positive);
  const std::vector<uint32_t> negative_ids = resolve(kv, negative);
  // Like gensim, a word given twice counts twice in the number of extra hits.
  std::vector<uint32_t> excluded = positive_ids;
  excluded.insert(excluded.end(), negative_ids.begin(), negative_ids.end());
  std::vector<float> query(kv.dim());
  unit_mean(kv, positive_ids, negative_ids, query.data());
  return rank_by_cosine(kv, query, excluded, options);
}

std::vector<Neighbor> most_similar_cosmul(const KeyedVectors& kv,
                                          const std::vector<std::string>& positive,
                                          const std::vector<std::string>& negative,
                                          const QueryOptions& options) {
  if (options.topn == 0) return {};
  if (needs_subwords(kv, positive, negative)) return cosmul_with_subwords(kv, positive, negative, options);
  WordQuery query{resolve(kv, positive), resolve(kv, negative)};
  if (query.positive.empty())
    throw UsageError("most_similar_cosmul needs at least one positive word");
  // Unlike most_similar, gensim counts each distinct query word once here.
  std::vector<uint32_t> excluded = query.positive;
  excluded.insert(excluded.end(), query.negative.begin(), query.negative.end());
  std::sort(excluded.begin(), excluded.end());
  excluded.erase(std::unique(excluded.begin(), excluded.end()), excluded.end());

  const size_t rows = candidate_rows(kv, options.restrict_vocab);
  const size_t wanted = options.topn + excluded.size();
  std::vector<std::vector<Hit>> hits =
      top_k_word_queries(kv, {query}, AnalogyMethod::Mul, wanted, rows, options.threads);
  return to_neighbors(
      kv, finish_ranking(std::move(hits.front()), kv.norms(), wanted, excluded, options.topn));
}

std::vector<Neighbor> analogy(const KeyedVectors& kv, std::string_view a, std::string_view b,
                              std::string_view c, AnalogyMethod method,
                              const QueryOptions& options) {
  const std::vector<std::string> positive{std::string(b), std::string(c)};
  const std::vector<std::string> negative{std::string(a)};
  return method == AnalogyMethod::Mul ? most_similar_cosmul(kv, positive, negative, options)
                                      : most_similar(kv, positive, negative, options);
}

// doesnt_match when some words are unseen: every word has a (subword) vector, none is skipped.
static std::string doesnt_match_with_subwords(const KeyedVectors& kv,
                                              const std::vector<std::string>& words) {
  const size_t dim = kv.dim();
  std::vector<float> mean(dim), unit(dim);
  unit_mean_of_words(kv, words, {}, mean.data());
  float worst_similarity = std::numeric_limits<float>::infinity();
  std::optional<std::string_view> worst_word;
  for (const std::string& word : words) {
    unit_word_vector(kv, word, unit.data());
    double dot = 0;
    for (size_t j = 0; j < dim; ++j) dot += double(unit[j]) * mean[j];
    const float similarity_to_mean = static_cast<float>(dot);
    if (!worst_word || similarity_to_mean < worst_similarity ||
        (similarity_to_mean == worst_similarity && word < *worst_word)) {
      worst_similarity = similarity_to_mean;
      worst_word = word;
    }
  }
  return std::string(*worst_word);
}

std::string doesnt_match(const KeyedVectors& kv, const std::vector<std::string>& words,
                         std::vector<std::string>* skipped) {
  std::vector<uint32_t> ids;
  if (skipped) skipped->clear();
  if (needs_subwords(kv, words)) return doesnt_match_with_subwords(kv, words);
  for (const std::string& word : words) {
    if (std::optional<uint32_t> id = kv.vocab().find(word)) {
      ids.push_back(*id);
    } else if (skipped && std::find(skipped->begin(), skipped->end(), word) == skipped->end()) {
      skipped->push_back(word);
    }
  }
  if (ids.empty()) throw UsageError("doesnt_match needs at least one word in the vocabulary");
  std::vector<float> mean(kv.dim());
  unit_mean(kv, ids, {}, mean.data());
  const Matrix& unit = kv.unit_rows();
  // gensim sorts (similarity, word) pairs in descending order and takes the last one: the least
  // similar word, and among equally similar words the smallest string.
  float worst_similarity = std::numeric_limits<float>::infinity();
  std::optional<std::string_view> worst_word;
  for (uint32_t id : ids) {
    double dot = 0;
    const float* row = unit.row(id);
    for (size_t j = 0; j < mean.size(); ++j) dot += double(row[j]) * mean[j];
    const float similarity_to_mean = static_cast<float>(dot);
    const std::string_view word = kv.vocab().word(id);
    if (!worst_word || similarity_to_mean < worst_similarity ||
        (similarity_to_mean == worst_similarity && word < *worst_word)) {
      worst_similarity = similarity_to_mean;
      worst_word = word;
    }
  }
  return std::string(*worst_word);
}

std::vector<Neighbor> similar_by_vector(const KeyedVectors& kv, std::span<const float> vector,
                                        const QueryOptions& options) {
  if (vector.size() != kv.dim())
    throw UsageError(fmt::format("the query vector has dimension {} but the model has {}",
                                 vector.size(), kv.dim()));
  if (options.topn == 0) return {};
  double squares = 0;
  for (float value : vector) squares += double(value) * value;
  if (!(squares > 0)) throw UsageError("the query vector has zero length (no direction)");
  const double norm = std::sqrt(squares);
  std::vector<float> unit_query(vector.size());
  for (size_t j = 0; j < vector.size(); ++j) unit_query[j] = static_cast<float>(vector[j] / norm);
  return rank_by_cosine(kv, unit_query, {}, options);
}

std::vector<double> cosine_similarity_matrix(const KeyedVectors& kv, std::span<const uint32_t> ids) {
  const Matrix& unit = kv.unit_rows();
  const size_t n = ids.size();
  for (uint32_t id : ids)
    if (id >= kv.size())
      throw UsageError(fmt::format("row {} is outside the model's {} rows", id, kv.size()));
  std::vector<double> values(n * n);
  for (size_t r = 0; r < n; ++r)
    for (size_t c = r; c < n; ++c)
      values[r * n + c] = values[c * n + r] = kernels::dot(unit.row(ids[r]), unit.row(ids[c]), kv.dim());
  return values;
}

}  // namespace embkit
