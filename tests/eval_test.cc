// Intrinsic evaluation: correlations against hand-computed values, analogy files with planted
// structure (known answers per section), gensim's quirks, and word-pair files in several layouts.
#include "embkit/analogy.h"
#include "embkit/correlation.h"
#include "embkit/eval_json.h"
#include "embkit/word_pairs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "embkit/error.h"
#include "embkit/queries.h"
#include "eval/upper_case.h"

namespace embkit {
namespace {

namespace fs = std::filesystem;

class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : path_(fs::temp_directory_path() /
              ("embkit_eval_test_" + std::to_string(::getpid()) + "_" + name)) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

KeyedVectors make_vectors(const std::vector<std::pair<std::string, std::vector<float>>>& rows) {
  Vocab vocab;
  const size_t dim = rows.front().second.size();
  Matrix matrix(rows.size(), dim);
  for (size_t i = 0; i < rows.size(); ++i) {
    vocab.add(rows[i].first);
    for (size_t j = 0; j < dim; ++j) matrix.mutable_row(i)[j] = rows[i].second[j];
  }
  return KeyedVectors(std::move(vocab), std::move(matrix));
}

std::vector<float> basis(size_t dim, std::initializer_list<std::pair<size_t, float>> entries) {
  std::vector<float> v(dim, 0.0f);
  for (auto [index, value] : entries) v[index] = value;
  return v;
}

// Countries c0..c3 are basis vectors e0..e3; capital k_i = e_i + e7. For c_i : k_i :: c_j : ?
// unit(k_i) - e_i + e_j scores k_j at (1 + 1/sqrt2)/sqrt2, above every other candidate.
KeyedVectors capitals() {
  const size_t dim = 8;
  std::vector<std::pair<std::string, std::vector<float>>> rows;
  for (size_t i = 0; i < 4; ++i) rows.push_back({"c" + std::to_string(i), basis(dim, {{i, 1}})});
  for (size_t i = 0; i < 4; ++i)
    rows.push_back({"k" + std::to_string(i), basis(dim, {{i, 1}, {7, 1}})});
  rows.push_back({"nothing", basis(dim, {})});
  rows.push_back({"far", basis(dim, {{5, 1}})});
  return make_vectors(rows);
}

const char* const kCapitalQuestions =
    ": capital-common\n"
    "c0 k0 c1 k1\n"
    "c1 k1 c2 k2\n"
    "c0 k0 c2 c3\n"     // wrong expectation: answered, incorrect
    "c0 k0 zz k1\n"     // zz is unknown: not answered
    "c0 k0 c1\n"        // three words: skipped, not counted
    "c0 k0 c1 k1 k2\n"  // five words: skipped
    ": gram-capitals\n"
    "C2 K2 C3 K3\n"       // upper case: answered only when case-insensitive
    "c3\tk3  c0 k0\r\n";  // tabs, several spaces and CR are whitespace

TEST(EvalUpperCase, FollowsPythonStrUpper) {
  EXPECT_EQ(upper_case("King's-road_7"), "KING'S-ROAD_7");
  EXPECT_EQ(upper_case("\xC3\xA9"
                       "clair"),
            "\xC3\x89"
            "CLAIR");  // éclair -> ÉCLAIR
  EXPECT_EQ(upper_case("stra\xC3\x9F"
                       "e"),
            "STRASSE");  // straße -> STRASSE
  EXPECT_EQ(upper_case("\xD0\xBC\xD0\xB8\xD1\x80"), "\xD0\x9C\xD0\x98\xD0\xA0");  // мир -> МИР
  EXPECT_EQ(upper_case("\xCF\x82"), "\xCE\xA3");  // final sigma -> Σ
  EXPECT_EQ(upper_case("\xC5\x82\xC3\xB3"
                       "d\xC5\xBA"),
            "\xC5\x81\xC3\x93"
            "D\xC5\xB9");                                                         // łódź
  EXPECT_EQ(upper_case("\xEF\xAC\x81"), "FI");                                    // ﬁ ligature
  EXPECT_EQ(upper_case("\xE6\x97\xA5\xE6\x9C\xAC"), "\xE6\x97\xA5\xE6\x9C\xAC");  // 日本 unchanged
  EXPECT_EQ(upper_case("bad\xFF\xC3"), "BAD\xFF\xC3");  // invalid UTF-8 bytes pass through
}

TEST(EvalCorrelation, PearsonHandComputed) {
  // x - mean = (-1, 0, 1), y - mean = (-1, 1, 0): r = 1 / (sqrt2 * sqrt2) = 0.5
  EXPECT_DOUBLE_EQ(pearson({1, 2, 3}, {1, 3, 2}), 0.5);
  EXPECT_DOUBLE_EQ(pearson({1, 2, 3, 4}, {-2, -4, -6, -8}), -1.0);
  EXPECT_TRUE(std::isnan(pearson({1, 1, 1}, {1, 2, 3})));
  EXPECT_TRUE(std::isnan(pearson({1}, {2})));
  EXPECT_THROW(pearson({1, 2}, {1, 2, 3}), UsageError);
}

TEST(EvalCorrelation, SpearmanAveragesTiedRanks) {
  // ranks x = (1, 2.5, 2.5, 4), y = (1, 3, 2, 4): r = 4.5 / sqrt(4.5 * 5)
  EXPECT_NEAR(spearman({1, 2, 2, 3}, {10, 30, 20, 40}), 4.5 / std::sqrt(4.5 * 5), 1e-12);
  // No ties: 1 - 6 * sum d^2 / (n (n^2 - 1)) = 1 - 6 * 2 / 60
  EXPECT_NEAR(spearman({3, 9, 0, 5}, {0.2, 0.5, -1, 0.9}), 0.8, 1e-12);
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3}, {1, 8, 27}), 1.0);
  EXPECT_TRUE(std::isnan(spearman({1, 2, NAN}, {1, 2, 3})));
  EXPECT_THROW(spearman({1}, {1, 2}), UsageError);
}

TEST(EvalAnalogies, PlantedStructureGivesKnownCountsPerSection) {
  KeyedVectors kv = capitals();
  TempFile file("questions.txt", kCapitalQuestions);
  for (AnalogyMethod method : {AnalogyMethod::Add, AnalogyMethod::Mul}) {
    AnalogyOptions options;
    options.method = method;
    AnalogyResult result = evaluate_analogies(kv, file.path(), options);
    ASSERT_EQ(result.sections.size(), 2u);
    EXPECT_EQ(result.sections[0].name, "capital-common");
    EXPECT_EQ(result.sections[0].correct, 2u);
    EXPECT_EQ(result.sections[0].answered, 3u);
    EXPECT_EQ(result.sections[0].total, 4u);
    EXPECT_EQ(result.sections[1].name, "gram-capitals");
    EXPECT_TRUE(result.sections[1].syntactic());
    EXPECT_EQ(result.sections[1].correct, 2u);
    EXPECT_EQ(result.sections[1].answered, 2u);
    EXPECT_EQ(result.sections[1].total, 2u);
    EXPECT_EQ(result.correct, 4u);
    EXPECT_EQ(result.answered, 5u);
    EXPECT_EQ(result.total, 6u);
    EXPECT_DOUBLE_EQ(result.accuracy(), 0.8);
    EXPECT_DOUBLE_EQ(result.semantic(), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(result.syntactic(), 1.0);
    EXPECT_DOUBLE_EQ(result.coverage(), 5.0 / 6.0);
  }
}

TEST(EvalAnalogies, CaseSensitiveModeDropsUpperCaseQuestions) {
  KeyedVectors kv = capitals();
  TempFile file("questions.txt", kCapitalQuestions);
  AnalogyOptions options;
  options.case_insensitive = false;
  AnalogyResult result = evaluate_analogies(kv, file.path(), options);
  EXPECT_EQ(result.sections[1].answered, 1u);
  EXPECT_EQ(result.sections[1].correct, 1u);
  EXPECT_EQ(result.sections[1].total, 2u);
}

TEST(EvalAnalogies, RestrictVocabSkipsQuestionsWithRareWords) {
  KeyedVectors kv = capitals();
  TempFile file("questions.txt", kCapitalQuestions);
  AnalogyOptions options;
  options.restrict_vocab = 7;  // c0..c3, k0..k2: questions with k3 are not answered
  AnalogyResult result = evaluate_analogies(kv, file.path(), options);
  EXPECT_EQ(result.sections[0].answered, 3u);
  EXPECT_EQ(result.sections[0].correct, 2u);
  EXPECT_EQ(result.sections[1].answered, 0u);
  EXPECT_EQ(result.sections[1].total, 2u);
}

// foo = e0, bar = e1, baz = e2, so bar - foo + baz points along q = (-1, 1, 1, 0) / sqrt3. Five
// case variants of the query words lie closest to q, then qux. gensim looks at 5 candidates only,
// skips those whose upper-case form is a query word, and when none is left its prediction is the
// last one looked at ("Baz" -> "BAZ"). (The counts below are the ones gensim 4.2 reports on the
// same data.)
KeyedVectors case_variants() {
  const float s = static_cast<float>(1 / std::sqrt(3.0));
  auto near_q = [&](float off_axis) { return std::vector<float>{-s, s, s, off_axis}; };
  return make_vectors({{"foo", {1, 0, 0, 0}},
                       {"bar", {0, 1, 0, 0}},
                       {"baz", {0, 0, 1, 0}},
                       {"Foo", near_q(0.1f)},
                       {"FOO", near_q(0.2f)},
                       {"fOO", near_q(0.3f)},
                       {"BAR", near_q(0.4f)},
                       {"Baz", near_q(0.5f)},
                       {"qux", near_q(0.6f)}});
}

TEST(EvalAnalogies, MirrorsGensimsFiveCandidateLoop) {
  KeyedVectors kv = case_variants();
  TempFile file("variants.txt",
                ": quirks\n"
                "foo bar baz qux\n"    // qux is 6th: not reached, prediction BAZ: incorrect
                "foo bar baz baz\n"    // prediction BAZ equals the expected key: correct
                "FOO BAR BAZ QUX\n");  // the same question as the first one
  AnalogyResult result = evaluate_analogies(kv, file.path());
  ASSERT_EQ(result.sections.size(), 1u);
  EXPECT_EQ(result.sections[0].answered, 3u);
  EXPECT_EQ(result.sections[0].correct, 1u);

  // Rows 0..6 leave four candidates, all query words: the prediction is the last, BAR.
  TempFile restricted("restricted.txt", ": quirks\nfoo bar baz bar\nfoo bar baz foo\n");
  AnalogyOptions options;
  options.restrict_vocab = 7;
  result = evaluate_analogies(kv, restricted.path(), options);
  EXPECT_EQ(result.sections[0].answered, 2u);
  EXPECT_EQ(result.sections[0].correct, 1u);
}

TEST(EvalAnalogies, QuestionBeforeAnySectionIsAFormatError) {
  KeyedVectors kv = capitals();
  TempFile file("no_header.txt", "c0 k0 c1 k1\n: late\n");
  try {
    evaluate_analogies(kv, file.path());
    FAIL() << "expected FormatError";
  } catch (const FormatError& error) {
    EXPECT_EQ(error.line(), 1u);
    EXPECT_EQ(std::string(error.what()),
              file.path() + ":1: question before the first ': section' header line");
  }
  TempFile blank_first("blank_first.txt", ": s\nc0 k0 c1 k1\n");
  EXPECT_NO_THROW(evaluate_analogies(kv, blank_first.path()));
  TempFile blank("blank.txt", "\n: s\n");
  EXPECT_THROW(evaluate_analogies(kv, blank.path()), FormatError);
  EXPECT_THROW(evaluate_analogies(kv, file.path() + ".missing"), IoError);
}

TEST(EvalAnalogies, SectionNamesAndEmptySections) {
  KeyedVectors kv = capitals();
  TempFile file("names.txt", ":  spaced name \t\n: empty\n: last\nc0 k0 c1 k1");
  AnalogyResult result = evaluate_analogies(kv, file.path());
  ASSERT_EQ(result.sections.size(), 3u);
  EXPECT_EQ(result.sections[0].name, "spaced name");
  EXPECT_EQ(result.sections[1].total, 0u);
  EXPECT_EQ(result.sections[2].correct, 1u);  // the last line has no newline
  EXPECT_DOUBLE_EQ(result.accuracy(), 1.0);
}

// The batched evaluation equals gensim's loop written with most_similar, one question at a time.
TEST(EvalAnalogies, BatchedEqualsOneQuestionAtATime) {
  // Words w0..w249, every fifth also as "W<i>" (a second casing with its own vector).
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  std::vector<std::pair<std::string, std::vector<float>>> rows;
  for (int i = 0; i < 250; ++i) {
    for (const char* prefix : {"w", "W"}) {
      if (prefix[0] == 'W' && i % 5 != 0) continue;
      std::vector<float> v(16);
      for (float& x : v) x = normal(rng);
      rows.push_back({prefix + std::to_string(i), v});
    }
  }
  KeyedVectors kv = make_vectors(rows);
  const size_t restrict_vocab = 220;  // w0 .. about w183
  std::uniform_int_distribution<int> word(0, 219);
  std::uniform_int_distribution<int> coin(0, 3);
  std::string questions = ": random\n";
  std::vector<std::array<std::string, 4>> parsed;
  for (int q = 0; q < 400; ++q) {
    std::array<std::string, 4> words;
    for (auto& w : words) w = "w" + std::to_string(word(rng));
    // Half the questions expect the best answer (in either casing), so some are correct.
    if (coin(rng) < 2 && kv.vocab().contains(words[1]) && kv.vocab().contains(words[2]) &&
        kv.vocab().contains(words[0])) {
      std::vector<Neighbor> best =
          most_similar(kv, {words[1], words[2]}, {words[0]}, {.topn = 1, .restrict_vocab = 40});
      words[3] = std::string(best.at(0).word);
      if (coin(rng) == 0) words[3][0] = 'W';
    }
    parsed.push_back(words);
    questions += words[0] + " " + words[1] + " " + words[2] + " " + words[3] + "\n";
  }
  TempFile file("random.txt", questions);
  AnalogyOptions options;
  options.restrict_vocab = restrict_vocab;
  AnalogyResult result = evaluate_analogies(kv, file.path(), options);

  // gensim's loop: ok_vocab maps the upper-case key to the first casing among the first 220 words.
  auto upper = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  };
  std::map<std::string, std::string> ok_vocab;
  for (size_t id = restrict_vocab; id-- > 0;)
    ok_vocab[upper(std::string(kv.vocab().word(id)))] = std::string(kv.vocab().word(id));
  size_t answered = 0, correct = 0;
  for (const auto& words : parsed) {
    std::array<std::string, 4> keys;
    bool known = true;
    for (size_t i = 0; i < 4; ++i) {
      keys[i] = upper(words[i]);
      known = known && ok_vocab.count(keys[i]);
    }
    if (!known) continue;
    ++answered;
    std::vector<Neighbor> sims =
        most_similar(kv, {ok_vocab[keys[1]], ok_vocab[keys[2]]}, {ok_vocab[keys[0]]},
                     {.topn = 5, .restrict_vocab = restrict_vocab});
    std::string predicted;
    for (const Neighbor& n : sims) {
      predicted = upper(std::string(n.word));
      if (predicted != keys[0] && predicted != keys[1] && predicted != keys[2]) break;
    }
    if (predicted == keys[3]) ++correct;
  }
  EXPECT_GT(answered, 100u);
  EXPECT_LT(answered, 400u);
  EXPECT_GT(correct, 20u);
  EXPECT_EQ(result.answered, answered);
  EXPECT_EQ(result.correct, correct);
  EXPECT_EQ(result.total, 400u);
}

TEST(EvalAnalogies, JsonHasTheKeysOfTheCliContract) {
  KeyedVectors kv = capitals();
  TempFile file("questions.txt", kCapitalQuestions);
  nlohmann::json json = to_json(evaluate_analogies(kv, file.path()));
  EXPECT_EQ(json["file"], file.path());
  EXPECT_DOUBLE_EQ(json["accuracy"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(json["semantic"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(json["syntactic"].get<double>(), 1.0);
  EXPECT_EQ(json["correct"], 4);
  EXPECT_EQ(json["answered"], 5);
  EXPECT_EQ(json["total"], 6);
  EXPECT_DOUBLE_EQ(json["coverage"].get<double>(), 5.0 / 6.0);
  EXPECT_EQ(json["sections"]["capital-common"]["correct"], 2);
  EXPECT_EQ(json["sections"]["capital-common"]["answered"], 3);
  EXPECT_EQ(json["sections"]["gram-capitals"]["answered"], 2);
}

// Compass vectors: cos(east, nne) = 1/sqrt5, cos(east, northeast) = 1/sqrt2, cos(east, west) = -1,
// cos(north, nne) = 2/sqrt5.
KeyedVectors compass() {
  return make_vectors({{"east", {1, 0}},
                       {"north", {0, 2}},
                       {"northeast", {1, 1}},
                       {"west", {-3, 0}},
                       {"nne", {1, 2}},
                       {"rare", {5, 5}}});
}

const double kCompassSpearman = 0.8;  // gold ranks (2, 4, 1, 3), model ranks (2, 3, 1, 4)
double compass_pearson() {
  return pearson({3, 9, 0, 5}, {1 / std::sqrt(5.0), std::sqrt(0.5), -1, 2 / std::sqrt(5.0)});
}

TEST(EvalWordPairs, TabSeparatedWithCommentsAndOov) {
  KeyedVectors kv = compass();
  TempFile file("pairs.tsv",
                "# a comment\n"
                "# Word 1\tWord 2\tHuman (mean)\n"
                "east\tnne\t3\n"
                "EAST\tNortheast\t9.0\r\n"
                "east\twest\t0\n"
                "north\tnne\t5.00\n"
                "east\tunknown\t4\n"
                "east\tnne\n"
                "east\tnne\tmuch\n");
  SimilarityResult result = evaluate_word_pairs(kv, file.path());
  EXPECT_EQ(result.pairs, 5u);
  EXPECT_EQ(result.oov, 1u);
  EXPECT_NEAR(result.spearman, kCompassSpearman, 1e-12);
  EXPECT_NEAR(result.pearson, compass_pearson(), 1e-7);
  // Hand check of Pearson: gold centred (-1.25, 4.75, -4.25, 0.75).
  const double m[] = {1 / std::sqrt(5.0), std::sqrt(0.5), -1, 2 / std::sqrt(5.0)};
  const double m_mean = (m[0] + m[1] + m[2] + m[3]) / 4, g[] = {-1.25, 4.75, -4.25, 0.75};
  double xy = 0, xx = 0, yy = 0;
  for (int i = 0; i < 4; ++i)
    xy += g[i] * (m[i] - m_mean), xx += g[i] * g[i], yy += (m[i] - m_mean) * (m[i] - m_mean);
  EXPECT_NEAR(result.pearson, xy / std::sqrt(xx * yy), 1e-7);
}

TEST(EvalWordPairs, SpaceSeparatedAndRestricted) {
  KeyedVectors kv = compass();
  TempFile file("pairs.txt",
                "east nne 3\neast  northeast   9\neast west 0\nnorth nne 5\nrare east 1\n");
  SimilarityOptions options;
  options.restrict_vocab = 5;
  SimilarityResult result = evaluate_word_pairs(kv, file.path(), options);
  EXPECT_EQ(result.pairs, 5u);
  EXPECT_EQ(result.oov, 1u);
  EXPECT_NEAR(result.spearman, kCompassSpearman, 1e-12);
  EXPECT_NEAR(result.pearson, compass_pearson(), 1e-7);
  options.case_insensitive = false;
  TempFile upper("upper.txt", "EAST nne 3\neast northeast 9\neast west 0\nnorth nne 5\n");
  result = evaluate_word_pairs(kv, upper.path(), options);
  EXPECT_EQ(result.oov, 1u);
  // gold ranks (3, 1, 2) against model ranks (2, 1, 3): 1 - 6 * 2 / (3 * 8)
  EXPECT_NEAR(result.spearman, 0.5, 1e-12);
}

TEST(EvalWordPairs, SimLexLayoutWithHeaderAndManyColumns) {
  KeyedVectors kv = compass();
  TempFile file("simlex.txt",
                "word1\tword2\tPOS\tSimLex999\tconc(w1)\tconc(w2)\n"
                "east\tnne\tN\t3\t4.1\t4.2\n"
                "east\tnortheast\tN\t9\t4.1\t4.0\n"
                "east\twest\tA\t0\t1\t1\n"
                "north\tnne\tN\t5\t2\t2\n"
                "north\tnne\t5\n");  // not the header's six columns: skipped
  SimilarityResult result = evaluate_word_pairs(kv, file.path());
  EXPECT_EQ(result.pairs, 4u);
  EXPECT_EQ(result.oov, 0u);
  EXPECT_NEAR(result.spearman, kCompassSpearman, 1e-12);
}

TEST(EvalWordPairs, AllOovGivesNullCorrelationsAndEmptyFileIsAnError) {
  KeyedVectors kv = compass();
  TempFile oov("oov.tsv", "up\tdown\t3\nleft\tright\t4\n");
  SimilarityResult result = evaluate_word_pairs(kv, oov.path());
  EXPECT_EQ(result.pairs, 2u);
  EXPECT_EQ(result.oov, 2u);
  nlohmann::json json = to_json(result);
  EXPECT_TRUE(json["spearman"].is_null());
  EXPECT_TRUE(json["pearson"].is_null());
  EXPECT_EQ(json["pairs"], 2);
  EXPECT_EQ(json["oov"], 2);
  EXPECT_EQ(json["file"], oov.path());
  TempFile empty("empty.tsv", "# nothing\n");
  try {
    evaluate_word_pairs(kv, empty.path());
    FAIL() << "expected FormatError";
  } catch (const FormatError& error) {
    EXPECT_EQ(std::string(error.what()), empty.path() + ": no `word1 word2 score` lines");
  }
}

TEST(EvalWordPairs, SharedDataFilesParse) {
  const fs::path shared = fs::path(EMBKIT_SHARED_DIR) / "data" / "eval";
  if (!fs::exists(shared / "wordsim353.tsv")) GTEST_SKIP() << "shared evaluation data not found";
  // One vector per distinct word makes every pair answerable.
  std::vector<std::pair<std::string, std::vector<float>>> rows;
  std::set<std::string> seen;
  std::mt19937 rng(3);
  std::normal_distribution<float> normal;
  for (const char* name : {"wordsim353.tsv", "simlex999.txt"}) {
    std::ifstream in(shared / name);
    std::string line;
    while (std::getline(in, line)) {
      if (line.starts_with('#')) continue;
      std::istringstream fields(line);
      std::string a, b;
      fields >> a >> b;
      for (const std::string& w : {a, b})
        if (seen.insert(w).second) rows.push_back({w, {normal(rng), normal(rng), normal(rng)}});
    }
  }
  KeyedVectors kv = make_vectors(rows);
  SimilarityResult wordsim = evaluate_word_pairs(kv, (shared / "wordsim353.tsv").string());
  EXPECT_EQ(wordsim.pairs, 353u);
  EXPECT_EQ(wordsim.oov, 0u);
  SimilarityResult simlex = evaluate_word_pairs(kv, (shared / "simlex999.txt").string());
  EXPECT_EQ(simlex.pairs, 999u);
  EXPECT_EQ(simlex.oov, 0u);
}

}  // namespace
}  // namespace embkit
