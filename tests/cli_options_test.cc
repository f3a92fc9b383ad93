// Options on the command line (src/cli/options_cli.cc): help generated from the option tables,
// values checked after parsing, options an algorithm does not take, absurd values; every usage
// error one line and exit 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "cli_test_util.h"

namespace {

namespace fs = std::filesystem;

using embkit::cli_test::CliFixture;
using embkit::cli_test::RunResult;

class CliOptionsTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    embkit::cli_test::write_small_model(dir_ / "model.vec");
    std::ofstream(dir_ / "corpus.txt") << "a b c a b c\nb c a b\n";
  }
  std::string train(const std::string& flags) {
    return "train --input " + path("corpus.txt") + " --output " + path("out.vec") +
           " --min-count 1 " + flags;
  }
  // Runs a command that must fail with exactly one usage-error line.
  std::string usage_error(const std::string& args) {
    RunResult r = run(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("embkit: error: ", 0), 0u) << r.err;
    EXPECT_FALSE(fs::exists(path("out.vec"))) << args;
    return r.err;
  }
};

TEST_F(CliOptionsTest, TrainHelpShowsEveryAlgorithmsDefaults) {
  RunResult r = run("train --help");
  ASSERT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("Maximum context window (default 5; glove 15, ppmi-svd 8; 1..1000)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Passes over the corpus (default 5; glove 25; 1..100000)"),
            std::string::npos);
  EXPECT_NE(r.out.find("glove options"), std::string::npos);
  EXPECT_NE(r.out.find("--x-max"), std::string::npos);
}

TEST_F(CliOptionsTest, OptionOfAnotherAlgorithmIsRejected) {
  EXPECT_EQ(usage_error(train("--algo sgns --x-max 5")),
            "embkit: error: train: --x-max does not apply to --algo sgns (only glove)\n");
  EXPECT_EQ(usage_error(train("--negative 3 --algo glove")),
            "embkit: error: train: --negative does not apply to --algo glove (only sgns, cbow)\n");
}

TEST_F(CliOptionsTest, AbsurdValuesAreOneLineUsageErrors) {
  EXPECT_EQ(usage_error(train("--threads 100000")),
            "embkit: error: train: --threads 100000 is out of range 0..4096\n");
  EXPECT_EQ(usage_error(train("--dim 0")),
            "embkit: error: train: --dim 0 is out of range 1..10000\n");
  EXPECT_EQ(usage_error(train("--lr nan")),
            "embkit: error: train: --lr nan must be a finite number\n");
  EXPECT_EQ(usage_error(train("--sample inf")),
            "embkit: error: train: --sample inf must be a finite number\n");
  EXPECT_EQ(usage_error(train("--alpha -1 --algo glove")),
            "embkit: error: train: --alpha -1 is out of range 0..10\n");
  EXPECT_EQ(usage_error(train("--window -2")),
            "embkit: error: train: --window wants a whole number in 1..1000, got '-2'\n");
  EXPECT_EQ(usage_error(train("--algo fasttext")),
            "embkit: error: train: --algo fasttext must be one of sgns, cbow, glove, ppmi-svd\n");
  usage_error("neighbors " + path("model.vec") + " king --threads 5000");
  usage_error("index build " + path("model.vec") + " -o " + path("out.vec") + " --threads -1");
}

TEST_F(CliOptionsTest, KMustBeAPositiveWholeNumber) {
  for (const char* k : {"-1", "0", "18446744073709551616", "99999999999999999999", "1e3", "x"}) {
    std::string err = usage_error("neighbors " + path("model.vec") + " king -k " + k);
    EXPECT_NE(err.find("-k"), std::string::npos) << err;
  }
  EXPECT_EQ(usage_error("neighbors " + path("model.vec") + " king -k -1"),
            "embkit: error: -k wants a whole number in 1..1000000000, got '-1'\n");
  usage_error("analogy " + path("model.vec") + " man king woman -k -5");
  RunResult all = run("neighbors " + path("model.vec") + " king -k 1000000000");
  EXPECT_EQ(all.status, 0) << all.err;
  EXPECT_NE(all.out.find("apple"), std::string::npos);  // more than the rows: all of them
}

TEST_F(CliOptionsTest, UnsignedFlagsRejectNegativeAndHugeNumbers) {
  std::string err = usage_error("transform " + path("model.vec") + " " + path("out.vec") +
                                " --steps center --seed -1");
  EXPECT_NE(err.find("--seed"), std::string::npos) << err;
  EXPECT_NE(err.find("got '-1'"), std::string::npos) << err;
  usage_error("transform " + path("model.vec") + " " + path("out.vec") +
              " --steps center --seed 99999999999999999999");
  usage_error("neighbors " + path("model.vec") + " king --limit -2");
}

TEST_F(CliOptionsTest, ParseErrorsAreOneLine) {
  usage_error("neighbors");
  usage_error("train --input " + path("corpus.txt"));  // --output missing
  usage_error(train("--no-such-flag"));
  usage_error("frobnicate");
}

TEST_F(CliOptionsTest, TableOptionsReachTheTrainer) {
  RunResult r = run(train("--algo ppmi-svd --dim 2 --window 2 --svd randomized --threads 1"));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("(window 2)"), std::string::npos) << r.err;
  RunResult glove = run(train("--algo glove --dim 2 --epochs 1 --threads 1"));
  EXPECT_EQ(glove.status, 0) << glove.err;
  EXPECT_NE(glove.err.find("(window 15) x 1 epochs"), std::string::npos) << glove.err;
}

TEST_F(CliOptionsTest, IndexParamsAcceptTableNamesAndAliases) {
  RunResult r =
      run("index build " + path("model.vec") +
          " --type hnsw --params M=4,ef_search=9,efConstruction=20 -o " + path("m.index"));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("M=4,ef_construction=20,ef_search=9"), std::string::npos) << r.out;
  EXPECT_EQ(usage_error("index build " + path("model.vec") + " --type hnsw --params M=0 -o " +
                        path("out.vec")),
            "embkit: error: parameter M=0 is out of range 2..1024\n");
  RunResult help = run("index build --help");
  EXPECT_NE(help.out.find("ef_construction"), std::string::npos) << help.out;
}

}  // namespace
