// Random projections and the Johnson-Lindenstrauss dimension (src/geometry/random_projection.cc):
// the distortion of pairwise squared distances at jl_min_dim, the entry distributions, seeding.
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "embkit/error.h"
#include "embkit/random_projection.h"
#include "geometry_test_util.h"

namespace embkit {
namespace {

using testing::random_matrix;

double max_squared_distance_distortion(const Matrix& x, const Matrix& y) {
  double worst = 0;
  for (size_t i = 0; i < x.rows(); ++i)
    for (size_t j = i + 1; j < x.rows(); ++j) {
      double before = 0, after = 0;
      for (size_t c = 0; c < x.cols(); ++c)
        before += std::pow(double(x.row(i)[c]) - x.row(j)[c], 2);
      for (size_t c = 0; c < y.cols(); ++c) after += std::pow(double(y.row(i)[c]) - y.row(j)[c], 2);
      worst = std::max(worst, std::abs(after / before - 1));
    }
  return worst;
}

class GeometryRandomProjection
    : public ::testing::TestWithParam<std::tuple<RandomProjectionKind, double>> {};

TEST_P(GeometryRandomProjection, KeepsSquaredDistancesWithinEpsAtTheJlDimension) {
  const auto [kind, eps] = GetParam();
  Matrix x = random_matrix(200, 1000, 31);
  const size_t k = jl_min_dim(200, eps);
  Matrix y = random_projection(1000, {k, kind, 5}).apply(x, 2);
  ASSERT_EQ(y.cols(), k);
  const double distortion = max_squared_distance_distortion(x, y);
  EXPECT_LT(distortion, eps) << random_projection_kind_name(kind) << " K=" << k;
  EXPECT_GT(distortion, eps / 10) << "suspiciously exact: is the projection random at all?";
}

INSTANTIATE_TEST_SUITE_P(KindsAndEps, GeometryRandomProjection,
                         ::testing::Combine(::testing::Values(RandomProjectionKind::Gaussian,
                                                              RandomProjectionKind::Sparse,
                                                              RandomProjectionKind::VerySparse),
                                            ::testing::Values(0.3, 0.5)));

TEST(GeometryRandomProjectionMatrix, EntriesHaveTheDocumentedDistribution) {
  const size_t k = 200, d = 400;
  for (RandomProjectionKind kind : {RandomProjectionKind::Gaussian, RandomProjectionKind::Sparse,
                                    RandomProjectionKind::VerySparse}) {
    const AffineMap map = random_projection(d, {k, kind, 9});
    EXPECT_TRUE(map.shift.empty());
    double sum = 0, squares = 0;
    size_t nonzero = 0;
    const double density = random_projection_density(kind, d);
    for (float w : map.weights) {
      sum += w;
      squares += double(w) * w;
      if (w != 0) {
        ++nonzero;
        if (kind != RandomProjectionKind::Gaussian) {
          ASSERT_NEAR(std::abs(w), std::sqrt(1.0 / (density * k)), 1e-6);
        }
      }
    }
    const double count = static_cast<double>(map.weights.size());
    EXPECT_NEAR(nonzero / count, density, 0.01) << random_projection_kind_name(kind);
    EXPECT_NEAR(squares / count, 1.0 / k, 0.03 / k) << random_projection_kind_name(kind);
    EXPECT_NEAR(sum / count, 0.0, 0.05 / std::sqrt(double(k)));
  }
  EXPECT_DOUBLE_EQ(random_projection_density(RandomProjectionKind::Sparse, d), 1.0 / 3);
  EXPECT_DOUBLE_EQ(random_projection_density(RandomProjectionKind::VerySparse, d), 0.05);
}

TEST(GeometryRandomProjectionMatrix, ReproducibleFromTheSeed) {
  for (RandomProjectionKind kind : {RandomProjectionKind::Gaussian, RandomProjectionKind::Sparse,
                                    RandomProjectionKind::VerySparse}) {
    EXPECT_EQ(random_projection(50, {10, kind, 3}).weights,
              random_projection(50, {10, kind, 3}).weights);
    EXPECT_NE(random_projection(50, {10, kind, 3}).weights,
              random_projection(50, {10, kind, 4}).weights);
  }
  EXPECT_THROW(random_projection(50, {0, RandomProjectionKind::Gaussian, 1}), UsageError);
  EXPECT_THROW(parse_random_projection_kind("dense"), UsageError);
}

TEST(GeometryJl, MatchesTheFormula) {
  // ceil(4 ln n / (eps^2/2 - eps^3/3)); scikit-learn truncates (588 and 254 here).
  EXPECT_EQ(jl_min_dim(200, 0.3), 589u);
  EXPECT_EQ(jl_min_dim(200, 0.5), 255u);
  EXPECT_EQ(jl_min_dim(1000000, 0.1), 11842u);
  EXPECT_EQ(jl_min_dim(1, 0.5), 0u);
  for (uint64_t n : {2ull, 17ull, 100000ull})
    for (double eps : {0.05, 0.2, 0.9}) {
      const double exact = 4 * std::log(double(n)) / (eps * eps / 2 - eps * eps * eps / 3);
      EXPECT_EQ(jl_min_dim(n, eps), static_cast<size_t>(std::ceil(exact)));
    }
}

TEST(GeometryJl, RejectsBadArguments) {
  EXPECT_THROW(jl_min_dim(100, 0.0), UsageError);
  EXPECT_THROW(jl_min_dim(100, 1.0), UsageError);
  EXPECT_THROW(jl_min_dim(100, -0.5), UsageError);
  EXPECT_THROW(jl_min_dim(100, NAN), UsageError);
  EXPECT_THROW(jl_min_dim(0, 0.5), UsageError);
}

}  // namespace
}  // namespace embkit
