// Intrinsic evaluation with gensim's conventions, so numbers are comparable with published ones:
// analogies in the questions-words format (evaluate_word_analogies: restrict_vocab, case-insensitive,
// accuracy over answered questions) and word-pair similarity (evaluate_word_pairs: Spearman with
// average ranks for ties, Pearson, OOV pairs skipped).
#pragma once

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "embkit/keyed_vectors.h"
#include "embkit/queries.h"

namespace embkit {

enum class AnalogyOutcome { Correct, Incorrect, Unanswered };

struct AnalogyQuestion {
  std::array<std::string, 4> keys;  // a, b, c, expected; upper-cased when case-insensitive
  AnalogyOutcome outcome = AnalogyOutcome::Unanswered;
};

struct AnalogySection {
  std::string name;
  size_t correct = 0;
  size_t answered = 0;  // questions whose four words are all in the restricted vocabulary
  size_t total = 0;     // questions in the file's section
  // With AnalogyOptions::keep_questions: every question in file order with its outcome (gensim lists
  // them per section).
  std::vector<AnalogyQuestion> questions;
  bool syntactic() const { return name.rfind("gram", 0) == 0; }  // "gram1-adjective-to-adverb", ...
};

struct AnalogyResult {
  std::string file;
  std::vector<AnalogySection> sections;
  size_t correct = 0, answered = 0, total = 0;
  size_t semantic_correct = 0, semantic_answered = 0;
  size_t syntactic_correct = 0, syntactic_answered = 0;
  double accuracy() const { return answered ? double(correct) / answered : 0.0; }
  double semantic() const { return semantic_answered ? double(semantic_correct) / semantic_answered : 0.0; }
  double syntactic() const {
    return syntactic_answered ? double(syntactic_correct) / syntactic_answered : 0.0;
  }
  double coverage() const { return total ? double(answered) / total : 0.0; }
};

struct AnalogyOptions {
  size_t restrict_vocab = 300000;  // 0 = all words (gensim would answer nothing)
  bool case_insensitive = true;
  AnalogyMethod method = AnalogyMethod::Add;
  int threads = 0;
  bool keep_questions = false;  // fill AnalogySection::questions
};

// gensim's evaluate_word_analogies: a question is answered when its four words (upper-cased when
// case-insensitive; the most frequent casing wins) are among the first restrict_vocab words; the
// prediction is the first of the 5 best answers (query words' ids excluded) whose key is not a query
// word, as in gensim's loop. Method Mul ranks by 3CosMul instead of 3CosAdd. All questions are
// searched in one batch. Throws IoError / FormatError (a line before the first section header).
AnalogyResult evaluate_analogies(const KeyedVectors& kv, const std::string& path,
                                 const AnalogyOptions& options = {});

struct SimilarityResult {
  std::string file;
  double spearman = 0, pearson = 0;
  size_t pairs = 0;  // valid pairs in the file
  size_t oov = 0;    // pairs skipped because a word is outside the restricted vocabulary
};

struct SimilarityOptions {
  size_t restrict_vocab = 300000;  // 0 = all words
  bool case_insensitive = true;
  // gensim's dummy4unknown: out-of-vocabulary pairs enter the correlations with similarity 0 (they
  // are still counted in `oov`).
  bool dummy4unknown = false;
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

// Spearman rank correlation with average ranks for ties, and Pearson correlation.
double spearman(const std::vector<double>& x, const std::vector<double>& y);
double pearson(const std::vector<double>& x, const std::vector<double>& y);

// The JSON objects of CLI.md ("analogy": {...}, "similarity": [{...}]); sections also carry
// "total", NaN correlations are null.
nlohmann::json to_json(const AnalogyResult& result);
nlohmann::json to_json(const SimilarityResult& result);

}  // namespace embkit
