// `embkit neighbors` on float and i8 native files: the one-word path agrees with the batched one, an
// i8 file is searched on its codes and finds the float neighbours, --rerank keeps or improves them.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.h"

namespace {

using embkit::cli_test::CliFixture;
using embkit::cli_test::RunResult;

constexpr size_t kWords = 3000, kDim = 32, kClusters = 60, kQueries = 60;

// Planted structure: word w<i> lies near the centre of cluster i % kClusters, and word w<i> for
// i < kClusters has a twin t<i> much closer to it than any other word.
void write_planted_model(const std::string& path) {
  std::mt19937 rng(17);
  std::normal_distribution<float> normal;
  std::vector<std::vector<float>> centres(kClusters, std::vector<float>(kDim));
  for (auto& centre : centres)
    for (float& value : centre) value = normal(rng);
  std::ofstream out(path);
  out << kWords + kClusters << ' ' << kDim << '\n';
  std::vector<std::vector<float>> rows;
  for (size_t i = 0; i < kWords; ++i) {
    std::vector<float> row(kDim);
    for (size_t j = 0; j < kDim; ++j) row[j] = centres[i % kClusters][j] + 0.4f * normal(rng);
    rows.push_back(row);
  }
  for (size_t i = 0; i < kWords; ++i) {
    out << 'w' << i;
    for (float value : rows[i]) out << ' ' << value;
    out << '\n';
  }
  for (size_t i = 0; i < kClusters; ++i) {
    out << 't' << i;
    for (float value : rows[i]) out << ' ' << value + 0.02f * normal(rng);
    out << '\n';
  }
}

class CliNeighborsTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    write_planted_model(path("model.vec"));
    ASSERT_EQ(run("convert " + path("model.vec") + " " + path("f32.emb")).status, 0);
    RunResult i8 = run("convert " + path("model.vec") + " " + path("i8.emb") + " --dtype i8");
    ASSERT_EQ(i8.status, 0) << i8.err;
  }

  // The neighbour words of w0 .. w<kQueries - 1>, read from stdin as one batch.
  std::vector<std::vector<std::string>> neighbors(const std::string& model,
                                                  const std::string& flags) {
    std::string words;
    for (size_t i = 0; i < kQueries; ++i) words += "w" + std::to_string(i) + "\n";
    RunResult r = run("neighbors " + path(model) + " --json " + flags, words);
    EXPECT_EQ(r.status, 0) << r.err;
    std::vector<std::vector<std::string>> lists;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      const nlohmann::json answer = nlohmann::json::parse(line);
      lists.emplace_back();
      for (const auto& hit : answer["neighbors"]) lists.back().push_back(hit["word"]);
    }
    EXPECT_EQ(lists.size(), kQueries);
    lists.resize(kQueries);
    for (auto& list : lists) list.resize(std::max<size_t>(list.size(), 1));
    return lists;
  }
};

double overlap(const std::vector<std::vector<std::string>>& truth,
               const std::vector<std::vector<std::string>>& found) {
  size_t same = 0, total = 0;
  for (size_t q = 0; q < truth.size() && q < found.size(); ++q) {
    std::set<std::string> expected(truth[q].begin(), truth[q].end());
    for (const std::string& word : found[q]) same += expected.count(word);
    total += truth[q].size();
  }
  return total ? double(same) / double(total) : 0.0;
}

TEST_F(CliNeighborsTest, OneWordAgreesWithTheBatchedSearch) {
  auto batched = neighbors("f32.emb", "-k 5");
  for (size_t q : {0, 7, 59}) {
    RunResult one = run("neighbors " + path("f32.emb") + " w" + std::to_string(q) + " -k 5 --json");
    ASSERT_EQ(one.status, 0) << one.err;
    const nlohmann::json answer = nlohmann::json::parse(one.out);
    std::vector<std::string> words;
    for (const auto& hit : answer["neighbors"]) words.push_back(hit["word"]);
    EXPECT_EQ(words, batched[q]) << q;
  }
}

TEST_F(CliNeighborsTest, Int8FileFindsTheFloatNeighbours) {
  auto truth = neighbors("f32.emb", "-k 10");
  for (size_t q = 0; q < kQueries; ++q) EXPECT_EQ(truth[q][0], "t" + std::to_string(q)) << q;
  auto plain = neighbors("i8.emb", "-k 10 --rerank 0");
  auto reranked = neighbors("i8.emb", "-k 10");
  auto wide = neighbors("i8.emb", "-k 10 --rerank 200");
  for (size_t q = 0; q < kQueries; ++q) {
    EXPECT_EQ(plain[q][0], "t" + std::to_string(q)) << q;
    EXPECT_EQ(reranked[q][0], "t" + std::to_string(q)) << q;
  }
  const double plain_recall = overlap(truth, plain), rerank_recall = overlap(truth, reranked);
  EXPECT_GE(rerank_recall, plain_recall);
  EXPECT_GE(overlap(truth, wide), rerank_recall);
  EXPECT_GT(rerank_recall, 0.9);
}

TEST_F(CliNeighborsTest, Int8ScoresAfterRerankAreDequantizedCosines) {
  RunResult f32 = run("neighbors " + path("f32.emb") + " w3 -k 1 --json");
  RunResult i8 = run("neighbors " + path("i8.emb") + " w3 -k 1 --json");
  ASSERT_EQ(i8.status, 0) << i8.err;
  const auto want = nlohmann::json::parse(f32.out)["neighbors"][0];
  const auto got = nlohmann::json::parse(i8.out)["neighbors"][0];
  EXPECT_EQ(got["word"], want["word"]);
  EXPECT_NEAR(got["score"].get<double>(), want["score"].get<double>(), 2e-3);
  RunResult restricted = run("neighbors " + path("i8.emb") + " w3 -k 3 --restrict 100 --json");
  ASSERT_EQ(restricted.status, 0) << restricted.err;
  const nlohmann::json answer = nlohmann::json::parse(restricted.out);
  for (const auto& hit : answer["neighbors"])
    EXPECT_LT(std::stoul(hit["word"].get<std::string>().substr(1)), 100u) << hit;
}

TEST_F(CliNeighborsTest, RerankOnAFloatFileIsAUsageError) {
  RunResult r = run("neighbors " + path("f32.emb") + " w1 --rerank 10");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "embkit: error: --rerank applies to i8 native files only; '" + path("f32.emb") +
                       "' holds f32 vectors, which are searched exactly\n");
  EXPECT_EQ(run("neighbors " + path("model.vec") + " w1 --rerank 10").status, 2);
}

}  // namespace
