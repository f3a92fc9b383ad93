// `embkit cluster` and `embkit probe` run as a user would: output, JSON keys, files written, exit
// codes and one-line errors.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "cli_test_util.h"

namespace {

namespace fs = std::filesystem;

using embkit::cli_test::CliFixture;
using embkit::cli_test::RunResult;
using embkit::cli_test::slurp;

size_t count_lines(const std::string& text) {
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

class CliClusterTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    // 120 words in 4 directions (word i belongs to group i % 4), lengths 1 to 4, noise 0.1.
    std::mt19937_64 rng(1);
    std::normal_distribution<float> noise(0, 0.1f);
    std::uniform_real_distribution<float> length(1, 4);
    std::ofstream model(dir_ / "model.vec");
    std::ofstream labels(dir_ / "labels.txt");
    model << "120 5\n";
    labels << "# word group\n";
    for (int i = 0; i < 120; ++i) {
      float scale = length(rng);
      model << "word" << i;
      for (int d = 0; d < 5; ++d) model << ' ' << scale * ((d == i % 4 ? 1.0f : 0.0f) + noise(rng));
      model << '\n';
      labels << "word" << i << " group" << i % 4 << '\n';
    }
  }
  std::string model() const { return path("model.vec"); }
};

TEST_F(CliClusterTest, ClusterJsonAndAssignmentFile) {
  RunResult r = run("cluster " + model() + " --k 4 --json --output " + path("w2c.tsv"));
  ASSERT_EQ(r.status, 0) << r.err;
  nlohmann::json out = nlohmann::json::parse(r.out);
  for (const char* key :
       {"model", "words", "dim", "k", "metric", "inertia", "silhouette", "silhouette_words",
        "iterations", "converged", "restart", "restarts", "seconds", "clusters"})
    EXPECT_TRUE(out.contains(key)) << key;
  EXPECT_EQ(out["words"], 120);
  EXPECT_EQ(out["metric"], "cosine");
  EXPECT_GT(out["silhouette"].get<double>(), 0.8);
  ASSERT_EQ(out["clusters"].size(), 4u);
  // The file: every word once, and each planted group is one cluster.
  std::ifstream tsv(path("w2c.tsv"));
  std::map<int, std::set<int>> clusters_of_group;
  std::string word;
  int cluster = 0, lines = 0;
  while (tsv >> word >> cluster) {
    clusters_of_group[std::stoi(word.substr(4)) % 4].insert(cluster);
    ++lines;
  }
  EXPECT_EQ(lines, 120);
  std::set<int> seen;
  for (const auto& [group, clusters] : clusters_of_group) {
    ASSERT_EQ(clusters.size(), 1u) << "group " << group;
    seen.insert(*clusters.begin());
  }
  EXPECT_EQ(seen.size(), 4u);
  for (const auto& c : out["clusters"]) {
    EXPECT_EQ(c["size"], 30);
    EXPECT_EQ(c["central"].size(), 8u);
  }
}

TEST_F(CliClusterTest, ClusterTextOutputAndRestrict) {
  RunResult r = run("cluster " + model() + " --k 3 --restrict 40 --metric l2 --central 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("3 clusters of 40 words"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("inertia"), std::string::npos);
  EXPECT_NE(r.out.find("silhouette"), std::string::npos);
  EXPECT_EQ(count_lines(r.out), 5u) << r.out;
}

TEST_F(CliClusterTest, ClusterSameSeedSameOutput) {
  auto run_once = [&](const std::string& threads, const std::string& file) {
    RunResult r = run("cluster " + model() + " --k 6 --seed 9 --restarts 3 --json --threads " +
                      threads + " --output " + path(file));
    EXPECT_EQ(r.status, 0) << r.err;
    nlohmann::json out = nlohmann::json::parse(r.out);
    out.erase("seconds");
    return out.dump();
  };
  std::string first = run_once("1", "a.tsv");
  EXPECT_EQ(first, run_once("1", "b.tsv"));
  EXPECT_EQ(first, run_once("2", "c.tsv"));
  EXPECT_EQ(slurp(path("a.tsv")), slurp(path("b.tsv")));
  EXPECT_EQ(slurp(path("a.tsv")), slurp(path("c.tsv")));
}

TEST_F(CliClusterTest, ClusterBadArgumentsAreOneLine) {
  RunResult too_many = run("cluster " + model() + " --k 500");
  EXPECT_EQ(too_many.status, 2);
  EXPECT_EQ(count_lines(too_many.err), 1u) << too_many.err;
  EXPECT_NE(too_many.err.find("500"), std::string::npos);
  EXPECT_EQ(run("cluster " + model() + " --k 0").status, 2);
  EXPECT_EQ(run("cluster " + model()).status, 2);  // --k is required
  RunResult missing = run("cluster " + path("nope.vec") + " --k 2");
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(count_lines(missing.err), 1u) << missing.err;
  RunResult no_dir = run("cluster " + model() + " --k 2 --output " + path("no/such/dir.tsv"));
  EXPECT_EQ(no_dir.status, 1);
  EXPECT_FALSE(fs::exists(path("no")));
}

TEST_F(CliClusterTest, ProbeJsonKeysInContractOrder) {
  RunResult r = run("probe " + model() + " --labels " + path("labels.txt") + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{\"accuracy\":", 0), 0u) << r.out;
  size_t at = 0;
  for (const char* key :
       {"\"accuracy\"", "\"macro_f1\"", "\"baseline_accuracy\"", "\"train\"", "\"test\""}) {
    size_t next = r.out.find(key);
    ASSERT_NE(next, std::string::npos) << key;
    EXPECT_GE(next, at) << key;
    at = next;
  }
  nlohmann::json out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["accuracy"], 1.0);
  EXPECT_EQ(out["macro_f1"], 1.0);
  EXPECT_DOUBLE_EQ(out["baseline_accuracy"].get<double>(), 0.25);
  EXPECT_EQ(out["train"], 96);
  EXPECT_EQ(out["test"], 24);
}

TEST_F(CliClusterTest, ProbeTextOovAndSplitDump) {
  std::ofstream(path("labels.txt"), std::ios::app) << "zebra group0\nunicorn group1\n";
  RunResult r = run("probe " + model() + " --labels " + path("labels.txt") +
                    " --test-fraction 0.25 --seed 3 --dump-split " + path("split.tsv"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("accuracy 1.0000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 OOV"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("zebra"), std::string::npos) << r.err;
  std::string split = slurp(path("split.tsv"));
  EXPECT_EQ(count_lines(split), 120u);
  size_t tests = 0, pos = 0;
  while ((pos = split.find("\ttest\t", pos)) != std::string::npos) ++tests, ++pos;
  EXPECT_EQ(tests, 32u);  // round(0.25 * 30) = 8 per group
}

TEST_F(CliClusterTest, ProbeBadLabelFilesAreOneLine) {
  std::ofstream(path("empty.txt")) << "";
  RunResult empty = run("probe " + model() + " --labels " + path("empty.txt"));
  EXPECT_EQ(empty.status, 1);
  EXPECT_EQ(count_lines(empty.err), 1u) << empty.err;
  EXPECT_NE(empty.err.find("empty.txt"), std::string::npos) << empty.err;
  std::ofstream(path("bad.txt")) << "word0 group0\nword1\n";
  RunResult bad = run("probe " + model() + " --labels " + path("bad.txt"));
  EXPECT_EQ(bad.status, 1);
  EXPECT_EQ(count_lines(bad.err), 1u) << bad.err;
  EXPECT_NE(bad.err.find("bad.txt:2:"), std::string::npos) << bad.err;
  std::ofstream(path("unknown.txt")) << "cat a\ndog b\n";
  RunResult unknown = run("probe " + model() + " --labels " + path("unknown.txt"));
  EXPECT_EQ(unknown.status, 1);
  EXPECT_EQ(count_lines(unknown.err), 1u) << unknown.err;
  EXPECT_NE(unknown.err.find("unknown.txt: none of the 2 labelled words"), std::string::npos)
      << unknown.err;
  EXPECT_EQ(run("probe " + model()).status, 2);  // --labels is required
}

}  // namespace
