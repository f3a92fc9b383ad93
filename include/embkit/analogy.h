// Analogy evaluation with gensim's conventions (evaluate_word_analogies), so numbers are comparable
// with published ones: questions-words format, restrict_vocab, case-insensitive, accuracy over
// answered questions, semantic / syntactic sections.
#pragma once

#include <array>
#include <string>
#include <vector>

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
  // Subword models (AnalogyOptions::subwords): questions left unanswered because a, b or c is out of
  // the vocabulary, answered with those words' n-gram vectors (the expected word must still be a
  // candidate); counted here only, so the numbers above stay gensim's.
  size_t oov_correct = 0, oov_answered = 0;
  double oov_accuracy() const { return oov_answered ? double(oov_correct) / oov_answered : 0.0; }
};

struct AnalogyOptions {
  size_t restrict_vocab = 300000;  // 0 = all words (gensim would answer nothing)
  bool case_insensitive = true;
  AnalogyMethod method = AnalogyMethod::Add;
  int threads = 0;
  bool keep_questions = false;  // fill AnalogySection::questions
  bool subwords = true;         // answer oov questions with n-gram vectors when the model has them
};

// gensim's evaluate_word_analogies: a question is answered when its four words (upper-cased when
// case-insensitive; the most frequent casing wins) are among the first restrict_vocab words; the
// prediction is the first of the 5 best answers (query words' ids excluded) whose key is not a query
// word, as in gensim's loop. Method Mul ranks by 3CosMul instead of 3CosAdd. All questions are
// searched in one batch. Throws IoError / FormatError (a line before the first section header).
AnalogyResult evaluate_analogies(const KeyedVectors& kv, const std::string& path,
                                 const AnalogyOptions& options = {});

}  // namespace embkit
