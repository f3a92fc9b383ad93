// The classifier (embkit/classifier.h): accuracy of every loss on planted data, word bigrams, the
// hierarchical-softmax tree, determinism, features as fastText computes them, save / load,
// quantization and the errors of bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <numeric>

#include "classify_data.h"
#include "embkit/classifier.h"
#include "embkit/classify_options.h"
#include "embkit/error.h"
#include "embkit/subwords.h"
#include "kernels/isa.h"
#include "supervised/classifier_kernels.h"
#include "supervised/huffman_tree.h"

namespace embkit {
namespace {

namespace fs = std::filesystem;
using classify_test::write_text;

class ClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("embkit-classify-" + std::to_string(::getpid()) + "-" + test->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Writes planted train / test files and returns their paths.
  std::pair<std::string, std::string> planted(size_t classes = 6, size_t lines = 150) {
    write_text(path("train.txt"), classify_test::planted_text(classes, lines, 1));
    write_text(path("test.txt"), classify_test::planted_text(classes, lines / 3, 2));
    return {path("train.txt"), path("test.txt")};
  }

  static ClassifierOptions small_options(ClassifierLoss loss) {
    ClassifierOptions o;
    o.loss = loss;
    o.dim = 16;
    o.epochs = 10;
    o.lr = 0.5;
    o.threads = 1;
    return o;
  }

  fs::path dir_;
};

TEST_F(ClassifierTest, EveryLossLearnsPlantedClasses) {
  auto [train, test] = planted();
  for (ClassifierLoss loss : {ClassifierLoss::Softmax, ClassifierLoss::HierarchicalSoftmax,
                              ClassifierLoss::NegativeSampling, ClassifierLoss::OneVsAll}) {
    ClassifierTrainStats stats;
    Classifier c = train_classifier(train, small_options(loss), &stats);
    EXPECT_EQ(c.label_count(), 6u);
    EXPECT_EQ(stats.examples, 900u);
    ClassifierTestResult r = test_classifier(c, test, 1);
    EXPECT_EQ(r.examples, 300u);
    EXPECT_GT(r.precision(), 0.95) << classifier_loss_name(loss);
    EXPECT_DOUBLE_EQ(r.precision(), r.recall()) << "one label per line";
  }
}

TEST_F(ClassifierTest, ProbabilitiesSumToOneForSoftmaxAndHs) {
  auto [train, test] = planted();
  for (ClassifierLoss loss : {ClassifierLoss::Softmax, ClassifierLoss::HierarchicalSoftmax}) {
    Classifier c = train_classifier(train, small_options(loss));
    auto all = c.predict("c2w1 n5 n7", 100);
    ASSERT_EQ(all.size(), 6u);
    double sum = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      sum += all[i].probability - 1e-5;
      if (i) {
        EXPECT_GE(all[i - 1].probability, all[i].probability);
      }
    }
    EXPECT_NEAR(sum, 1.0, 1e-4) << classifier_loss_name(loss);
    EXPECT_EQ(c.label_name(all[0].label), "__label__c2");
    // A threshold keeps only the confident labels.
    auto confident = c.predict("c2w1 n5 n7", 100, 0.5f);
    ASSERT_EQ(confident.size(), 1u);
    EXPECT_EQ(confident[0].label, all[0].label);
  }
}

TEST_F(ClassifierTest, OneVsAllFindsSeveralLabels) {
  write_text(path("train.txt"), classify_test::multilabel_text(6, 2000, 3));
  write_text(path("test.txt"), classify_test::multilabel_text(6, 400, 4));
  ClassifierOptions o = small_options(ClassifierLoss::OneVsAll);
  o.epochs = 15;
  Classifier c = train_classifier(path("train.txt"), o);
  ClassifierTestResult top1 = test_classifier(c, path("test.txt"), 1);
  EXPECT_GT(top1.precision(), 0.95);
  // All labels above one half: most of each line's topics, few others.
  ClassifierTestResult sure = test_classifier(c, path("test.txt"), 6, 0.5f);
  EXPECT_GT(sure.precision(), 0.9);
  EXPECT_GT(sure.recall(), 0.85);
  // softmax trains on one label of a multi-label line at a time and still ranks one first.
  Classifier s = train_classifier(path("train.txt"), small_options(ClassifierLoss::Softmax));
  EXPECT_GT(test_classifier(s, path("test.txt"), 1).precision(), 0.9);
}

TEST_F(ClassifierTest, WordBigramsSeparateWordOrder) {
  write_text(path("train.txt"), classify_test::order_text(2000, 5));
  write_text(path("test.txt"), classify_test::order_text(400, 6));
  ClassifierOptions o = small_options(ClassifierLoss::Softmax);
  o.bucket = 50000;
  o.word_ngrams = 1;
  const double unigrams = test_classifier(train_classifier(path("train.txt"), o), path("test.txt")).precision();
  o.word_ngrams = 2;
  const double bigrams = test_classifier(train_classifier(path("train.txt"), o), path("test.txt")).precision();
  EXPECT_LT(unigrams, 0.65);
  EXPECT_GT(bigrams, 0.95);
}

TEST_F(ClassifierTest, HuffmanTreeIsFastTextsTree) {
  const std::vector<int64_t> counts = {5, 3, 2, 1};
  supervised::HuffmanTree tree(counts);
  ASSERT_EQ(tree.root(), 6u);
  EXPECT_EQ(tree.left(4), 3);
  EXPECT_EQ(tree.right(4), 2);
  EXPECT_EQ(tree.left(5), 4);  // an inner node of equal count goes before the leaf
  EXPECT_EQ(tree.right(5), 1);
  EXPECT_EQ(tree.left(6), 0);
  EXPECT_EQ(tree.right(6), 5);
  auto rows = [&](uint32_t l) { return std::vector<uint32_t>(tree.path(l).begin(), tree.path(l).end()); };
  auto codes = [&](uint32_t l) { return std::vector<float>(tree.codes(l).begin(), tree.codes(l).end()); };
  EXPECT_EQ(rows(0), (std::vector<uint32_t>{2}));
  EXPECT_EQ(codes(0), (std::vector<float>{0}));
  EXPECT_EQ(rows(1), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(codes(1), (std::vector<float>{1, 1}));
  EXPECT_EQ(rows(3), (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(codes(3), (std::vector<float>{0, 0, 1}));
  // Huffman-optimal: the weighted path length equals the sum of the merged counts.
  const std::vector<int64_t> many = {40, 30, 30, 12, 9, 9, 5, 4, 1, 1, 1};
  supervised::HuffmanTree big(many);
  int64_t weighted = 0, merged = 0;
  for (uint32_t l = 0; l < many.size(); ++l) weighted += many[l] * static_cast<int64_t>(big.path(l).size());
  for (size_t n = many.size(); n <= big.root(); ++n) merged += big.count(n);
  EXPECT_EQ(weighted, merged);
  EXPECT_EQ(big.count(big.root()), std::accumulate(many.begin(), many.end(), int64_t{0}));
  supervised::HuffmanTree one(std::vector<int64_t>{7});
  EXPECT_EQ(one.root(), 0u);
  EXPECT_TRUE(one.path(0).empty());
}

TEST_F(ClassifierTest, OneThreadIsBitIdentical) {
  auto [train, test] = planted(4, 60);
  for (ClassifierLoss loss : {ClassifierLoss::Softmax, ClassifierLoss::NegativeSampling}) {
    ClassifierOptions o = small_options(loss);
    o.seed = 7;
    Classifier a = train_classifier(train, o);
    Classifier b = train_classifier(train, o);
    o.seed = 8;
    Classifier other = train_classifier(train, o);
    const Matrix& ai = a.model().input.dense;
    const Matrix& bi = b.model().input.dense;
    ASSERT_EQ(ai.rows(), bi.rows());
    EXPECT_EQ(std::memcmp(ai.data(), bi.data(), ai.rows() * ai.stride() * sizeof(float)), 0);
    const Matrix& ao = a.model().output.dense;
    EXPECT_EQ(std::memcmp(ao.data(), b.model().output.dense.data(), ao.rows() * ao.stride() * sizeof(float)), 0);
    EXPECT_NE(std::memcmp(ai.data(), other.model().input.dense.data(), ai.rows() * ai.stride() * sizeof(float)), 0);
  }
}

TEST_F(ClassifierTest, SeveralThreadsLearnAsWell) {
  auto [train, test] = planted();
  ClassifierOptions o = small_options(ClassifierLoss::Softmax);
  o.threads = 3;
  EXPECT_GT(test_classifier(train_classifier(train, o), test).precision(), 0.95);
}

TEST_F(ClassifierTest, FeaturesAreFastTexts) {
  write_text(path("train.txt"), "__label__x a b a\n__label__y b c\n");
  ClassifierOptions o = small_options(ClassifierLoss::Softmax);
  o.word_ngrams = 2;
  o.bucket = 1000;
  Classifier c = train_classifier(path("train.txt"), o);
  // Dictionary: a, b and "</s>" (2 each, in order of first appearance), then c (1); labels after.
  ASSERT_EQ(c.word_count(), 4u);
  EXPECT_EQ(c.model().entries[0].word, "a");
  EXPECT_EQ(c.model().entries[1].word, "b");
  EXPECT_EQ(c.model().entries[2].word, "</s>");
  EXPECT_EQ(c.model().entries[3].word, "c");
  EXPECT_EQ(c.model().entries[2].count, 2);
  EXPECT_EQ(c.model().entries[4].type, FastTextEntryType::Label);
  EXPECT_EQ(c.model().input.dense.rows(), 1004u);
  std::vector<uint32_t> features, labels, hashes;
  c.line_features("__label__y a zz", true, features, labels, hashes);
  EXPECT_EQ(labels, (std::vector<uint32_t>{1}));
  // Words a and "</s>" (zz is unknown and has no character n-grams), then the bigrams a-zz, zz-</s>.
  std::vector<uint32_t> expected = {0, 2};
  std::vector<uint32_t> token_hashes = {fasttext_hash("a"), fasttext_hash("zz"), fasttext_hash("</s>")};
  append_word_ngram_ids(token_hashes, 2, 1000, 4, expected);
  EXPECT_EQ(features, expected);
  // Without a newline at the end there is no "</s>" (as fastText reads a last line).
  c.line_features("a", false, features, labels, hashes);
  EXPECT_EQ(features, (std::vector<uint32_t>{0}));
  // Character n-grams: a known word brings its own row and its n-grams, an unknown one its n-grams.
  o.word_ngrams = 1;
  o.minn = 2;
  o.maxn = 3;
  Classifier sub = train_classifier(path("train.txt"), o);
  sub.line_features("a qq", false, features, labels, hashes);
  std::vector<uint32_t> with_ngrams = {0};
  SubwordSettings settings{2, 3, 1000};
  append_subword_ids("a", settings, 4, with_ngrams);
  append_subword_ids("qq", settings, 4, with_ngrams);
  EXPECT_EQ(features, with_ngrams);
}

TEST_F(ClassifierTest, UnlabelledLinesAreSkippedAndCounted) {
  write_text(path("train.txt"), classify_test::planted_text(3, 50, 1) + "no label here\n\n   \n");
  ClassifierTrainStats stats;
  train_classifier(path("train.txt"), small_options(ClassifierLoss::Softmax), &stats);
  EXPECT_EQ(stats.examples, 150u);
  EXPECT_EQ(stats.unlabelled_lines, 1u);
  EXPECT_EQ(stats.lines, 153u);
}

TEST_F(ClassifierTest, BadInputIsOneClearError) {
  auto message = [&](const std::string& text, ClassifierOptions o) -> std::string {
    write_text(path("bad.txt"), text);
    try {
      train_classifier(path("bad.txt"), o);
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  ClassifierOptions o = small_options(ClassifierLoss::Softmax);
  EXPECT_NE(message("", o).find("the file is empty"), std::string::npos);
  EXPECT_NE(message("a b c\nd e\n", o).find("no line has a label"), std::string::npos);
  EXPECT_NE(message("a b c\nd e\n", o).find("bad.txt"), std::string::npos);
  ClassifierOptions label_count = o;
  label_count.min_count_label = 5;
  EXPECT_NE(message("__label__a x\n__label__b y\n", label_count).find("no label occurs at least 5 times"),
            std::string::npos);
  ClassifierOptions custom = o;
  custom.label_prefix = "#";
  EXPECT_NE(message("__label__a x\n", custom).find("start with '#'"), std::string::npos);
  EXPECT_THROW(train_classifier(path("missing.txt"), o), IoError);
  ClassifierOptions zero = o;
  zero.dim = 0;
  EXPECT_THROW(train_classifier(path("bad.txt"), zero), UsageError);
  ClassifierOptions subwords = o;
  subwords.minn = 5;
  subwords.maxn = 3;
  EXPECT_THROW(train_classifier(path("bad.txt"), subwords), UsageError);
  // Pretrained vectors of another dimension.
  write_text(path("vectors.vec"), "2 3\nx 1 0 0\ny 0 1 0\n");
  ClassifierOptions pretrained = o;
  pretrained.pretrained_vectors = path("vectors.vec");
  write_text(path("ok.txt"), "__label__a x\n__label__b y\n");
  try {
    train_classifier(path("ok.txt"), pretrained);
    ADD_FAILURE() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("dimension 3, --dim is 16"), std::string::npos);
  }
  // Test data: empty, or without a label the model knows.
  Classifier c = train_classifier(path("ok.txt"), o);
  write_text(path("empty.txt"), "");
  EXPECT_THROW(test_classifier(c, path("empty.txt")), FormatError);
  write_text(path("unknown.txt"), "__label__zzz x\nno label\n");
  try {
    test_classifier(c, path("unknown.txt"));
    ADD_FAILURE() << "no error";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("no line has a label the model knows"), std::string::npos);
  }
}

TEST_F(ClassifierTest, PretrainedVectorsStartTheWordRows) {
  write_text(path("ok.txt"), "__label__a x\n__label__b y\n");
  write_text(path("vectors.vec"), "2 3\nx 1 0 0\nq 0 1 0\n");
  ClassifierOptions o = small_options(ClassifierLoss::Softmax);
  o.dim = 3;
  o.epochs = 1;
  o.lr = 1e-9;
  o.pretrained_vectors = path("vectors.vec");
  ClassifierTrainStats stats;
  Classifier c = train_classifier(path("ok.txt"), o, &stats);
  EXPECT_EQ(stats.pretrained_words, 1u);
  // "x" is word 1 (after "</s>"), barely moved by the tiny learning rate.
  EXPECT_NEAR(c.model().input.dense.row(1)[0], 1.0f, 1e-6);
  EXPECT_NEAR(c.model().input.dense.row(1)[1], 0.0f, 1e-6);
}

TEST_F(ClassifierTest, LossLogHasRows) {
  auto [train, test] = planted(3, 50);
  ClassifierOptions o = small_options(ClassifierLoss::Softmax);
  o.loss_log_path = path("loss.csv");
  train_classifier(train, o);
  std::ifstream in(o.loss_log_path);
  std::string header, row;
  std::getline(in, header);
  EXPECT_EQ(header, "words,epoch,fraction,lr,loss");
  EXPECT_TRUE(static_cast<bool>(std::getline(in, row)));
}

TEST_F(ClassifierTest, KernelLevelsAgree) {
  const size_t width = 32, labels = 5;
  std::vector<float> input(10 * width), out(labels * width);
  for (size_t i = 0; i < input.size(); ++i) input[i] = std::sin(static_cast<float>(i)) * 0.3f;
  for (size_t i = 0; i < out.size(); ++i) out[i] = std::cos(static_cast<float>(i)) * 0.2f;
  const std::vector<uint32_t> ids = {1, 4, 7};
  const auto& generic = supervised::classifier_kernel_table(kernels::Isa::Generic);
  std::vector<float> h0(width), g0(width, 0), s0(labels), o0 = out;
  generic.mean_rows(input.data(), width, ids.data(), ids.size(), h0.data());
  const float l0 = generic.softmax_step(o0.data(), width, labels, 2, h0.data(), g0.data(), 0.1f, s0.data());
  for (kernels::Isa isa : {kernels::Isa::Avx2, kernels::Isa::Avx512}) {
    if (!kernels::isa_supported(isa)) continue;
    const auto& table = supervised::classifier_kernel_table(isa);
    std::vector<float> h(width), g(width, 0), s(labels), o = out;
    table.mean_rows(input.data(), width, ids.data(), ids.size(), h.data());
    const float l = table.softmax_step(o.data(), width, labels, 2, h.data(), g.data(), 0.1f, s.data());
    EXPECT_NEAR(l, l0, 1e-5);
    for (size_t j = 0; j < width; ++j) {
      EXPECT_NEAR(h[j], h0[j], 1e-6);
      EXPECT_NEAR(g[j], g0[j], 1e-6);
    }
    for (size_t j = 0; j < o.size(); ++j) EXPECT_NEAR(o[j], o0[j], 1e-6);
  }
  // The softmax's exponential against std::exp.
  std::vector<float> v = {0.0f, -1.0f, -10.0f, -50.0f, -100.0f, 3.0f};
  std::vector<float> expected = v;
  double z = 0;
  for (float& e : expected) z += (e = std::exp(e - 3.0f));
  generic.softmax(v.data(), v.size());
  for (size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(v[i], expected[i] / z, 1e-6);
}

TEST_F(ClassifierTest, BinaryStepsLeaveCertainLabelsAlone) {
  // A label scored far beyond the sigmoid table's range on the right side gets no update (as in
  // fastText); otherwise the table's end value keeps pushing it, without bound.
  const size_t width = 16;
  std::vector<float> hidden(width, 0.0f), grad(width, 0.0f), out(2 * width, 0.0f);
  hidden[0] = 1.0f;
  out[0] = -20.0f;         // row 0: score -20, target 0
  out[width] = 20.0f;      // row 1: score 20, target 1
  const std::vector<float> targets = {0.0f, 1.0f};
  const std::vector<float> before = out;
  for (kernels::Isa isa : {kernels::Isa::Generic, kernels::Isa::Avx2, kernels::Isa::Avx512}) {
    if (!kernels::isa_supported(isa)) continue;
    const float loss = supervised::classifier_kernel_table(isa).binary_steps(
        out.data(), width, nullptr, targets.data(), 2, hidden.data(), grad.data(), 0.5f);
    EXPECT_EQ(out, before);
    EXPECT_EQ(grad, std::vector<float>(width, 0.0f));
    EXPECT_LT(loss, 1e-6f);
  }
}

TEST_F(ClassifierTest, OptionTableSetsTheOptions) {
  const OptionTable& table = classify_option_table();
  EXPECT_EQ(table.selector, "loss");
  EXPECT_TRUE(table.find("wordNgrams") != nullptr);
  EXPECT_EQ(std::get<double>(*option_default(*table.find("lr"), "softmax")), 0.1);
  EXPECT_EQ(std::get<uint64_t>(*option_default(*table.find("dim"), "hs")), 100u);
  EXPECT_FALSE(table.find("neg")->applies_to("softmax"));
  ClassifySettings settings;
  apply_classify_options({{"loss", std::string("ova")}, {"word_ngrams", uint64_t{3}}, {"lr", 0.5}}, settings);
  EXPECT_EQ(settings.options.loss, ClassifierLoss::OneVsAll);
  EXPECT_EQ(settings.options.word_ngrams, 3u);
  EXPECT_EQ(settings.options.lr, 0.5);
  QuantizeOptions q;
  apply_classify_quantize_options({{"cutoff", uint64_t{1000}}, {"qnorm", true}}, q);
  EXPECT_EQ(q.cutoff, 1000u);
  EXPECT_TRUE(q.qnorm);
}

// Save / load and quantization need the fastText file writer; they are skipped when this build
// has none.
bool can_write_fasttext(const std::string& path) {
  try {
    write_fasttext_model(FastTextModel{}, path);
  } catch (const IoError& e) {
    if (std::string(e.what()).find("not supported") != std::string::npos) return false;
  } catch (const Error&) {
  }
  return true;
}

TEST_F(ClassifierTest, SaveLoadPredictsTheSame) {
  if (!can_write_fasttext(path("probe.bin"))) GTEST_SKIP() << "no fastText model writer in this build";
  auto [train, test] = planted();
  for (ClassifierLoss loss : {ClassifierLoss::Softmax, ClassifierLoss::HierarchicalSoftmax,
                              ClassifierLoss::NegativeSampling, ClassifierLoss::OneVsAll}) {
    ClassifierOptions o = small_options(loss);
    o.word_ngrams = 2;
    o.bucket = 5000;
    Classifier c = train_classifier(train, o);
    c.save(path("model.bin"));
    Classifier back = Classifier::load(path("model.bin"));
    EXPECT_EQ(back.loss(), loss);
    for (const char* line : {"c1w2 n4 n9", "n1 n2 unseen", "c3w0 c3w1"}) {
      auto a = c.predict(line, 3), b = back.predict(line, 3);
      ASSERT_EQ(a.size(), b.size());
      for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].label, b[i].label);
        EXPECT_EQ(a[i].probability, b[i].probability);
      }
    }
  }
}

TEST_F(ClassifierTest, QuantizedModelIsSmallAndAccurate) {
  if (!can_write_fasttext(path("probe.bin"))) GTEST_SKIP() << "no fastText model writer in this build";
  auto [train, test] = planted(6, 300);
  ClassifierOptions o = small_options(ClassifierLoss::Softmax);
  o.dim = 32;
  o.word_ngrams = 2;
  o.bucket = 100000;
  Classifier c = train_classifier(train, o);
  c.save(path("model.bin"));
  const double p1 = test_classifier(c, test).precision();
  QuantizeOptions q;
  q.cutoff = 1000;
  q.retrain = true;
  q.retrain_data = train;
  q.qnorm = true;
  q.qout = true;
  q.threads = 1;
  QuantizeStats stats;
  Classifier small = quantize_classifier(c, q, &stats);
  EXPECT_EQ(stats.rows_kept, 1000u);
  EXPECT_EQ(stats.words_kept + stats.ngrams_kept, 1000u);
  EXPECT_TRUE(small.quantized());
  small.save(path("model.ftz"));
  const double ratio = static_cast<double>(fs::file_size(path("model.bin"))) / fs::file_size(path("model.ftz"));
  EXPECT_GT(ratio, 50.0);
  const double q1 = test_classifier(small, test).precision();
  EXPECT_GT(q1, p1 - 0.01);
  Classifier back = Classifier::load(path("model.ftz"));
  EXPECT_EQ(test_classifier(back, test).precision(), q1);
}

}  // namespace
}  // namespace embkit
