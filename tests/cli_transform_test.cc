// `embkit transform` and `embkit jl` run as a user would: output files, reports, saved transforms
// applied to other models, exit codes and one-line errors.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>

#include "cli_test_util.h"
#include "embkit/io.h"

namespace {

namespace fs = std::filesystem;

using embkit::cli_test::CliFixture;
using embkit::cli_test::RunResult;
using embkit::cli_test::slurp;

class CliTransformTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    write_model("model.vec", 60, 8, 1);
    write_model("other.vec", 25, 8, 2);
    write_model("narrow.vec", 25, 6, 3);
  }
  // n random words with a shared offset (so centering has something to remove).
  void write_model(const std::string& name, size_t n, size_t dim, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    std::ofstream out(dir_ / name);
    out << n << " " << dim << "\n";
    for (size_t i = 0; i < n; ++i) {
      out << "w" << seed << "_" << i;
      for (size_t c = 0; c < dim; ++c) out << " " << normal(rng) * float(dim - c) + 3.0f;
      out << "\n";
    }
  }

};

TEST_F(CliTransformTest, FitsReportsAndWritesTheModel) {
  RunResult r = run("transform " + path("model.vec") + " " + path("out.emb") +
                    " --steps center,abtt:1,pca:3,normalize --threads 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("pca:3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pca:3: projected onto the top 3 principal components; 8 -> 3 dimensions"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("explained variance ratio"), std::string::npos) << r.out;
  embkit::KeyedVectors out = embkit::load(path("out.emb"));
  ASSERT_EQ(out.size(), 60u);
  EXPECT_EQ(out.dim(), 3u);
  EXPECT_EQ(out.vocab().word(7), "w1_7");
  double norm = 0;
  for (float v : out.vector("w1_7")) norm += double(v) * v;
  EXPECT_NEAR(norm, 1.0, 1e-5);
}

TEST_F(CliTransformTest, QuantizeInt8WritesInt8Codes) {
  RunResult r = run("transform " + path("model.vec") + " " + path("q.emb") +
                    " --steps center,quantize:int8 --save-transform " + path("q.safetensors"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("quantize:int8: int8 codes with per-dimension scales"), std::string::npos)
      << r.out;
  EXPECT_EQ(embkit::stored_dtype(path("q.emb")), embkit::Dtype::I8);
  embkit::KeyedVectors fitted = embkit::load(path("q.emb"));
  ASSERT_EQ(fitted.size(), 60u);
  // The saved transform on the same model writes the same codes.
  r = run("transform " + path("model.vec") + " " + path("q2.emb") + " --apply " +
          path("q.safetensors"));
  ASSERT_EQ(r.status, 0) << r.err;
  embkit::KeyedVectors applied = embkit::load(path("q2.emb"));
  for (size_t i = 0; i < fitted.size(); ++i)
    for (size_t c = 0; c < fitted.dim(); ++c)
      ASSERT_EQ(fitted.vectors().row(i)[c], applied.vectors().row(i)[c]) << i << "," << c;
}

TEST_F(CliTransformTest, JsonHasOneObjectWithEveryStep) {
  RunResult r = run("transform " + path("model.vec") + " " + path("out.vec") +
                    " --steps center,pca:4 --json --seed 3");
  ASSERT_EQ(r.status, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["steps"].size(), 2u);
  EXPECT_EQ(j["vectors"], 60);
  EXPECT_EQ(j["steps"][1]["step"], "pca:4");
  EXPECT_EQ(j["steps"][1]["dim_in"], 8);
  EXPECT_EQ(j["steps"][1]["dim_out"], 4);
  EXPECT_EQ(j["steps"][1]["explained_variance_ratio"].size(), 4u);
  // Offset 3 in 8 columns against scales 8..1: mean cosine about 72 / (72 + 204) = 0.26.
  EXPECT_NEAR(j["steps"][0]["anisotropy_before"].get<double>(), 0.26, 0.08);
  EXPECT_LT(std::abs(j["steps"][0]["anisotropy_after"].get<double>()), 0.1);
  EXPECT_TRUE(j["transform"].is_null());
}

TEST_F(CliTransformTest, SavedTransformAppliedToTheSameModelIsIdentical) {
  const std::string steps = " --steps center,whiten:zca,pca:5,rp:4:sparse --seed 7";
  ASSERT_EQ(run("transform " + path("model.vec") + " " + path("fit.vec") + steps +
                " --save-transform " + path("t.safetensors"))
                .status,
            0);
  RunResult r = run("transform " + path("model.vec") + " " + path("applied.vec") + " --apply " +
                    path("t.safetensors") + " --threads 1");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("8 -> 4"), std::string::npos) << r.out;
  EXPECT_EQ(slurp(dir_ / "fit.vec"), slurp(dir_ / "applied.vec"));
  RunResult other = run("transform " + path("other.vec") + " " + path("other_out.npy") +
                        " --apply " + path("t.safetensors") + " --json");
  ASSERT_EQ(other.status, 0) << other.err;
  nlohmann::json j = nlohmann::json::parse(other.out);
  EXPECT_EQ(j["applied"], true);
  EXPECT_EQ(j["vectors"], 25);
  ASSERT_EQ(j["steps"].size(), 4u);
  EXPECT_EQ(j["steps"][3]["step"], "rp:4:sparse");
  EXPECT_EQ(j["steps"][3]["dim_out"], 4);
  EXPECT_EQ(embkit::load(path("other_out.npy")).dim(), 4u);
}

TEST_F(CliTransformTest, BadInputIsOneLineWithTheRightExitCode) {
  auto expect_error = [&](const std::string& args, int status, const std::string& text) {
    RunResult r = run(args);
    EXPECT_EQ(r.status, status) << args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("embkit: error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(text), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  };
  const std::string model = path("model.vec") + " " + path("out.vec");
  expect_error("transform " + model + " --steps center,bogus", 2, "unknown step");
  expect_error("transform " + model + " --steps pca:x", 2, "'pca:x'");
  expect_error("transform " + model + " --steps abtt:0", 2, "'abtt:0'");
  expect_error("transform " + model + " --steps pca:9", 2, "dimension 8");
  expect_error("transform " + model + " --steps center,quantize:int8", 2,
               "only the native format");
  expect_error("transform " + model + " --steps quantize:int8,center", 2, "last step");
  expect_error("transform " + model, 2, "--steps");
  expect_error("transform " + path("missing.vec") + " " + path("out.vec") + " --steps center", 1,
               "missing.vec");
  std::ofstream(dir_ / "nan.vec") << "2 2\na 1 nan\nb 0 1\n";
  expect_error("transform " + path("nan.vec") + " " + path("out.vec") + " --steps center", 1,
               "nan.vec:2");
  ASSERT_EQ(
      run("transform " + model + " --steps center,pca:2 --save-transform " + path("t.safetensors"))
          .status,
      0);
  expect_error(
      "transform " + path("narrow.vec") + " " + path("o.vec") + " --apply " + path("t.safetensors"),
      2, "dimension 8");
  expect_error(
      "transform " + path("narrow.vec") + " " + path("o.vec") + " --apply " + path("model.vec"), 1,
      "model.vec");
  expect_error("transform " + model + " --steps center --save-transform " +
                   path("no/such/dir/t.safetensors"),
               1, "does not exist");
  EXPECT_FALSE(fs::exists(dir_ / "o.vec"));
}

TEST_F(CliTransformTest, JlPrintsTheDimension) {
  RunResult r = run("jl --n 200 --eps 0.5");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "255\n");
  r = run("jl --n 1000000 --eps 0.1 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["min_dim"], 11842);
  EXPECT_EQ(j["n"], 1000000);
  r = run("jl --n 200 --eps 1.5");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("0 < eps < 1"), std::string::npos) << r.err;
  EXPECT_EQ(run("jl --eps 0.5").status, 2);
}

}  // namespace
