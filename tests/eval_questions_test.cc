// The per-question lists of evaluate_analogies (AnalogyOptions::keep_questions: gensim's 'correct' /
// 'incorrect' lists, in file order) and gensim's dummy4unknown for word pairs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "embkit/analogy.h"
#include "embkit/correlation.h"
#include "embkit/word_pairs.h"
#include "embkit/error.h"
#include "eval/analogy_questions.h"
#include "eval/read_file.h"

namespace embkit {
namespace {

namespace fs = std::filesystem;

struct QuestionsFile {
  explicit QuestionsFile(const std::string& content)
      : path(fs::temp_directory_path() / ("embkit_eval_questions_" + std::to_string(::getpid()))) {
    std::ofstream(path, std::ios::binary) << content;
  }
  ~QuestionsFile() { fs::remove(path); }
  fs::path path;
};

// c_i = e_i, k_i = e_i + e_7: "c_i k_i c_j ?" is answered k_j.
KeyedVectors capitals() {
  Vocab vocab;
  Matrix matrix(8, 8);
  for (size_t i = 0; i < 4; ++i) {
    vocab.add("c" + std::to_string(i));
    matrix.mutable_row(i)[i] = 1;
  }
  for (size_t i = 0; i < 4; ++i) {
    vocab.add("k" + std::to_string(i));
    matrix.mutable_row(4 + i)[i] = 1;
    matrix.mutable_row(4 + i)[7] = 1;
  }
  return KeyedVectors(std::move(vocab), std::move(matrix));
}

TEST(EvalQuestions, OutcomesInFileOrder) {
  KeyedVectors kv = capitals();
  QuestionsFile file(": s\nc0 k0 zz k1\nc0 k0 c1 k1\nc0 k0 c2 c3\n: t\nc1 k1 c2 k2\n");
  AnalogyOptions options;
  options.keep_questions = true;
  const AnalogyResult result = evaluate_analogies(kv, file.path.string(), options);
  ASSERT_EQ(result.sections.size(), 2u);
  const auto& first = result.sections[0].questions;
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].keys[2], "ZZ");
  EXPECT_EQ(first[0].outcome, AnalogyOutcome::Unanswered);
  EXPECT_EQ(first[1].keys[3], "K1");
  EXPECT_EQ(first[1].outcome, AnalogyOutcome::Correct);
  EXPECT_EQ(first[2].outcome, AnalogyOutcome::Incorrect);
  ASSERT_EQ(result.sections[1].questions.size(), 1u);
  EXPECT_EQ(result.sections[1].questions[0].outcome, AnalogyOutcome::Correct);
  EXPECT_EQ(result.correct, 2u);
  options.keep_questions = false;
  EXPECT_TRUE(evaluate_analogies(kv, file.path.string(), options).sections[0].questions.empty());
}

TEST(EvalQuestions, Dummy4UnknownEntersPairsWithSimilarityZero) {
  KeyedVectors kv = capitals();
  // Cosines: c0-k0 = 1/sqrt2, c0-c1 = 0, k0-k1 = 1/2; zz is unknown.
  QuestionsFile file("c0\tk0\t9\nc0\tc1\t1\nk0\tk1\t5\nzz\tc0\t3\n");
  SimilarityOptions options;
  const SimilarityResult skipped = evaluate_word_pairs(kv, file.path.string(), options);
  EXPECT_EQ(skipped.oov, 1u);
  EXPECT_NEAR(skipped.spearman, spearman({9, 1, 5}, {0.70710678, 0, 0.5}), 1e-9);
  options.dummy4unknown = true;
  const SimilarityResult dummy = evaluate_word_pairs(kv, file.path.string(), options);
  EXPECT_EQ(dummy.oov, 1u);
  EXPECT_NEAR(dummy.pearson, pearson({9, 1, 5, 3}, {0.70710678, 0, 0.5, 0}), 1e-7);
  EXPECT_NEAR(dummy.spearman, spearman({9, 1, 5, 3}, {0.70710678, 0, 0.5, 0}), 1e-9);
  EXPECT_NE(dummy.spearman, skipped.spearman);
}

// Question files are read once, bounded, and without a byte order mark in the first header.
TEST(EvalQuestionFiles, ByteOrderMarkAndOverlongLines) {
  QuestionsFile with_mark("\xef\xbb\xbf: capitals\nc0 k0 c1 k1\n");
  std::vector<AnalogyQuestionSection> sections = read_analogy_questions(with_mark.path.string());
  ASSERT_EQ(sections.size(), 1u);
  EXPECT_EQ(sections[0].name, "capitals");
  ASSERT_EQ(sections[0].questions.size(), 1u);

  QuestionsFile overlong(": s\na b c d\n" + std::string(kMaxLineBytes + 1, 'x') + "\n");
  try {
    read_analogy_questions(overlong.path.string());
    ADD_FAILURE() << "no error";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), overlong.path.string() + ": line 3 is longer than 1 MiB (not a "
                                                              "text file?)");
  }
}

}  // namespace
}  // namespace embkit
