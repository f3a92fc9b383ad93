// PCA (src/geometry/pca.cc) against an SVD of the centered data computed here with Eigen's BDCSVD:
// components, explained variance and projections, on random and planted low-rank data.
#include <gtest/gtest.h>

#include <cmath>

#include "embkit/error.h"
#include "embkit/pca.h"
#include "geometry_test_util.h"

namespace embkit {
namespace {

using testing::from_eigen;
using testing::random_matrix;
using testing::to_eigen;

struct Reference {
  Eigen::VectorXd mean;
  Eigen::MatrixXd components;  // rows
  Eigen::VectorXd variance;
};

Reference svd_reference(const Matrix& x) {
  Eigen::MatrixXd m = to_eigen(x);
  Reference ref;
  ref.mean = m.colwise().mean().transpose();
  Eigen::MatrixXd centered = m.rowwise() - ref.mean.transpose();
  Eigen::BDCSVD<Eigen::MatrixXd> svd(centered, Eigen::ComputeThinV);
  ref.components = svd.matrixV().transpose();
  ref.variance = svd.singularValues().array().square() / static_cast<double>(m.rows() - 1);
  return ref;
}

// Rows (n x 3 latent) times an orthonormal 3 x d basis, scaled 5, 3, 2, plus small noise and an
// offset: three planted directions holding nearly all the variance.
Matrix planted_low_rank(size_t n, size_t d, Eigen::MatrixXd* basis) {
  Eigen::MatrixXd random = to_eigen(random_matrix(d, 3, 11));
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(random);
  *basis =
      (qr.householderQ() * Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(d), 3)).transpose();
  Eigen::MatrixXd latent = to_eigen(random_matrix(n, 3, 12, {5, 3, 2}));
  Eigen::MatrixXd noise = to_eigen(random_matrix(n, d, 13)) * 0.01;
  Eigen::MatrixXd x = latent * *basis + noise;
  x.array() += 7.0;
  return from_eigen(x);
}

void expect_matches_reference(const Matrix& x, size_t k) {
  const Reference ref = svd_reference(x);
  const Pca pca = fit_pca(x, k, 2);
  ASSERT_EQ(pca.components(), k);
  const size_t d = x.cols();
  for (size_t c = 0; c < d; ++c) EXPECT_NEAR(pca.projection.shift[c], ref.mean[c], 1e-5);
  const double total = ref.variance.sum();
  for (size_t i = 0; i < k; ++i) {
    const auto row = static_cast<Eigen::Index>(i);
    EXPECT_NEAR(pca.explained_variance[i], ref.variance[row], 1e-6 * ref.variance[0]) << i;
    EXPECT_NEAR(pca.explained_variance_ratio[i], ref.variance[row] / total, 1e-6) << i;
    double dot = 0;
    for (size_t c = 0; c < d; ++c)
      dot += pca.projection.weights[i * d + c] * ref.components(row, c);
    EXPECT_NEAR(std::abs(dot), 1.0, 1e-5) << "component " << i << " differs from the SVD's";
  }
  // Projections equal the SVD's (x - mean) V^T, up to the sign of each component.
  Matrix projected = pca.projection.apply(x, 2);
  Eigen::MatrixXd expected = (to_eigen(x).rowwise() - ref.mean.transpose()) *
                             ref.components.topRows(static_cast<Eigen::Index>(k)).transpose();
  for (size_t i = 0; i < k; ++i) {
    double dot = 0;
    for (size_t c = 0; c < d; ++c)
      dot += pca.projection.weights[i * d + c] * ref.components(static_cast<Eigen::Index>(i), c);
    const double sign = dot < 0 ? -1.0 : 1.0;
    for (size_t r = 0; r < x.rows(); ++r)
      ASSERT_NEAR(projected.row(r)[i],
                  sign * expected(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(i)),
                  2e-4 * std::sqrt(ref.variance[0]))
          << "row " << r << " component " << i;
  }
}

TEST(GeometryPca, MatchesSvdOnRandomData) {
  expect_matches_reference(
      random_matrix(400, 12, 1, {9, 7, 5, 4, 3, 2.5, 2, 1.5, 1.2, 1, 0.8, 0.5}), 6);
}

TEST(GeometryPca, MatchesSvdOnPlantedLowRankData) {
  Eigen::MatrixXd basis;
  Matrix x = planted_low_rank(600, 40, &basis);
  expect_matches_reference(x, 5);
  const PrincipalAxes axes = principal_axes(x, 2);
  // The top three axes span the planted basis; together they explain nearly all the variance.
  double ratio = 0;
  for (size_t i = 0; i < 3; ++i) {
    ratio += axes.explained_variance_ratio(i);
    Eigen::VectorXd axis = Eigen::Map<const Eigen::VectorXd>(axes.axis(i), 40);
    EXPECT_NEAR((basis * axis).norm(), 1.0, 1e-4) << "axis " << i << " leaves the planted space";
  }
  EXPECT_GT(ratio, 0.999);
  EXPECT_NEAR(axes.variances[0], 25.0, 25.0 * 0.2);  // latent scale 5, sampling error of 600 rows
  EXPECT_LT(axes.variances[3], 2e-4);                // noise 0.01^2
}

TEST(GeometryPca, LargestLoadingIsPositive) {
  const PrincipalAxes axes = principal_axes(random_matrix(300, 10, 3, {5, 4, 3, 2, 1}), 1);
  for (size_t i = 0; i < axes.dim; ++i) {
    size_t largest = 0;
    for (size_t c = 1; c < axes.dim; ++c)
      if (std::abs(axes.axis(i)[c]) > std::abs(axes.axis(i)[largest])) largest = c;
    EXPECT_GT(axes.axis(i)[largest], 0.0) << "axis " << i;
  }
}

TEST(GeometryPca, ThreadCountDoesNotChangeTheBits) {
  Matrix x = random_matrix(20000, 24, 4, {3, 2, 1});  // several stripes
  const PrincipalAxes one = principal_axes(x, 1), four = principal_axes(x, 4);
  EXPECT_EQ(one.mean, four.mean);
  EXPECT_EQ(one.variances, four.variances);
  EXPECT_EQ(one.axes, four.axes);
}

TEST(GeometryPca, InverseOfAllComponentsReconstructs) {
  Matrix x = random_matrix(100, 8, 5, {4, 3, 2, 1});
  const Pca pca = fit_pca(x, 8, 1);
  Matrix back = pca.inverse(pca.projection.apply(x, 1), 1);
  for (size_t r = 0; r < x.rows(); ++r)
    for (size_t c = 0; c < x.cols(); ++c) ASSERT_NEAR(back.row(r)[c], x.row(r)[c], 1e-4);
}

TEST(GeometryPca, RejectsBadComponentCountsAndInput) {
  Matrix x = random_matrix(5, 4, 6);
  EXPECT_THROW(fit_pca(x, 0), UsageError);
  try {
    fit_pca(x, 5);
    FAIL() << "k > dim accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("dimension 4"), std::string::npos) << e.what();
  }
  Matrix wide = random_matrix(3, 10, 7);
  try {
    fit_pca(wide, 4);
    FAIL() << "k > n accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("3 vectors"), std::string::npos) << e.what();
  }
  EXPECT_THROW(principal_axes(random_matrix(1, 4, 8)), UsageError);
  x.mutable_row(2)[1] = std::nanf("");
  try {
    principal_axes(x);
    FAIL() << "NaN accepted";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "vector 3, value 2 is not finite");
  }
}

}  // namespace
}  // namespace embkit
