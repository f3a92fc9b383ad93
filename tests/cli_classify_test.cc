// `embkit classify train|test|predict|predict-prob|quantize` as a user runs them, and agreement with
// Debian's fastText (/usr/bin/fasttext) on the same model files (skipped when it is not installed).
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "classify_data.h"
#include "cli_test_util.h"

namespace embkit::cli_test {
namespace {

constexpr const char* kFastText = "/usr/bin/fasttext";

class CliClassifyTest : public CliFixture {
 protected:
  void write_planted(size_t classes = 5, size_t lines = 120) {
    classify_test::write_text(path("train.txt"), classify_test::planted_text(classes, lines, 11));
    classify_test::write_text(path("test.txt"), classify_test::planted_text(classes, lines / 3, 12));
  }
  RunResult train(const std::string& extra) {
    return run("classify train --input " + path("train.txt") + " --output " + path("model.bin") +
               " --dim 16 --epochs 10 --lr 0.5 --threads 1 " + extra);
  }
  // The fastText binary's output, or "" when it is not installed.
  std::string fasttext(const std::string& args) {
    const std::string out = path("fasttext.out");
    const std::string command = std::string(kFastText) + " " + args + " >" + out + " 2>" + path("fasttext.err");
    EXPECT_EQ(std::system(command.c_str()), 0) << slurp(path("fasttext.err"));
    return slurp(out);
  }
  static bool have_fasttext() { return fs::exists(kFastText); }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// "a 0.5 b 0.25" -> labels and probabilities.
void split_probabilities(const std::string& line, std::vector<std::string>& labels, std::vector<double>& probs) {
  std::istringstream in(line);
  std::string label;
  double p;
  while (in >> label >> p) {
    labels.push_back(label);
    probs.push_back(p);
  }
}

TEST_F(CliClassifyTest, TrainTestPredict) {
  write_planted();
  RunResult trained = train("--word-ngrams 2 --bucket 20000");
  if (trained.err.find("not supported") != std::string::npos) GTEST_SKIP() << trained.err;
  ASSERT_EQ(trained.status, 0) << trained.err;
  EXPECT_NE(trained.err.find("trained softmax classifier on 600 examples"), std::string::npos) << trained.err;
  RunResult tested = run("classify test " + path("model.bin") + " " + path("test.txt"));
  ASSERT_EQ(tested.status, 0) << tested.err;
  auto out = lines_of(tested.out);
  ASSERT_EQ(out.size(), 3u) << tested.out;
  EXPECT_EQ(out[0], "N\t200");
  ASSERT_EQ(out[1].rfind("P@1\t", 0), 0u);
  EXPECT_GT(std::stod(out[1].substr(4)), 0.95);
  ASSERT_EQ(out[2].rfind("R@1\t", 0), 0u);
  RunResult per_label = run("classify test " + path("model.bin") + " " + path("test.txt") + " --per-label -k 2");
  ASSERT_EQ(per_label.status, 0) << per_label.err;
  EXPECT_EQ(lines_of(per_label.out).size(), 5u + 3u);
  EXPECT_NE(per_label.out.find("F1-Score : "), std::string::npos);
  EXPECT_NE(per_label.out.find("P@2\t"), std::string::npos);
  RunResult json = run("classify test " + path("model.bin") + " " + path("test.txt") + " --json");
  EXPECT_NE(json.out.find("\"examples\":200"), std::string::npos) << json.out;

  RunResult predicted = run("classify predict " + path("model.bin") + " -", "c3w1 n4 n17\nc0w2 c0w5\n");
  ASSERT_EQ(predicted.status, 0) << predicted.err;
  EXPECT_EQ(predicted.out, "__label__c3\n__label__c0\n");
  RunResult probabilities = run("classify predict-prob " + path("model.bin") + " -k 2", "c3w1 n4 n17\n");
  ASSERT_EQ(probabilities.status, 0) << probabilities.err;
  std::vector<std::string> labels;
  std::vector<double> probs;
  split_probabilities(probabilities.out, labels, probs);
  ASSERT_EQ(labels.size(), 2u) << probabilities.out;
  EXPECT_EQ(labels[0], "__label__c3");
  EXPECT_GT(probs[0], 0.5);
  EXPECT_GE(probs[0], probs[1]);
  RunResult sure = run("classify predict-prob " + path("model.bin") + " -k 5 --threshold 0.5", "c3w1 n4 n17\n");
  EXPECT_EQ(lines_of(sure.out).size(), 1u);
  EXPECT_EQ(sure.out.rfind("__label__c3 ", 0), 0u) << sure.out;
}

TEST_F(CliClassifyTest, BadInputIsOneErrorLine) {
  classify_test::write_text(path("empty.txt"), "");
  RunResult empty = run("classify train --input " + path("empty.txt") + " --output " + path("m.bin"));
  EXPECT_EQ(empty.status, 1);
  EXPECT_EQ(empty.err, "embkit: error: " + path("empty.txt") + ": no examples: the file is empty\n");
  classify_test::write_text(path("nolabel.txt"), "just words\nand more\n");
  RunResult unlabelled = run("classify train --input " + path("nolabel.txt") + " --output " + path("m.bin"));
  EXPECT_EQ(unlabelled.status, 1);
  EXPECT_NE(unlabelled.err.find("no line has a label"), std::string::npos);
  EXPECT_EQ(lines_of(unlabelled.err).size(), 1u);
  RunResult missing = run("classify train --input " + path("missing.txt") + " --output " + path("m.bin"));
  EXPECT_EQ(missing.status, 1);
  EXPECT_FALSE(fs::exists(path("m.bin")));
  classify_test::write_text(path("ok.txt"), "__label__a x\n__label__b y\n");
  RunResult dim = run("classify train --input " + path("ok.txt") + " --output " + path("m.bin") + " --dim 0");
  EXPECT_EQ(dim.status, 2);
  EXPECT_NE(dim.err.find("--dim 0 is out of range"), std::string::npos) << dim.err;
  RunResult neg = run("classify train --input " + path("ok.txt") + " --output " + path("m.bin") + " --neg 3");
  EXPECT_EQ(neg.status, 2);
  EXPECT_NE(neg.err.find("--neg does not apply to --loss softmax"), std::string::npos) << neg.err;
  RunResult loss = run("classify train --input " + path("ok.txt") + " --output " + path("m.bin") + " --loss nope");
  EXPECT_EQ(loss.status, 2);
  RunResult threshold = run("classify predict " + path("m.bin") + " --threshold 2");
  EXPECT_EQ(threshold.status, 2);
  RunResult no_model = run("classify predict " + path("none.bin"), "x\n");
  EXPECT_EQ(no_model.status, 1);
  RunResult retrain = run("classify quantize --input " + path("m.bin") + " --output " + path("m.ftz") + " --retrain");
  EXPECT_EQ(retrain.status, 2);
  EXPECT_NE(retrain.err.find("--input-data"), std::string::npos);
}

TEST_F(CliClassifyTest, FastTextPredictsTheSameOnOurModels) {
  if (!have_fasttext()) GTEST_SKIP() << "fastText is not installed";
  write_planted(5, 60);
  for (const std::string loss : {"softmax", "hs", "ns", "ova"}) {
    RunResult trained = train("--loss " + loss + " --word-ngrams 2 --bucket 2000");
    if (trained.err.find("not supported") != std::string::npos) GTEST_SKIP() << trained.err;
    ASSERT_EQ(trained.status, 0) << trained.err;
    const std::string model = path("model.bin");
    RunResult ours = run("classify predict " + model + " " + path("test.txt") + " -k 2");
    ASSERT_EQ(ours.status, 0) << ours.err;
    std::string theirs = fasttext("predict " + model + " " + path("test.txt") + " 2");
    EXPECT_EQ(ours.out, theirs) << loss;
    RunResult ours_prob = run("classify predict-prob " + model + " " + path("test.txt") + " -k 3");
    auto a = lines_of(ours_prob.out), b = lines_of(fasttext("predict-prob " + model + " " + path("test.txt") + " 3"));
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      std::vector<std::string> la, lb;
      std::vector<double> pa, pb;
      split_probabilities(a[i], la, pa);
      split_probabilities(b[i], lb, pb);
      ASSERT_EQ(pa.size(), pb.size()) << loss << " line " << i;
      for (size_t j = 0; j < pa.size(); ++j) {
        EXPECT_NEAR(pa[j], pb[j], 2e-3) << loss << " line " << i;
        if (std::abs(pa[j] - (j + 1 < pa.size() ? pa[j + 1] : -1)) > 1e-3) {
          EXPECT_EQ(la[j], lb[j]);
        }
      }
    }
    RunResult tested = run("classify test " + model + " " + path("test.txt"));
    EXPECT_EQ(tested.out, fasttext("test " + model + " " + path("test.txt"))) << loss;
  }
}

TEST_F(CliClassifyTest, WeReadFastTextsModels) {
  if (!have_fasttext()) GTEST_SKIP() << "fastText is not installed";
  write_planted(4, 100);
  fasttext("supervised -input " + path("train.txt") + " -output " + path("ft") +
           " -dim 10 -epoch 10 -lr 0.5 -thread 1 -verbose 0");
  RunResult ours = run("classify predict " + path("ft.bin") + " " + path("test.txt") + " -k 2");
  if (ours.err.find("not supported") != std::string::npos) GTEST_SKIP() << ours.err;
  ASSERT_EQ(ours.status, 0) << ours.err;
  EXPECT_EQ(ours.out, fasttext("predict " + path("ft.bin") + " " + path("test.txt") + " 2"));
  RunResult tested = run("classify test " + path("ft.bin") + " " + path("test.txt"));
  EXPECT_EQ(tested.out, fasttext("test " + path("ft.bin") + " " + path("test.txt")));
}

TEST_F(CliClassifyTest, QuantizedModelIsSmallAndFastTextReadsIt) {
  write_planted(5, 200);
  RunResult trained = run("classify train --input " + path("train.txt") + " --output " + path("model.bin") +
                          " --dim 32 --epochs 10 --lr 0.5 --threads 1 --word-ngrams 2 --bucket 100000");
  if (trained.err.find("not supported") != std::string::npos) GTEST_SKIP() << trained.err;
  ASSERT_EQ(trained.status, 0) << trained.err;
  RunResult quantized = run("classify quantize --input " + path("model.bin") + " --output " + path("model.ftz") +
                            " --cutoff 1000 --retrain --input-data " + path("train.txt") +
                            " --qnorm --qout --threads 1 --epochs 5 --lr 0.5");
  ASSERT_EQ(quantized.status, 0) << quantized.err;
  EXPECT_NE(quantized.err.find("kept 1000 of"), std::string::npos) << quantized.err;
  EXPECT_GT(static_cast<double>(fs::file_size(path("model.bin"))) / fs::file_size(path("model.ftz")), 50.0);
  RunResult tested = run("classify test " + path("model.ftz") + " " + path("test.txt"));
  ASSERT_EQ(tested.status, 0) << tested.err;
  EXPECT_GT(std::stod(lines_of(tested.out).at(1).substr(4)), 0.95);
  if (!have_fasttext()) return;
  EXPECT_EQ(tested.out, fasttext("test " + path("model.ftz") + " " + path("test.txt")));
  RunResult ours = run("classify predict " + path("model.ftz") + " " + path("test.txt") + " -k 2");
  EXPECT_EQ(ours.out, fasttext("predict " + path("model.ftz") + " " + path("test.txt") + " 2"));
}

}  // namespace
}  // namespace embkit::cli_test
