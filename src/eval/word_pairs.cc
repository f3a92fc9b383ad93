// evaluate_word_pairs: gensim's evaluate_word_pairs. Pairs with a word outside the restricted
// vocabulary are counted as oov and left out; the model's similarity of a pair is the cosine of the
// two words' vectors; Spearman and Pearson correlations compare it with the file's scores.
#include <cmath>

#include "embkit/error.h"
#include "embkit/correlation.h"
#include "embkit/word_pairs.h"
#include "eval/restricted_vocab.h"
#include "eval/word_pair_file.h"

namespace embkit {
namespace {

double cosine(const KeyedVectors& kv, uint32_t a, uint32_t b) {
  const float* x = kv.vectors().row(a);
  const float* y = kv.vectors().row(b);
  double dot = 0, x_squares = 0, y_squares = 0;
  for (size_t j = 0; j < kv.dim(); ++j) {
    dot += double(x[j]) * y[j];
    x_squares += double(x[j]) * x[j];
    y_squares += double(y[j]) * y[j];
  }
  if (x_squares == 0 || y_squares == 0) return 0.0;  // gensim's unitvec leaves zero vectors zero
  return dot / (std::sqrt(x_squares) * std::sqrt(y_squares));
}

}  // namespace

SimilarityResult evaluate_word_pairs(const KeyedVectors& kv, const std::string& path,
                                     const SimilarityOptions& options) {
  const std::vector<WordPair> pairs = read_word_pairs(path);
  if (pairs.empty()) throw FormatError(path, "no `word1 word2 score` lines");
  std::vector<std::string> keys;
  keys.reserve(2 * pairs.size());
  for (const WordPair& pair : pairs) {
    keys.push_back(fold_word(pair.first, options.case_insensitive));
    keys.push_back(fold_word(pair.second, options.case_insensitive));
  }
  const RestrictedVocab vocab(kv, options.restrict_vocab, options.case_insensitive, keys);

  SimilarityResult result;
  result.file = path;
  result.pairs = pairs.size();
  std::vector<double> gold, model, gold_oov, model_oov;
  const bool subwords = options.subwords && kv.has_subwords();
  std::vector<float> x(kv.dim()), y(kv.dim());
  for (size_t p = 0; p < pairs.size(); ++p) {
    const std::optional<uint32_t> first = vocab.find(keys[2 * p]);
    const std::optional<uint32_t> second = vocab.find(keys[2 * p + 1]);
    if (!first || !second) {
      ++result.oov;
      if (subwords && kv.word_vector(keys[2 * p], x.data()) &&
          kv.word_vector(keys[2 * p + 1], y.data())) {
        double dot = 0, xs = 0, ys = 0;
        for (size_t j = 0; j < x.size(); ++j) {
          dot += double(x[j]) * y[j];
          xs += double(x[j]) * x[j];
          ys += double(y[j]) * y[j];
        }
        ++result.oov_scored;
        gold_oov.push_back(pairs[p].score);
        model_oov.push_back(xs == 0 || ys == 0 ? 0.0 : dot / (std::sqrt(xs) * std::sqrt(ys)));
      }
      if (options.dummy4unknown) {
        gold.push_back(pairs[p].score);
        model.push_back(0.0);
      }
      continue;
    }
    gold.push_back(pairs[p].score);
    model.push_back(cosine(kv, *first, *second));
  }
  // With every pair out of vocabulary (or fewer than two pairs) the correlations are NaN.
  result.spearman = spearman(gold, model);
  result.pearson = pearson(gold, model);
  if (subwords) {
    result.spearman_oov = spearman(gold_oov, model_oov);
    result.pearson_oov = pearson(gold_oov, model_oov);
    gold.insert(gold.end(), gold_oov.begin(), gold_oov.end());
    model.insert(model.end(), model_oov.begin(), model_oov.end());
    result.spearman_with_oov = spearman(gold, model);
    result.pearson_with_oov = pearson(gold, model);
  }
  return result;
}

}  // namespace embkit
