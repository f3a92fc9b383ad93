// PCA and ZCA whitening (src/geometry/whitening.cc): identity covariance, ZCA's symmetry and
// closeness to the input, and finite output on constant vectors.
#include <gtest/gtest.h>

#include <cmath>

#include "embkit/error.h"
#include "embkit/whitening.h"
#include "geometry_test_util.h"

namespace embkit {
namespace {

using testing::random_matrix;
using testing::to_eigen;

// Correlated data: random rows times a fixed mixing matrix, plus an offset.
Matrix correlated(size_t n, size_t d, uint64_t seed) {
  Eigen::MatrixXd mixing = to_eigen(random_matrix(d, d, seed + 100));
  Eigen::MatrixXd x = to_eigen(random_matrix(n, d, seed, {3, 2, 1.5, 1, 0.5})) * mixing;
  x.array() += 2.0;
  return testing::from_eigen(x);
}

double squared_distance(const Matrix& a, const Eigen::MatrixXd& b) {
  double sum = 0;
  for (size_t r = 0; r < a.rows(); ++r)
    for (size_t c = 0; c < a.cols(); ++c) {
      const double diff =
          a.row(r)[c] - b(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
      sum += diff * diff;
    }
  return sum;
}

class GeometryWhitening : public ::testing::TestWithParam<WhiteningKind> {};

TEST_P(GeometryWhitening, CovarianceBecomesIdentity) {
  Matrix x = correlated(2000, 10, 1);
  const AffineMap map = fit_whitening(principal_axes(x, 2), {GetParam(), 1e-10});
  Eigen::MatrixXd cov = testing::covariance_of(to_eigen(map.apply(x, 2)));
  EXPECT_LT((cov - Eigen::MatrixXd::Identity(10, 10)).cwiseAbs().maxCoeff(), 1e-4) << cov;
  Eigen::MatrixXd y = to_eigen(map.apply(x, 2));
  EXPECT_LT(y.colwise().mean().cwiseAbs().maxCoeff(), 1e-5);
}

TEST_P(GeometryWhitening, EpsShrinksSmallDirections) {
  Matrix x = correlated(2000, 6, 2);
  const PrincipalAxes axes = principal_axes(x, 1);
  const double eps = axes.variances[5];  // the smallest direction keeps half its variance
  Eigen::MatrixXd cov =
      testing::covariance_of(to_eigen(fit_whitening(axes, {GetParam(), eps}).apply(x, 1)));
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(cov);
  EXPECT_NEAR(solver.eigenvalues()[0], 0.5, 1e-3);
  EXPECT_NEAR(solver.eigenvalues()[5], axes.variances[0] / (axes.variances[0] + eps), 1e-3);
}

TEST_P(GeometryWhitening, ConstantVectorsStayFinite) {
  Matrix x(50, 4);
  for (size_t r = 0; r < 50; ++r)
    for (size_t c = 0; c < 4; ++c) x.mutable_row(r)[c] = static_cast<float>(c) - 1.5f;
  for (double eps : {1e-5, 0.0}) {
    Matrix y = fit_whitening(principal_axes(x, 1), {GetParam(), eps}).apply(x, 1);
    for (size_t r = 0; r < 50; ++r)
      for (size_t c = 0; c < 4; ++c) ASSERT_EQ(y.row(r)[c], 0.0f) << "eps " << eps;
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, GeometryWhitening,
                         ::testing::Values(WhiteningKind::Pca, WhiteningKind::Zca));

TEST(GeometryZca, SymmetricAndClosestToTheInput) {
  Matrix x = correlated(1500, 8, 3);
  const PrincipalAxes axes = principal_axes(x, 1);
  const AffineMap zca = fit_whitening(axes, {WhiteningKind::Zca, 1e-10});
  for (size_t r = 0; r < 8; ++r)
    for (size_t c = 0; c < 8; ++c) ASSERT_EQ(zca.weights[r * 8 + c], zca.weights[c * 8 + r]);
  // Every whitening matrix is Q W_zca for an orthogonal Q; ZCA's output is the closest of them to
  // the centered input. Compare with PCA whitening and with random rotations of ZCA's output.
  Eigen::MatrixXd centered = to_eigen(x).rowwise() - to_eigen(x).colwise().mean();
  Matrix zca_out = zca.apply(x, 1);
  const double zca_distance = squared_distance(zca_out, centered);
  const double pca_distance =
      squared_distance(fit_whitening(axes, {WhiteningKind::Pca, 1e-10}).apply(x, 1), centered);
  EXPECT_LT(zca_distance, pca_distance);
  for (uint64_t seed = 0; seed < 5; ++seed) {
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(to_eigen(random_matrix(8, 8, 50 + seed)));
    Eigen::MatrixXd q = qr.householderQ();
    Eigen::MatrixXd rotated = to_eigen(zca_out) * q;
    EXPECT_LT(zca_distance, (rotated - centered).squaredNorm()) << "rotation " << seed;
  }
}

TEST(GeometryZca, RejectsNegativeEps) {
  Matrix x = random_matrix(10, 3, 4);
  EXPECT_THROW(fit_whitening(principal_axes(x), {WhiteningKind::Zca, -1.0}), UsageError);
  EXPECT_THROW(fit_whitening(principal_axes(x), {WhiteningKind::Pca, NAN}), UsageError);
}

}  // namespace
}  // namespace embkit
