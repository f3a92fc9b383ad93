// `embkit index build|search` and `embkit convert --dtype` / `embkit info` on quantized files, run
// as a user would: output, exit codes and one-line errors.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_test_util.h"

namespace {

namespace fs = std::filesystem;

using embkit::cli_test::CliFixture;
using embkit::cli_test::RunResult;
using embkit::cli_test::slurp;

class CliIndexTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    embkit::cli_test::write_small_model(dir_ / "model.vec");
  }
};

TEST_F(CliIndexTest, BuildAndSearchFlat) {
  RunResult build =
      run("index build " + path("model.vec") + " --type flat --output " + path("m.index"));
  ASSERT_EQ(build.status, 0) << build.err;
  EXPECT_NE(build.out.find("built flat index (cosine) of 5 x 3 vectors"), std::string::npos)
      << build.out;
  RunResult r = run("index search " + path("m.index") + " king -k 2 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["query"], "king");
  ASSERT_EQ(j["neighbors"].size(), 2u);
  EXPECT_EQ(j["neighbors"][0]["word"], "queen");
  EXPECT_NEAR(j["neighbors"][0]["score"].get<double>(), 0.8, 1e-6);
  EXPECT_EQ(j["neighbors"][1]["word"], "man");
  EXPECT_NEAR(j["neighbors"][1]["score"].get<double>(), 0.6, 1e-6);
}

TEST_F(CliIndexTest, UnknownWordIsOneErrorLineOthersAnswered) {
  ASSERT_EQ(run("index build " + path("model.vec") + " --type sq8 -o " + path("m.index")).status,
            0);
  RunResult r = run("index search " + path("m.index") + " -k 1 --json", "woman\nzebra apple\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "embkit: error: word 'zebra' is not in the vocabulary\n");
  std::istringstream lines(r.out);
  std::string line;
  std::vector<std::string> queries;
  while (std::getline(lines, line)) queries.push_back(nlohmann::json::parse(line)["query"]);
  EXPECT_EQ(queries, (std::vector<std::string>{"woman", "apple"}));
}

TEST_F(CliIndexTest, BadParamsAreUsageErrors) {
  RunResult r = run("index build " + path("model.vec") +
                    " --type ivfpq --params nlist=2,bogus=1 -o " + path("m.index"));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "embkit: error: unknown parameter 'bogus' for --type ivfpq (known: nlist, m, nbits, "
            "nprobe, train)\n");
  EXPECT_FALSE(fs::exists(path("m.index")));
  EXPECT_EQ(run("index build " + path("model.vec") + " --type annoy -o " + path("m.index")).status,
            2);
  EXPECT_EQ(
      run("index build " + path("model.vec") + " --type pq --params m=2 -o " + path("m.index"))
          .status,
      2);
  RunResult not_index = run("index search " + path("model.vec") + " king");
  EXPECT_EQ(not_index.status, 1);
  EXPECT_EQ(not_index.err.rfind("embkit: error: " + path("model.vec") + ": not an embkit index", 0),
            0u)
      << not_index.err;
}

TEST_F(CliIndexTest, HnswBuildSearchWithEfSearchAndInfo) {
  RunResult build =
      run("index build " + path("model.vec") +
          " --type hnsw --params M=4,efConstruction=8 --threads 1 --seed 3 -o " + path("h.index"));
  ASSERT_EQ(build.status, 0) << build.err;
  EXPECT_NE(
      build.out.find("built hnsw index (cosine, M=4,ef_construction=8,ef_search=64) of 5 x 3"),
      std::string::npos)
      << build.out;
  RunResult r = run("index search " + path("h.index") + " king -k 2 --ef-search 2 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["neighbors"].size(), 2u);
  EXPECT_EQ(j["neighbors"][0]["word"], "queen");
  EXPECT_NEAR(j["neighbors"][0]["score"].get<double>(), 0.8, 1e-6);

  RunResult info = run("info " + path("h.index") + " --json");
  ASSERT_EQ(info.status, 0) << info.err;
  auto i = nlohmann::json::parse(info.out);
  EXPECT_EQ(i["type"], "hnsw");
  EXPECT_EQ(i["backend"], "hnswlib");
  EXPECT_EQ(i["metric"], "cosine");
  EXPECT_EQ(i["rows"], 5);
  EXPECT_EQ(i["dim"], 3);
  EXPECT_EQ(i["params"]["M"], 4);
  EXPECT_EQ(i["bytes"].get<size_t>(), fs::file_size(path("h.index")));
  RunResult text = run("info " + path("h.index"));
  EXPECT_NE(text.out.find("type        hnsw (hnswlib)\nmetric      cosine\nvectors     5 x 3\n"
                          "params      M=4,ef_construction=8,ef_search=64\n"),
            std::string::npos)
      << text.out;

  // A model command on an index file, --ef-search on a FAISS index, a truncated index.
  RunResult as_model = run("neighbors " + path("h.index") + " king");
  EXPECT_EQ(as_model.status, 1);
  EXPECT_EQ(as_model.err, "embkit: error: " + path("h.index") +
                              ": an embkit index, not a model (`embkit index search` searches it, "
                              "`embkit info` describes it)\n");
  ASSERT_EQ(run("index build " + path("model.vec") + " -o " + path("f.index")).status, 0);
  RunResult flat = run("index search " + path("f.index") + " king --ef-search 5");
  EXPECT_EQ(flat.status, 2);
  EXPECT_EQ(flat.err,
            "embkit: error: --ef-search needs an hnsw index but " + path("f.index") + " is flat\n");
  std::string bytes = slurp(path("h.index"));
  std::ofstream(path("cut.index"), std::ios::binary) << bytes.substr(0, bytes.size() - 20);
  RunResult cut = run("info " + path("cut.index"));
  EXPECT_EQ(cut.status, 1);
  EXPECT_EQ(cut.err.rfind("embkit: error: " + path("cut.index") + ": header declares", 0), 0u)
      << cut.err;
  EXPECT_EQ(std::count(cut.err.begin(), cut.err.end(), '\n'), 1);
}

TEST_F(CliIndexTest, ConvertDtypesAndInfo) {
  RunResult r = run("convert " + path("model.vec") + " " + path("m8.emb") + " --dtype i8");
  ASSERT_EQ(r.status, 0) << r.err;
  RunResult info = run("info " + path("m8.emb") + " --json");
  ASSERT_EQ(info.status, 0) << info.err;
  auto j = nlohmann::json::parse(info.out);
  EXPECT_EQ(j["dtype"], "i8");
  EXPECT_EQ(j["bytes"].get<size_t>(), fs::file_size(path("m8.emb")));
  ASSERT_EQ(run("convert " + path("model.vec") + " " + path("m16.emb") + " --dtype f16").status, 0);
  EXPECT_NE(run("info " + path("m16.emb")).out.find("dtype       f16"), std::string::npos);
  // Every command keeps working on the dequantized vectors.
  RunResult n = run("neighbors " + path("m8.emb") + " king -k 1 --json");
  ASSERT_EQ(n.status, 0) << n.err;
  EXPECT_EQ(nlohmann::json::parse(n.out)["neighbors"][0]["word"], "queen");
  RunResult bad = run("convert " + path("model.vec") + " " + path("m.vec") + " --dtype f16");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(
      bad.err,
      "embkit: error: --dtype f16: only the native format (.emb) stores f16 or i8, not vec\n");
  EXPECT_EQ(run("convert " + path("model.vec") + " " + path("x.emb") + " --dtype f64").status, 2);
}

}  // namespace
