// The embkit command line, run as a user would: exit codes, messages and output of CLI.md.
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace {

namespace fs = std::filesystem;

using embkit::cli_test::CliFixture;
using embkit::cli_test::RunResult;
using embkit::cli_test::slurp;

class CliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    embkit::cli_test::write_small_model(dir_ / "model.vec");
  }
  std::string model() const { return path("model.vec"); }
};

TEST_F(CliTest, HelpListsEveryCommand) {
  RunResult r = run("--help");
  EXPECT_EQ(r.status, 0);
  for (const char* command :
       {"train", "info", "neighbors", "similarity", "analogy", "convert", "eval", "demo"})
    EXPECT_NE(r.out.find(command), std::string::npos) << command;
  EXPECT_EQ(run("neighbors --help").status, 0);
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  RunResult r = run("frobnicate");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("embkit: error: ", 0), 0u) << r.err;
  EXPECT_EQ(run("similarity " + model() + " king").status, 2);
  EXPECT_EQ(run("similarity " + model() + " king queen --metric hamming").status, 2);
  RunResult nothing = run("eval " + model());
  EXPECT_EQ(nothing.status, 2);
  EXPECT_NE(nothing.err.find("nothing to evaluate"), std::string::npos) << nothing.err;
}

TEST_F(CliTest, MissingModelIsOneLineAndExitOne) {
  RunResult r = run("info " + (dir_ / "nope.vec").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("nope.vec"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(CliTest, InfoReportsShapeAndFormat) {
  RunResult r = run("info " + model() + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["vocab"], 5);
  EXPECT_EQ(j["dim"], 3);
  EXPECT_EQ(j["format"], "vec");
  EXPECT_EQ(j["first_words"][1], "queen");
  EXPECT_DOUBLE_EQ(j["norm_max"].get<double>(), 1.0);
}

TEST_F(CliTest, SimilarityMatchesHandComputedValues) {
  RunResult cosine = run("similarity " + model() + " king queen --json");
  ASSERT_EQ(cosine.status, 0) << cosine.err;
  EXPECT_NEAR(nlohmann::json::parse(cosine.out)["score"].get<double>(), 0.8, 1e-6);
  RunResult l2 = run("similarity " + model() + " king man --metric l2");
  ASSERT_EQ(l2.status, 0);
  EXPECT_NEAR(std::stod(l2.out), std::sqrt(0.16 + 0.64), 1e-5);
  RunResult dot = run("similarity " + model() + " queen woman --metric dot");
  EXPECT_NEAR(std::stod(dot.out), 0.36, 1e-6);
}

TEST_F(CliTest, NeighborsJsonFollowsTheContractAndExcludesTheQuery) {
  RunResult r = run("neighbors " + model() + " king -k 2 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["query"], "king");
  ASSERT_EQ(j["neighbors"].size(), 2u);
  EXPECT_EQ(j["neighbors"][0]["word"], "queen");
  EXPECT_NEAR(j["neighbors"][0]["score"].get<double>(), 0.8, 1e-6);
  EXPECT_EQ(j["neighbors"][1]["word"], "man");
  EXPECT_NEAR(j["neighbors"][1]["score"].get<double>(), 0.6, 1e-6);
}

TEST_F(CliTest, NeighborsReadsWordsFromStdinAndReportsUnknownOnes) {
  RunResult r = run("neighbors " + model() + " -k 1 --json", "woman\nzebra apple\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("word 'zebra' is not in the vocabulary"), std::string::npos) << r.err;
  std::istringstream lines(r.out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(nlohmann::json::parse(first)["neighbors"][0]["word"], "man");   // cos 0.64 vs queen 0.36
  EXPECT_EQ(nlohmann::json::parse(second)["query"], "apple");
}

TEST_F(CliTest, UnknownWordInAQueryIsExitOne) {
  RunResult r = run("similarity " + model() + " king zebra");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err,
            "embkit: error: word 'zebra' is not in the vocabulary (and the model has no subword "
            "n-grams for unseen words)\n");
}

TEST_F(CliTest, AnalogySolvesThePlantedQuestion) {
  // man : woman :: king : ?  b - a + c over unit vectors; queen must win.
  RunResult r = run("analogy " + model() + " man woman king -k 1 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["answers"][0]["word"], "queen");
  RunResult mul = run("analogy " + model() + " man woman king -k 1 --method mul --json");
  ASSERT_EQ(mul.status, 0) << mul.err;
  EXPECT_EQ(nlohmann::json::parse(mul.out)["answers"][0]["word"], "queen");
}

// The same answers at every instruction-set level (EMBKIT_ISA lowers all kernel tables): top words
// equal, scores within 1e-5. The model: 300 random words of 40 dimensions, so that no neighbours
// tie.
TEST_F(CliTest, NeighborsAndAnalogiesAgreeAtEveryIsaLevel) {
  {
    std::ofstream out(path("random.vec"));
    out << "300 40\n";
    uint64_t state = 12345;
    for (int w = 0; w < 300; ++w) {
      out << "w" << w;
      for (int d = 0; d < 40; ++d) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        out << " " << static_cast<double>(state >> 40) / double(1 << 24) - 0.5;
      }
      out << "\n";
    }
  }
  const std::string words = "w0\nw17\nw42\nw99\nw123\nw250\nw299\n";
  auto answers = [&](const char* isa) {
    const char* previous = std::getenv("EMBKIT_ISA");
    const std::string saved = previous ? previous : "";
    if (isa)
      setenv("EMBKIT_ISA", isa, 1);
    else
      unsetenv("EMBKIT_ISA");
    std::vector<RunResult> runs = {
        run("neighbors " + path("random.vec") + " -k 8 --json", words),
        run("analogy " + path("random.vec") + " w1 w2 w3 -k 8 --json")};
    if (previous)
      setenv("EMBKIT_ISA", saved.c_str(), 1);
    else
      unsetenv("EMBKIT_ISA");
    std::vector<nlohmann::json> out;
    for (const RunResult& r : runs) {
      EXPECT_EQ(r.status, 0) << r.err;
      std::istringstream lines(r.out);
      for (std::string line; std::getline(lines, line);) out.push_back(nlohmann::json::parse(line));
    }
    return out;
  };
  const std::vector<nlohmann::json> best = answers(nullptr);
  ASSERT_EQ(best.size(), 8u);  // 7 neighbour lines and an analogy
  for (const char* isa : {"generic", "avx2"}) {
    const std::vector<nlohmann::json> level = answers(isa);
    ASSERT_EQ(level.size(), best.size()) << isa;
    for (size_t q = 0; q < best.size(); ++q) {
      const char* key = q < 7 ? "neighbors" : "answers";
      ASSERT_EQ(level[q][key].size(), 8u) << isa << " " << q;
      for (size_t i = 0; i < 8; ++i) {
        EXPECT_EQ(level[q][key][i]["word"], best[q][key][i]["word"]) << isa << " " << q << " " << i;
        EXPECT_NEAR(level[q][key][i]["score"].get<double>(), best[q][key][i]["score"].get<double>(),
                    1e-5)
            << isa << " " << q << " " << i;
      }
    }
  }
}

TEST_F(CliTest, ConvertRoundTripsThroughEveryFormat) {
  std::string previous = model();
  for (const char* name : {"a.emb", "b.bin", "c.npy", "d.txt", "e.vec"}) {
    std::string out = (dir_ / name).string();
    std::string to = std::string(name) == "d.txt" ? " --to glove" : "";
    RunResult r = run("convert " + previous + " " + out + to);
    ASSERT_EQ(r.status, 0) << name << ": " << r.err;
    previous = out;
  }
  RunResult r = run("neighbors " + previous + " king -k 1 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NEAR(nlohmann::json::parse(r.out)["neighbors"][0]["score"].get<double>(), 0.8, 1e-6);
  // Bit-exact: the vec written at the end holds the same numbers as the input.
  EXPECT_NE(slurp(dir_ / "e.vec").find("queen 0.8 0.6 0"), std::string::npos) << slurp(dir_ / "e.vec");
}

TEST_F(CliTest, ConvertIntoAMissingDirectoryLeavesNothing) {
  RunResult r = run("convert " + model() + " " + (dir_ / "no/such/dir/out.emb").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no/such/dir"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "no"));
}

TEST_F(CliTest, EvalPrintsTheJsonOfTheContract) {
  std::ofstream(dir_ / "q.txt") << ": gender\nman woman king queen\nking queen man woman\n"
                                   ": gram-missing\napple apples king kings\n";
  std::ofstream(dir_ / "pairs.tsv") << "# comment\nking\tqueen\t9\nking\tapple\t1\nman\twoman\t7\n"
                                       "zebra\tking\t3\n";
  RunResult r = run("eval " + model() + " --analogies " + (dir_ / "q.txt").string() + " --similarity " +
                    (dir_ / "pairs.tsv").string() + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["vocab"], 5);
  EXPECT_EQ(j["analogy"]["total"], 3);
  EXPECT_EQ(j["analogy"]["answered"], 2);
  EXPECT_EQ(j["analogy"]["correct"], 2);
  EXPECT_DOUBLE_EQ(j["analogy"]["accuracy"].get<double>(), 1.0);
  EXPECT_NEAR(j["analogy"]["coverage"].get<double>(), 2.0 / 3, 1e-12);
  EXPECT_EQ(j["analogy"]["sections"]["gender"]["correct"], 2);
  ASSERT_EQ(j["similarity"].size(), 1u);
  EXPECT_EQ(j["similarity"][0]["pairs"], 4);
  EXPECT_EQ(j["similarity"][0]["oov"], 1);
  // gold 9, 1, 7 vs model cos 0.8, 0, 0.64: identical rankings.
  EXPECT_NEAR(j["similarity"][0]["spearman"].get<double>(), 1.0, 1e-12);
}

TEST_F(CliTest, DemoRunsEndToEndWithoutExternalData) {
  RunResult r = run("demo --synthetic --words 3000 --dir " + (dir_ / "demo").string());
  ASSERT_EQ(r.status, 0) << r.err;
  size_t exact = 0;
  for (size_t pos = 0; (pos = r.out.find("bit-exact", pos)) != std::string::npos; ++pos) ++exact;
  EXPECT_EQ(exact, 5u) << r.out;
  EXPECT_EQ(r.out.find("DIFFERS"), std::string::npos);
  EXPECT_NE(r.out.find("man : woman :: king : queen"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(dir_ / "demo" / "demo.emb"));
}

// A small corpus with planted structure: fruit words share the contexts "eat ripe sweet", vehicle words
// share "drive fast road", so each group's words end up closest to each other.
void write_planted_corpus(const fs::path& path) {
  std::ofstream out(path);
  const char* fruit[] = {"apple", "pear", "plum", "fig"};
  const char* fruit_context[] = {"eat", "ripe", "sweet"};
  const char* vehicle[] = {"car", "bus", "train", "truck"};
  const char* vehicle_context[] = {"drive", "fast", "road"};
  uint32_t state = 12345;
  auto next = [&](uint32_t n) {
    state = state * 1664525u + 1013904223u;
    return (state >> 16) % n;
  };
  for (int i = 0; i < 800; ++i) {
    bool is_fruit = i % 2 == 0;
    const char** words = is_fruit ? fruit : vehicle;
    const char** context = is_fruit ? fruit_context : vehicle_context;
    out << context[next(3)] << " " << context[next(3)] << " " << words[next(4)] << " " << context[next(3)]
        << " " << context[next(3)] << "\n";
  }
}

TEST_F(CliTest, TrainWritesAModelThatRecoversPlantedPairs) {
  write_planted_corpus(dir_ / "corpus.txt");
  std::string out = (dir_ / "model.emb").string();
  RunResult r = run("train --input " + (dir_ / "corpus.txt").string() + " --output " + out +
                    " --dim 16 --epochs 20 --min-count 5 --threads 1 --seed 3 --sample 0");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("trained sgns"), std::string::npos) << r.err;
  for (const char* word : {"apple", "car"}) {
    RunResult n = run(std::string("neighbors ") + out + " " + word + " -k 3 --json");
    ASSERT_EQ(n.status, 0) << n.err;
    std::string group = std::string(word) == "apple" ? "pear plum fig" : "bus train truck";
    nlohmann::json result = nlohmann::json::parse(n.out);  // the loop must not iterate a temporary
    for (const auto& neighbor : result["neighbors"])
      EXPECT_NE(group.find(neighbor["word"].get<std::string>()), std::string::npos) << n.out;
  }
  RunResult info = run("info " + out + " --json");
  EXPECT_EQ(nlohmann::json::parse(info.out)["vocab"], 14);
  EXPECT_TRUE(nlohmann::json::parse(info.out)["counts"].get<bool>());
}

TEST_F(CliTest, TrainWithOneThreadAndASeedIsBitIdentical) {
  write_planted_corpus(dir_ / "corpus.txt");
  for (const char* algo : {"sgns", "cbow"}) {
    std::string common = "train --input " + (dir_ / "corpus.txt").string() +
                         " --dim 8 --epochs 2 --threads 1 --seed 9 --algo " + algo + " --output ";
    ASSERT_EQ(run(common + (dir_ / "a.bin").string()).status, 0);
    ASSERT_EQ(run(common + (dir_ / "b.bin").string()).status, 0);
    EXPECT_EQ(slurp(dir_ / "a.bin"), slurp(dir_ / "b.bin")) << algo;
    EXPECT_GT(slurp(dir_ / "a.bin").size(), 100u);
  }
}

TEST_F(CliTest, TrainRejectsBadInputWithOneLine) {
  std::ofstream(dir_ / "empty.txt") << "";
  RunResult empty = run("train --input " + (dir_ / "empty.txt").string() + " --output " +
                        (dir_ / "m.vec").string());
  EXPECT_EQ(empty.status, 1);
  EXPECT_NE(empty.err.find("empty.txt"), std::string::npos) << empty.err;
  EXPECT_EQ(std::count(empty.err.begin(), empty.err.end(), '\n'), 1) << empty.err;
  EXPECT_FALSE(fs::exists(dir_ / "m.vec"));
  RunResult missing = run("train --input " + (dir_ / "nope.txt").string() + " --output " +
                          (dir_ / "m.vec").string());
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("nope.txt"), std::string::npos) << missing.err;
  write_planted_corpus(dir_ / "corpus.txt");
  RunResult no_dir = run("train --input " + (dir_ / "corpus.txt").string() + " --output " +
                         (dir_ / "no/such/m.vec").string());
  EXPECT_EQ(no_dir.status, 1);
  EXPECT_NE(no_dir.err.find("output directory"), std::string::npos) << no_dir.err;
  EXPECT_EQ(run("train --input x --output y --algo lda").status, 2);
  EXPECT_EQ(run("train --input x --output y --algo glove --x-max 0").status, 2);
}

TEST_F(CliTest, CountBasedTrainingWritesModelsThatRecoverPlantedPairs) {
  write_planted_corpus(dir_ / "corpus.txt");
  const std::string input = " --input " + (dir_ / "corpus.txt").string();
  const std::string log = (dir_ / "loss.csv").string();
  RunResult glove = run("train --algo glove" + input + " --output " + (dir_ / "glove.vec").string() +
                        " --dim 12 --epochs 30 --window 4 --threads 1 --seed 3 --loss-log " + log +
                        " --save-context " + (dir_ / "glove_ctx.vec").string());
  ASSERT_EQ(glove.status, 0) << glove.err;
  EXPECT_NE(glove.err.find("trained glove"), std::string::npos) << glove.err;
  EXPECT_NE(glove.err.find("window 4"), std::string::npos) << glove.err;
  EXPECT_EQ(slurp(log).rfind("updates,epoch,fraction,loss\n", 0), 0u);
  EXPECT_TRUE(fs::exists(dir_ / "glove_ctx.vec"));
  RunResult svd = run("train --algo ppmi-svd" + input + " --output " + (dir_ / "svd.vec").string() +
                      " --dim 8 --threads 1");
  ASSERT_EQ(svd.status, 0) << svd.err;
  // Each word's neighbours come from its own topic (GloVe's word + context vectors also put a word
  // next to the words it occurs with).
  for (const char* model : {"glove.vec", "svd.vec"})
    for (const char* word : {"apple", "car"}) {
      RunResult n = run(std::string("neighbors ") + (dir_ / model).string() + " " + word + " -k 3 --json");
      ASSERT_EQ(n.status, 0) << n.err;
      std::string group = std::string(word) == "apple" ? "pear plum fig eat ripe sweet"
                                                       : "bus train truck drive fast road";
      nlohmann::json result = nlohmann::json::parse(n.out);
      for (const auto& neighbor : result["neighbors"])
        EXPECT_NE(group.find(neighbor["word"].get<std::string>()), std::string::npos) << model << n.out;
    }
  // Same seed, one thread: the same bytes.
  std::string again = (dir_ / "glove2.vec").string();
  ASSERT_EQ(run("train --algo glove" + input + " --output " + again +
                " --dim 12 --epochs 30 --window 4 --threads 1 --seed 3").status, 0);
  EXPECT_EQ(slurp(dir_ / "glove.vec"), slurp(again));
}

TEST_F(CliTest, CooccurWritesCountsAndTheirVocabulary) {
  std::ofstream(dir_ / "tiny.txt") << "a b a\nb c\n";
  RunResult r = run("cooccur --input " + (dir_ / "tiny.txt").string() + " --output " +
                    (dir_ / "counts.npz").string() + " --min-count 1 --window 1 --weighting uniform");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "counts.npz"));
  EXPECT_EQ(slurp(dir_ / "counts.vocab.txt"), "a 2\nb 2\nc 1\n");
  // GloVe learns from the saved counts; the vocabulary comes from the file beside them.
  const std::string counts = " --counts " + (dir_ / "counts.npz").string();
  RunResult glove = run("train --algo glove" + counts + " --output " + (dir_ / "g.vec").string() +
                        " --dim 4 --epochs 3 --threads 1");
  ASSERT_EQ(glove.status, 0) << glove.err;
  EXPECT_EQ(slurp(dir_ / "g.vec").substr(0, 4), "3 4\n");
  EXPECT_NE(glove.err.find("4 co-occurrence counts"), std::string::npos) << glove.err;
  RunResult svd = run("train --algo ppmi-svd" + counts + " --output " + (dir_ / "p.vec").string() +
                      " --dim 2 --threads 1");
  ASSERT_EQ(svd.status, 0) << svd.err;
  EXPECT_EQ(slurp(dir_ / "p.vec").substr(0, 4), "3 2\n");
  EXPECT_EQ(run("train --algo sgns" + counts + " --output " + (dir_ / "s.vec").string()).status, 2);
  EXPECT_EQ(run("train --algo glove" + counts + " --input " + (dir_ / "tiny.txt").string() +
                " --output " + (dir_ / "s.vec").string()).status, 2);
  std::ofstream(dir_ / "counts.vocab.txt") << "a 2\nb 2\n";
  RunResult mismatch = run("train --algo glove" + counts + " --output " + (dir_ / "m.vec").string());
  EXPECT_EQ(mismatch.status, 1);
  EXPECT_NE(mismatch.err.find("counts.vocab.txt lists 2 words"), std::string::npos) << mismatch.err;
  std::ofstream(dir_ / "counts.vocab.txt") << "a 2\nb two\nc 1\n";
  RunResult bad_line = run("train --algo glove" + counts + " --output " + (dir_ / "m.vec").string());
  EXPECT_EQ(bad_line.status, 1);
  EXPECT_NE(bad_line.err.find("counts.vocab.txt:2:"), std::string::npos) << bad_line.err;
  EXPECT_FALSE(fs::exists(dir_ / "m.vec"));
  // One-sided counts: each word pairs with its left neighbour only (a-b, b-a, b-c: 3 entries).
  RunResult left = run("cooccur --input " + (dir_ / "tiny.txt").string() + " --output " +
                       (dir_ / "left.npz").string() + " --min-count 1 --window 1 --one-sided");
  ASSERT_EQ(left.status, 0) << left.err;
  EXPECT_NE(left.err.find("window 1, one-sided, harmonic"), std::string::npos) << left.err;
  RunResult zero = run("cooccur --input " + (dir_ / "tiny.txt").string() + " --output " +
                       (dir_ / "zero.npz").string() + " --window 0");
  EXPECT_EQ(zero.status, 2);
  EXPECT_EQ(zero.err, "embkit: error: cooccur: --window 0 is out of range 1..1000\n");
  EXPECT_FALSE(fs::exists(dir_ / "zero.npz"));
  RunResult bad = run("cooccur --input " + (dir_ / "tiny.txt").string() + " --output " +
                      (dir_ / "no/such/counts.npz").string() + " --min-count 1");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("output directory"), std::string::npos) << bad.err;
}

TEST_F(CliTest, DemoTrainsOnAGivenCorpus) {
  write_planted_corpus(dir_ / "corpus.txt");
  RunResult r = run("demo --corpus " + (dir_ / "corpus.txt").string() + " --epochs 1 --threads 1");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("2. Training skip-gram"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bit-exact"), std::string::npos) << r.out;
}

}  // namespace

namespace {

TEST_F(CliTest, DocsWritesSparseAndDenseDocumentVectors) {
  std::ofstream(dir_ / "docs.txt") << "king queen\n\nman woman king\nunknown\n";
  const std::string docs = " --input " + (dir_ / "docs.txt").string() + " --output ";
  RunResult sparse = run("docs" + docs + (dir_ / "d.npz").string() + " --represent bow");
  ASSERT_EQ(sparse.status, 0) << sparse.err;
  EXPECT_EQ(std::count(sparse.err.begin(), sparse.err.end(), '\n'), 1) << sparse.err;
  EXPECT_NE(sparse.err.find("4 documents"), std::string::npos) << sparse.err;
  EXPECT_TRUE(fs::exists(dir_ / "d.npz"));
  EXPECT_EQ(slurp(dir_ / "d.vocab.txt"), "king\nman\nqueen\nunknown\nwoman\n");

  RunResult dense = run("docs" + docs + (dir_ / "d.vec").string() + " --vectors " + model() +
                        " --weighting mean");
  ASSERT_EQ(dense.status, 0) << dense.err;
  std::istringstream lines(slurp(dir_ / "d.vec"));
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(header, "4 3");
  EXPECT_EQ(first, "1 0.9 0.3 0");  // (king + queen) / 2
  EXPECT_EQ(second, "2 0 0 0");
  EXPECT_NE(dense.err.find("2 documents without a known word"), std::string::npos) << dense.err;

  std::ofstream(dir_ / "labels.txt") << "a\nb\nc\n";
  RunResult labels = run("docs" + docs + (dir_ / "l.vec").string() + " --vectors " + model() +
                         " --labels " + (dir_ / "labels.txt").string());
  EXPECT_EQ(labels.status, 1);
  EXPECT_NE(labels.err.find("has 3 labels for 4 documents"), std::string::npos) << labels.err;
  EXPECT_FALSE(fs::exists(dir_ / "l.vec"));

  EXPECT_EQ(run("docs" + docs + (dir_ / "x.vec").string()).status, 2);  // sparse needs .npz
  EXPECT_EQ(run("docs" + docs + (dir_ / "x.vec").string() + " --vectors " + model() + " --norm l1")
                .status,
            2);
  EXPECT_EQ(run("docs" + docs + (dir_ / "x.npz").string() + " --represent bow --sublinear-tf").status,
            2);
  EXPECT_EQ(run("docs" + docs + (dir_ / "x.npz").string() + " --max-df 1.5").status, 2);
  RunResult missing = run("docs --input " + (dir_ / "nope.txt").string() + " --output " +
                          (dir_ / "x.npz").string());
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("nope.txt"), std::string::npos) << missing.err;
}

}  // namespace
