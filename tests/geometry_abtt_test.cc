// All-but-the-top (src/geometry/abtt.cc) and anisotropy (src/geometry/anisotropy.cc) on data with a
// planted common mean and planted dominant directions.
#include <gtest/gtest.h>

#include <cmath>

#include "embkit/abtt.h"
#include "embkit/anisotropy.h"
#include "embkit/error.h"
#include "geometry_test_util.h"

namespace embkit {
namespace {

using testing::random_matrix;
using testing::to_eigen;

// Isotropic N(0, 1) rows plus a common mean along e0 and two dominant directions e1, e2 with
// standard deviations 8 and 6: the shape word vectors have.
Matrix planted(size_t n, size_t d) {
  Eigen::MatrixXd x = to_eigen(random_matrix(n, d, 21, {1, 8, 6}));
  x.col(0).array() += 10.0;
  return testing::from_eigen(x);
}

TEST(GeometryAbtt, RemovesThePlantedDirectionsAndTheMean) {
  Matrix x = planted(3000, 30);
  const PrincipalAxes axes = principal_axes(x, 2);
  Matrix y = fit_all_but_the_top(axes, 2).apply(x, 2);
  Eigen::MatrixXd out = to_eigen(y);
  EXPECT_LT(out.colwise().mean().cwiseAbs().maxCoeff(), 1e-4);
  // Variance left along the planted directions: ~0 instead of 64 and 36; others stay ~1.
  Eigen::MatrixXd cov = testing::covariance_of(out);
  EXPECT_LT(cov(1, 1), 0.05);
  EXPECT_LT(cov(2, 2), 0.05);
  for (Eigen::Index c = 3; c < 30; ++c) EXPECT_NEAR(cov(c, c), 1.0, 0.15) << c;
  // Removing the top directions again from the output removes nothing large.
  EXPECT_LT(principal_axes(y, 2).variances[0], 1.3);
}

TEST(GeometryAbtt, LowersAnisotropy) {
  Matrix x = planted(2000, 30);
  const double before = anisotropy(x);
  Matrix y = fit_all_but_the_top(principal_axes(x, 2), 2).apply(x, 2);
  const double after = anisotropy(y);
  EXPECT_GT(before, 0.3);  // the common mean of 10 against unit noise in 30 dimensions
  EXPECT_LT(std::abs(after), 0.02);
}

TEST(GeometryAbtt, RejectsBadCounts) {
  const PrincipalAxes axes = principal_axes(random_matrix(10, 4, 22));
  EXPECT_THROW(fit_all_but_the_top(axes, 0), UsageError);
  EXPECT_THROW(fit_all_but_the_top(axes, 4), UsageError);
  EXPECT_THROW(fit_all_but_the_top(principal_axes(random_matrix(3, 8, 23)), 3), UsageError);
}

TEST(GeometryAnisotropy, AllPairsForSmallInputsEqualsTheDefinition) {
  Matrix x = random_matrix(40, 5, 24);
  x.mutable_row(7)[0] = x.mutable_row(7)[1] = x.mutable_row(7)[2] = x.mutable_row(7)[3] =
      x.mutable_row(7)[4] = 0;  // a zero row counts as cosine 0
  Eigen::MatrixXd m = to_eigen(x);
  double sum = 0;
  size_t pairs = 0;
  for (Eigen::Index i = 0; i < 40; ++i)
    for (Eigen::Index j = i + 1; j < 40; ++j, ++pairs) {
      const double norms = m.row(i).norm() * m.row(j).norm();
      sum += norms > 0 ? m.row(i).dot(m.row(j)) / norms : 0.0;
    }
  EXPECT_NEAR(anisotropy(x), sum / static_cast<double>(pairs), 1e-12);
}

TEST(GeometryAnisotropy, SampledPairsAreSeededAndEstimateTheMean) {
  Eigen::MatrixXd m = to_eigen(random_matrix(5000, 20, 25));
  m.array() += 1.0;  // every coordinate shares mean 1: cosine about 20 / (20 + 20) = 0.5
  Matrix x = testing::from_eigen(m);
  const double a = anisotropy(x, {10000, 7, 1});
  EXPECT_EQ(a, anisotropy(x, {10000, 7, 3}));
  EXPECT_NE(a, anisotropy(x, {10000, 8, 1}));
  EXPECT_NEAR(a, 0.5, 0.03);
  EXPECT_NEAR(anisotropy(random_matrix(5000, 20, 26)), 0.0, 0.01);
  EXPECT_EQ(anisotropy(random_matrix(1, 20, 27)), 0.0);
}

}  // namespace
}  // namespace embkit
