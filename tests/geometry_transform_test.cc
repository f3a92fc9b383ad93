// Transform pipelines (src/geometry/transform*.cc): step parsing, fitting, saving, loading and
// applying to new vectors, and the errors users meet.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numeric>

#include "embkit/anisotropy.h"
#include "embkit/error.h"
#include "embkit/quantize.h"
#include "embkit/transform.h"
#include "geometry_test_util.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::random_matrix;
using testing::same_bits;

TransformOptions seeded(uint64_t seed, int threads) {
  TransformOptions options;
  options.seed = seed;
  options.threads = threads;
  return options;
}

std::string usage_error_of(const std::string& steps) {
  try {
    parse_steps(steps);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(GeometryTransformSteps, ParsesTheDocumentedSyntax) {
  const auto steps = parse_steps(
      "center,whiten,whiten:zca:1e-3,abtt:2,normalize,pca:50,rp:64,"
      "rp:8:verysparse,quantize:int8");
  ASSERT_EQ(steps.size(), 9u);
  EXPECT_EQ(steps[0].kind, StepKind::Center);
  EXPECT_EQ(steps[1].kind, StepKind::Whiten);
  EXPECT_EQ(steps[1].whitening.kind, WhiteningKind::Pca);
  EXPECT_EQ(steps[1].whitening.eps, 1e-5);
  EXPECT_EQ(steps[2].whitening.kind, WhiteningKind::Zca);
  EXPECT_EQ(steps[2].whitening.eps, 1e-3);
  EXPECT_EQ(steps[3].kind, StepKind::Abtt);
  EXPECT_EQ(steps[3].count, 2u);
  EXPECT_EQ(steps[4].kind, StepKind::Normalize);
  EXPECT_EQ(steps[5].count, 50u);
  EXPECT_EQ(steps[6].projection, RandomProjectionKind::Gaussian);
  EXPECT_EQ(steps[7].projection, RandomProjectionKind::VerySparse);
  EXPECT_EQ(steps[7].text, "rp:8:verysparse");
  EXPECT_EQ(steps[8].kind, StepKind::Quantize);
}

TEST(GeometryTransformSteps, RejectsBadStepsByName) {
  EXPECT_NE(usage_error_of("center,frobnicate").find("'frobnicate': unknown step"),
            std::string::npos);
  EXPECT_NE(usage_error_of("pca:x").find("'pca:x'"), std::string::npos);
  EXPECT_NE(usage_error_of("abtt:0").find("positive integer"), std::string::npos);
  EXPECT_NE(usage_error_of("pca").find("use pca:N"), std::string::npos);
  EXPECT_NE(usage_error_of("pca:-3").find("'pca:-3'"), std::string::npos);
  EXPECT_NE(usage_error_of("pca:5x").find("'pca:5x'"), std::string::npos);
  EXPECT_NE(usage_error_of("center:1").find("without arguments"), std::string::npos);
  EXPECT_NE(usage_error_of("whiten:foo").find("pca or zca"), std::string::npos);
  EXPECT_NE(usage_error_of("whiten:zca:-1").find("eps"), std::string::npos);
  EXPECT_NE(usage_error_of("rp:10:dense").find("gaussian, sparse or verysparse"),
            std::string::npos);
  EXPECT_NE(usage_error_of("quantize:int4").find("quantize:int8"), std::string::npos);
  EXPECT_NE(usage_error_of("quantize:int8,pca:2").find("last step"), std::string::npos);
  EXPECT_NE(usage_error_of("center,,pca:2").find("empty step"), std::string::npos);
  EXPECT_NE(usage_error_of("").find("empty"), std::string::npos);
}

TEST(GeometryTransform, ReportsEveryStep) {
  Matrix x = random_matrix(500, 20, 41, {5, 3});
  for (size_t r = 0; r < x.rows(); ++r) x.mutable_row(r)[4] += 8;  // a common direction
  FittedTransform fitted = fit_transform(
      x, parse_steps("center,abtt:1,whiten:zca,normalize,pca:5,rp:4:sparse"), seeded(3, 2));
  ASSERT_EQ(fitted.reports.size(), 6u);
  const size_t dims[][2] = {{20, 20}, {20, 20}, {20, 20}, {20, 20}, {20, 5}, {5, 4}};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(fitted.reports[i].dim_in, dims[i][0]) << i;
    EXPECT_EQ(fitted.reports[i].dim_out, dims[i][1]) << i;
    if (i > 0) {
      EXPECT_EQ(fitted.reports[i].anisotropy_before, fitted.reports[i - 1].anisotropy_after);
    }
  }
  EXPECT_EQ(fitted.reports[0].anisotropy_before, anisotropy(x, {10000, 3, 1}));
  EXPECT_GT(fitted.reports[0].anisotropy_before, 0.4);
  EXPECT_LT(std::abs(fitted.reports[0].anisotropy_after), 0.02);
  EXPECT_EQ(fitted.reports[1].explained_variance_ratio.size(), 1u);
  EXPECT_GT(fitted.reports[1].explained_variance_ratio[0], 0.3);  // the 5-sd column: 25 / (25+9+18)
  EXPECT_EQ(fitted.reports[2].explained_variance_ratio.size(), 10u);
  EXPECT_EQ(fitted.reports[4].explained_variance_ratio.size(), 5u);
  EXPECT_TRUE(fitted.reports[5].explained_variance_ratio.empty());
  EXPECT_EQ(fitted.output.cols(), 4u);
}

TEST(GeometryTransform, SavedTransformReproducesTheFittedOutputOnNewVectors) {
  testing::TempDir dir;
  Matrix x = random_matrix(300, 16, 42, {4, 3, 2});
  FittedTransform fitted =
      fit_transform(x, parse_steps("center,whiten:zca:1e-4,abtt:2,normalize,pca:6,rp:5:verysparse"),
                    seeded(9, 2));
  save_transform(fitted.transform, dir.file("t.safetensors"));
  EXPECT_EQ(dir.listing(), std::vector<std::string>{"t.safetensors"});  // no temporary left
  const Transform loaded = load_transform(dir.file("t.safetensors"));
  ASSERT_EQ(loaded.steps.size(), 6u);
  EXPECT_TRUE(same_bits(loaded.apply(x, 1), fitted.output));
  // New vectors: the fitted rows in reverse order among rows never seen, in another batch size.
  Matrix mixed(450, 16);
  Matrix fresh = random_matrix(150, 16, 43);
  for (size_t r = 0; r < 300; ++r) std::copy_n(x.row(299 - r), 16, mixed.mutable_row(r + r / 2));
  for (size_t r = 0, f = 0; r < 450; ++r)
    if (r % 3 == 2) std::copy_n(fresh.row(f++), 16, mixed.mutable_row(r));
  Matrix y = loaded.apply(mixed, 3);
  for (size_t r = 0; r < 300; ++r)
    ASSERT_EQ(std::memcmp(y.row(r + r / 2), fitted.output.row(299 - r), 5 * sizeof(float)), 0) << r;
}

TEST(GeometryTransform, ThreadCountDoesNotChangeTheOutput) {
  Matrix x = random_matrix(9000, 12, 44, {3, 2});
  const auto steps = parse_steps("center,whiten,pca:4,rp:3");
  EXPECT_TRUE(same_bits(fit_transform(x, steps, seeded(5, 1)).output,
                        fit_transform(x, steps, seeded(5, 4)).output));
}

TEST(GeometryTransform, ConstantAndZeroVectorsStayFinite) {
  Matrix x(40, 6);
  for (size_t r = 0; r < 40; ++r) std::fill_n(x.mutable_row(r), 6, 0.25f);
  FittedTransform fitted = fit_transform(x, parse_steps("whiten,whiten:zca,normalize"), {});
  for (size_t r = 0; r < 40; ++r)
    for (size_t c = 0; c < 6; ++c) ASSERT_EQ(fitted.output.row(r)[c], 0.0f);
  Matrix y = random_matrix(10, 3, 45);
  std::fill_n(y.mutable_row(4), 3, 0.0f);
  Matrix unit = fit_transform(y, parse_steps("normalize"), {}).output;
  for (size_t r = 0; r < 10; ++r) {
    double norm = 0;
    for (size_t c = 0; c < 3; ++c) norm += double(unit.row(r)[c]) * unit.row(r)[c];
    EXPECT_NEAR(norm, r == 4 ? 0.0 : 1.0, 1e-6) << r;
  }
}

TEST(GeometryTransform, RejectsInputThatDoesNotFit) {
  Matrix x = random_matrix(8, 5, 46);
  EXPECT_THROW(fit_transform(x, parse_steps("pca:6"), {}), UsageError);
  EXPECT_THROW(fit_transform(x, parse_steps("pca:4,abtt:4"), {}), UsageError);
  EXPECT_THROW(fit_transform(random_matrix(3, 5, 47), parse_steps("center,pca:4"), {}), UsageError);
  x.mutable_row(6)[2] = INFINITY;
  EXPECT_THROW(fit_transform(x, parse_steps("center"), {}), UsageError);
  FittedTransform fitted = fit_transform(random_matrix(8, 5, 48), parse_steps("center,pca:2"), {});
  EXPECT_THROW(fitted.transform.apply(random_matrix(3, 4, 49)), UsageError);
  EXPECT_THROW(fitted.transform.apply(x), UsageError);  // the infinite value
}

// quantize:int8 as the last step: the output is the dequantized int8 codes (per-dimension scale
// max|x| / 127, so every value moves by at most half a scale step), quantizing that output again
// gives the same codes, and a saved transform ending in it reproduces the output bit for bit.
TEST(GeometryTransform, QuantizeInt8IsTheLastStepAndRoundTrips) {
  const Matrix x = random_matrix(40, 6, 50);
  FittedTransform fitted = fit_transform(x, parse_steps("center,quantize:int8"), {});
  ASSERT_EQ(fitted.transform.steps.size(), 2u);
  EXPECT_TRUE(fitted.transform.steps[1].quantize);
  EXPECT_EQ(fitted.output.cols(), 6u);
  const Matrix centered = fitted.transform.steps[0].apply(x);
  const Int8Matrix codes = quantize_int8(centered);
  for (size_t r = 0; r < x.rows(); ++r)
    for (size_t c = 0; c < 6; ++c) {
      EXPECT_FLOAT_EQ(fitted.output.row(r)[c], codes.scales()[c] * float(codes.row(r)[c]));
      EXPECT_LE(std::abs(fitted.output.row(r)[c] - centered.row(r)[c]), codes.scales()[c] / 2 * 1.0001f);
    }
  const Int8Matrix again = quantize_int8(fitted.output);
  for (size_t r = 0; r < x.rows(); ++r)
    EXPECT_EQ(0, std::memcmp(again.row(r), codes.row(r), 6)) << r;
  EXPECT_NE(fitted.reports[1].what.find("int8"), std::string::npos);

  testing::TempDir dir;
  const std::string path = dir.file("q.safetensors");
  save_transform(fitted.transform, path);
  const Matrix applied = load_transform(path).apply(x);
  for (size_t r = 0; r < x.rows(); ++r)
    EXPECT_EQ(0, std::memcmp(applied.row(r), fitted.output.row(r), 6 * sizeof(float))) << r;
  EXPECT_THROW(parse_steps("quantize:int8,center"), UsageError);
}

TEST(GeometryTransformFile, RejectsDamagedFiles) {
  testing::TempDir dir;
  FittedTransform fitted = fit_transform(random_matrix(30, 4, 50), parse_steps("center,pca:2"), {});
  const std::string path = dir.file("t.safetensors");
  save_transform(fitted.transform, path);
  std::string bytes = testing::read_file(path);
  std::string flipped = bytes;
  flipped[flipped.size() - 3] ^= 0x40;
  testing::write_file(path, flipped);
  EXPECT_THROW(load_transform(path), FormatError);
  testing::write_file(path, bytes.substr(0, bytes.size() - 8));
  EXPECT_THROW(load_transform(path), FormatError);
  testing::write_file(path, "5 3\nking 1 0 0\n");
  EXPECT_THROW(load_transform(path), FormatError);
  testing::write_file(path, "");
  EXPECT_THROW(load_transform(path), FormatError);
  EXPECT_THROW(load_transform(dir.file("missing.safetensors")), IoError);
}

}  // namespace
}  // namespace embkit
