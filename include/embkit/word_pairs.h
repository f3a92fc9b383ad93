// Word-pair similarity evaluation with gensim's conventions (evaluate_word_pairs): Spearman with
// average ranks for ties, Pearson, OOV pairs skipped (or scored 0 with dummy4unknown).
#pragma once

#include <string>

#include "embkit/keyed_vectors.h"

namespace embkit {

struct SimilarityResult {
  std::string file;
  double spearman = 0, pearson = 0;
  size_t pairs = 0;  // valid pairs in the file
  size_t oov = 0;    // pairs skipped because a word is outside the restricted vocabulary
  // Subword models (SimilarityOptions::subwords): the oov pairs whose words all have n-gram vectors
  // are scored with them and reported apart, so spearman / pearson above stay gensim's numbers.
  size_t oov_scored = 0;
  double spearman_with_oov = 0, pearson_with_oov = 0;  // in-vocabulary + scored oov pairs
  double spearman_oov = 0, pearson_oov = 0;            // the scored oov pairs alone
};

struct SimilarityOptions {
  size_t restrict_vocab = 300000;  // 0 = all words
  bool case_insensitive = true;
  // gensim's dummy4unknown: out-of-vocabulary pairs enter the correlations with similarity 0 (they
  // are still counted in `oov`).
  bool dummy4unknown = false;
  // Score out-of-vocabulary pairs with subword vectors when the model has them.
  bool subwords = true;
};

// Pair files: "word1 word2 score" separated by tabs or spaces; lines starting with '#' are skipped.
// A line with a tab is split on tabs (gensim's default delimiter), other lines on whitespace; without
// a header a pair line has exactly three fields, others are skipped as gensim skips them. A first
// line whose third field is not a number is a header; with more columns (SimLex-999's original
// "word1 word2 POS SimLex999 ...") the score is the column named SimLex999 / score / similarity /
// sim / relatedness, else the third (eval/word_pair_file.h). The model's similarity is the cosine.
// Correlations are NaN when fewer than two pairs are in the vocabulary (gensim raises instead).
// Throws IoError, or FormatError when the file has no pair line at all.
SimilarityResult evaluate_word_pairs(const KeyedVectors& kv, const std::string& path,
                                     const SimilarityOptions& options = {});

}  // namespace embkit
