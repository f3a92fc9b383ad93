// Silhouette score (src/eval/silhouette.cc) against scikit-learn 1.2.1's silhouette_score on fixed
// labellings (values computed in float64 from the same float32 points), plus sampling and errors.
#include "embkit/silhouette.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "embkit/error.h"

namespace embkit {
namespace {

Matrix twelve_points() {
  const float values[12][3] = {{1, 2, 0.5f},        {1.2f, 1.9f, 0.4f}, {0.8f, 2.2f, 0.7f},
                               {5, 5, 1},           {5.5f, 4.8f, 1.2f}, {4.9f, 5.3f, 0.8f},
                               {5.1f, 5, 1.1f},     {-3, 0.5f, 2},      {-2.7f, 0.2f, 2.4f},
                               {-3.3f, 0.9f, 1.8f}, {0.1f, -4, -1},     {2, 2, 2}};
  Matrix points(12, 3);
  for (size_t i = 0; i < 12; ++i)
    for (size_t d = 0; d < 3; ++d) points.mutable_row(i)[d] = values[i][d];
  return points;
}

SilhouetteOptions with(ClusterMetric metric) {
  SilhouetteOptions options;
  options.metric = metric;
  return options;
}

TEST(SilhouetteTest, EqualsScikitLearnEuclidean) {
  Matrix points = twelve_points();
  std::vector<uint32_t> good{0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 0};
  std::vector<uint32_t> poor{0, 1, 0, 1, 1, 2, 1, 2, 2, 0, 3, 0};
  EXPECT_NEAR(silhouette_score(points, good, with(ClusterMetric::Euclidean)), 0.7648279972708032,
              1e-6);
  EXPECT_NEAR(silhouette_score(points, poor, with(ClusterMetric::Euclidean)), 0.07784891564604977,
              1e-6);
}

TEST(SilhouetteTest, EqualsScikitLearnCosine) {
  Matrix points = twelve_points();
  std::vector<uint32_t> good{0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 0};
  std::vector<uint32_t> poor{0, 1, 0, 1, 1, 2, 1, 2, 2, 0, 3, 0};
  EXPECT_NEAR(silhouette_score(points, good, with(ClusterMetric::Cosine)), 0.5832126171934765,
              1e-6);
  EXPECT_NEAR(silhouette_score(points, poor, with(ClusterMetric::Cosine)), 0.011493893916766048,
              1e-6);
}

TEST(SilhouetteTest, LabelValuesDoNotMatterOnlyThePartition) {
  Matrix points = twelve_points();
  std::vector<uint32_t> good{0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 0};
  std::vector<uint32_t> renamed{9, 9, 9, 4, 4, 4, 4, 70, 70, 70, 1, 9};
  EXPECT_EQ(silhouette_score(points, good, with(ClusterMetric::Euclidean)),
            silhouette_score(points, renamed, with(ClusterMetric::Euclidean)));
}

TEST(SilhouetteTest, SampledScoreIsSeededAndCloseToExact) {
  std::mt19937_64 rng(4);
  std::normal_distribution<float> noise(0, 1);
  Matrix points(600, 5);
  std::vector<uint32_t> labels(600);
  for (size_t i = 0; i < 600; ++i) {
    labels[i] = static_cast<uint32_t>(i % 3);
    for (size_t d = 0; d < 5; ++d)
      points.mutable_row(i)[d] = noise(rng) + (d == labels[i] ? 4.0f : 0.0f);
  }
  SilhouetteOptions exact = with(ClusterMetric::Euclidean);
  exact.sample_size = 0;
  SilhouetteOptions sampled = exact;
  sampled.sample_size = 200;
  sampled.seed = 5;
  double full = silhouette_score(points, labels, exact);
  double part = silhouette_score(points, labels, sampled);
  EXPECT_NE(full, part);
  EXPECT_NEAR(full, part, 0.05);
  EXPECT_EQ(part, silhouette_score(points, labels, sampled));
  sampled.threads = 1;
  EXPECT_EQ(part, silhouette_score(points, labels, sampled));
  sampled.sample_size = 600;  // not above the limit: exact
  EXPECT_EQ(full, silhouette_score(points, labels, sampled));
}

TEST(SilhouetteTest, UndefinedCasesAreUsageErrors) {
  Matrix points = twelve_points();
  std::vector<uint32_t> one(12, 0), each(12);
  for (size_t i = 0; i < 12; ++i) each[i] = static_cast<uint32_t>(i);
  EXPECT_THROW(silhouette_score(points, one), UsageError);
  EXPECT_THROW(silhouette_score(points, each), UsageError);
  std::vector<uint32_t> short_labels(11, 0);
  EXPECT_THROW(silhouette_score(points, short_labels), UsageError);
}

}  // namespace
}  // namespace embkit
