// Linear probe (src/eval/probe.cc): the labels file, the stratified split, LIBLINEAR on planted
// separable labels, macro-F1 against scikit-learn's f1_score(average="macro"), baseline and OOV
// words.
#include "embkit/probe.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "embkit/error.h"

namespace embkit {
namespace {

namespace fs = std::filesystem;

class ProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("embkit-probe-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream((dir_ / name).string(), std::ios::binary) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

// `words` words w0, w1, ... in dimension 6; word i has label i % labels (counts given by `sizes`
// when set) and a vector pointing along axis label, plus noise well inside the margin.
KeyedVectors planted_model(size_t words, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> noise(0, 0.3f);
  Vocab vocab;
  Matrix vectors(words, 6);
  for (size_t i = 0; i < words; ++i) {
    vocab.add("w" + std::to_string(i));
    for (size_t d = 0; d < 6; ++d)
      vectors.mutable_row(i)[d] = noise(rng) + (d == i % 3 ? 3.0f : 0.0f);
  }
  return KeyedVectors(std::move(vocab), std::move(vectors));
}

std::vector<LabelledWord> planted_labels(size_t words) {
  std::vector<LabelledWord> labels;
  for (size_t i = 0; i < words; ++i)
    labels.push_back({"w" + std::to_string(i), "label" + std::to_string(i % 3), i + 1});
  return labels;
}

TEST_F(ProbeTest, ReadsWordLabelLinesSkippingBlanksAndComments) {
  std::string path = write("labels.txt", "# part of speech\n\ncat noun\r\n  run\tverb\n# end\n");
  std::vector<LabelledWord> words = read_labelled_words(path);
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0].word, "cat");
  EXPECT_EQ(words[0].label, "noun");
  EXPECT_EQ(words[0].line, 3u);
  EXPECT_EQ(words[1].word, "run");
  EXPECT_EQ(words[1].label, "verb");
}

TEST_F(ProbeTest, MalformedLinesNameFileAndLine) {
  for (std::string bad :
       {"cat noun\ndog\n", "cat noun\ndog noun extra\n", "cat noun\ncat verb\n"}) {
    std::string path = write("bad.txt", bad);
    try {
      read_labelled_words(path);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const FormatError& e) {
      EXPECT_EQ(e.line(), 2u) << bad;
      EXPECT_NE(std::string(e.what()).find(path + ":2:"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(read_labelled_words(write("empty.txt", "")), FormatError);
  EXPECT_THROW(read_labelled_words(write("comments.txt", "# nothing\n\n")), FormatError);
  EXPECT_THROW(read_labelled_words((dir_ / "missing.txt").string()), IoError);
}

TEST(ProbeMetricsTest, MacroF1EqualsScikitLearn) {
  // f1_score([0,0,1,1,2,2,2,3,0,1], [0,1,1,1,2,0,2,4,0,0], average="macro") = 0.4076190476190476:
  // label 4 is only predicted and label 3 never predicted; both count with F1 0.
  std::vector<uint32_t> truth{0, 0, 1, 1, 2, 2, 2, 3, 0, 1};
  std::vector<uint32_t> predicted{0, 1, 1, 1, 2, 0, 2, 4, 0, 0};
  EXPECT_NEAR(macro_f1(truth, predicted), 0.4076190476190476, 1e-15);
  EXPECT_DOUBLE_EQ(accuracy(truth, predicted), 0.6);
  EXPECT_DOUBLE_EQ(macro_f1(truth, truth), 1.0);
  std::vector<uint32_t> shorter{0, 1};
  EXPECT_THROW(macro_f1(truth, shorter), UsageError);
}

TEST(ProbeLinearTest, SeparableLabelsAreLearnedWithAStratifiedSplit) {
  KeyedVectors kv = planted_model(300, 1);
  std::vector<LabelledWord> labels = planted_labels(300);
  ProbeResult result = linear_probe(kv, labels);
  EXPECT_EQ(result.train, 240u);
  EXPECT_EQ(result.test, 60u);
  EXPECT_EQ(result.labels, 3u);
  EXPECT_DOUBLE_EQ(result.accuracy, 1.0);
  EXPECT_DOUBLE_EQ(result.macro_f1, 1.0);
  EXPECT_NEAR(result.baseline_accuracy, 1.0 / 3, 1e-12);  // 20 test words per label
  std::map<std::string, size_t> test_per_label;
  for (const ProbeExample& example : result.examples) {
    if (!example.test) continue;
    ++test_per_label[example.label];
    EXPECT_EQ(example.predicted, example.label);
  }
  EXPECT_EQ(test_per_label,
            (std::map<std::string, size_t>{{"label0", 20}, {"label1", 20}, {"label2", 20}}));
}

TEST(ProbeLinearTest, SplitIsSeeded) {
  KeyedVectors kv = planted_model(90, 2);
  std::vector<LabelledWord> labels = planted_labels(90);
  auto test_words = [&](uint64_t seed) {
    ProbeOptions options;
    options.seed = seed;
    std::vector<std::string> words;
    for (const ProbeExample& example : linear_probe(kv, labels, options).examples)
      if (example.test) words.push_back(example.word);
    return words;
  };
  EXPECT_EQ(test_words(3), test_words(3));
  EXPECT_NE(test_words(3), test_words(4));
}

TEST(ProbeLinearTest, BaselineIsTheMajorityTrainingLabel) {
  // 60 words of label0, 30 of label1 (the vectors say nothing: all equal): baseline = 12 / 18.
  Vocab vocab;
  Matrix vectors(90, 2);
  std::vector<LabelledWord> labels;
  for (size_t i = 0; i < 90; ++i) {
    vocab.add("w" + std::to_string(i));
    vectors.mutable_row(i)[0] = 1;
    labels.push_back({"w" + std::to_string(i), i < 60 ? "label0" : "label1", i + 1});
  }
  KeyedVectors kv(std::move(vocab), std::move(vectors));
  ProbeResult result = linear_probe(kv, labels);
  EXPECT_EQ(result.test, 18u);
  EXPECT_NEAR(result.baseline_accuracy, 12.0 / 18, 1e-12);
  EXPECT_NEAR(result.accuracy, 12.0 / 18, 1e-12);  // it can only learn the prior
  // Macro-F1 of always answering label0: F1(label0) = 2*12/(24+6) = 0.8, F1(label1) = 0.
  EXPECT_NEAR(result.macro_f1, 0.4, 1e-12);
}

TEST(ProbeLinearTest, OovWordsAreCountedNotFatal) {
  KeyedVectors kv = planted_model(60, 3);
  std::vector<LabelledWord> labels = planted_labels(60);
  labels.push_back({"unknown", "label0", 61});
  labels.push_back({"other", "label9", 62});
  ProbeResult result = linear_probe(kv, labels);
  EXPECT_EQ(result.oov, (std::vector<std::string>{"unknown", "other"}));
  EXPECT_EQ(result.train + result.test, 60u);
  EXPECT_EQ(result.labels, 3u);  // label9 had only an OOV word
  std::vector<LabelledWord> all_unknown{{"x", "a", 1}, {"y", "b", 2}};
  EXPECT_THROW(linear_probe(kv, all_unknown), UsageError);
}

TEST(ProbeLinearTest, RareLabelsStayInTrainingAndOneLabelIsAnError) {
  KeyedVectors kv = planted_model(61, 4);
  std::vector<LabelledWord> labels = planted_labels(60);
  labels.push_back({"w60", "lonely", 61});
  ProbeResult result = linear_probe(kv, labels);
  EXPECT_EQ(result.labels, 4u);
  for (const ProbeExample& example : result.examples)
    if (example.label == "lonely") {
      EXPECT_FALSE(example.test);
    }
  std::vector<LabelledWord> one_label{{"w0", "a", 1}, {"w1", "a", 2}, {"w2", "a", 3}};
  EXPECT_THROW(linear_probe(kv, one_label), UsageError);
  std::vector<LabelledWord> too_few{{"w0", "a", 1}, {"w1", "b", 2}};  // no test word left
  EXPECT_THROW(linear_probe(kv, too_few), UsageError);
  ProbeOptions bad;
  bad.test_fraction = 1.0;
  EXPECT_THROW(linear_probe(kv, labels, bad), UsageError);
}

}  // namespace
}  // namespace embkit

namespace embkit {
namespace {

TEST(ProbeLinearTest, SameResultForAnyThreadCountAndForTwoLabels) {
  // Overlapping classes, so predictions depend on the trained weights.
  std::mt19937_64 rng(9);
  std::normal_distribution<float> noise(0, 1.0f);
  Vocab vocab;
  Matrix vectors(400, 6);
  std::vector<LabelledWord> three, two;
  for (size_t i = 0; i < 400; ++i) {
    vocab.add("w" + std::to_string(i));
    for (size_t d = 0; d < 6; ++d)
      vectors.mutable_row(i)[d] = noise(rng) + (d == i % 3 ? 1.0f : 0.0f);
    three.push_back({"w" + std::to_string(i), "label" + std::to_string(i % 3), i + 1});
    two.push_back({"w" + std::to_string(i), i % 3 == 0 ? "zero" : "other", i + 1});
  }
  KeyedVectors kv(std::move(vocab), std::move(vectors));
  for (const auto* labels : {&three, &two}) {
    ProbeOptions options;
    options.threads = 1;
    ProbeResult one = linear_probe(kv, *labels, options);
    options.threads = 3;
    ProbeResult many = linear_probe(kv, *labels, options);
    EXPECT_GT(one.accuracy, one.baseline_accuracy);
    EXPECT_LT(one.accuracy, 1.0);
    EXPECT_EQ(one.accuracy, many.accuracy);
    for (size_t i = 0; i < one.examples.size(); ++i)
      ASSERT_EQ(one.examples[i].predicted, many.examples[i].predicted);
  }
}

}  // namespace
}  // namespace embkit
