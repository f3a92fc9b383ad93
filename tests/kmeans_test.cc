// k-means (src/geometry/kmeans.cc): planted blobs are recovered exactly, inertia is the formula,
// results are bit-identical across runs and thread counts, and bad input is rejected.
#include "embkit/kmeans.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "embkit/error.h"

namespace embkit {
namespace {

struct Blobs {
  Matrix points;
  std::vector<uint32_t> truth;
};

// `clusters` Gaussian blobs (sigma 0.5) around centres drawn in [-10, 10]^dim; with `scaled`, every
// point is then multiplied by a random factor in [0.5, 5] (same directions, different lengths).
Blobs make_blobs(size_t clusters, size_t per_cluster, size_t dim, uint64_t seed,
                 bool scaled = false) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> centre(-10, 10), factor(0.5f, 5.0f);
  std::normal_distribution<float> noise(0, 0.5f);
  std::vector<std::vector<float>> centres(clusters, std::vector<float>(dim));
  for (auto& c : centres)
    for (float& v : c) v = centre(rng);
  Blobs blobs{Matrix(clusters * per_cluster, dim), {}};
  for (size_t i = 0; i < clusters * per_cluster; ++i) {
    size_t c = i % clusters;  // interleaved, so cluster ids are not row ranges
    float scale = scaled ? factor(rng) : 1.0f;
    for (size_t d = 0; d < dim; ++d)
      blobs.points.mutable_row(i)[d] = scale * (centres[c][d] + noise(rng));
    blobs.truth.push_back(static_cast<uint32_t>(c));
  }
  return blobs;
}

// True when the two labellings are the same partition (a bijection between label values).
bool same_partition(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.size() != b.size()) return false;
  std::map<uint32_t, uint32_t> forward, backward;
  for (size_t i = 0; i < a.size(); ++i) {
    auto [f, f_new] = forward.emplace(a[i], b[i]);
    auto [g, g_new] = backward.emplace(b[i], a[i]);
    if (f->second != b[i] || g->second != a[i]) return false;
  }
  return true;
}

double formula_inertia(const Matrix& points, const Matrix& centroids,
                       const std::vector<uint32_t>& labels) {
  double total = 0;
  for (size_t i = 0; i < points.rows(); ++i)
    for (size_t d = 0; d < points.cols(); ++d) {
      double diff = double(points.row(i)[d]) - centroids.row(labels[i])[d];
      total += diff * diff;
    }
  return total;
}

KMeansOptions euclidean(size_t k, uint64_t seed = 7) {
  KMeansOptions options;
  options.k = k;
  options.metric = ClusterMetric::Euclidean;
  options.seed = seed;
  return options;
}

TEST(KMeansTest, RecoversPlantedBlobsExactly) {
  Blobs blobs = make_blobs(5, 120, 16, 42);
  KMeansResult result = kmeans(blobs.points, euclidean(5));
  EXPECT_TRUE(same_partition(result.labels, blobs.truth));
  EXPECT_TRUE(result.converged);
  for (size_t size : result.sizes) EXPECT_EQ(size, 120u);
  EXPECT_EQ(result.centroids.rows(), 5u);
  EXPECT_EQ(result.centroids.cols(), 16u);
}

TEST(KMeansTest, CosineClustersDirectionsNotLengths) {
  Blobs blobs = make_blobs(4, 100, 12, 3, /*scaled=*/true);
  KMeansOptions options;
  options.k = 4;  // default metric: cosine
  KMeansResult result = kmeans(blobs.points, options);
  EXPECT_TRUE(same_partition(result.labels, blobs.truth));
  for (size_t c = 0; c < 4; ++c) {
    double norm = 0;
    for (size_t d = 0; d < 12; ++d)
      norm += double(result.centroids.row(c)[d]) * result.centroids.row(c)[d];
    EXPECT_NEAR(norm, 1.0, 1e-5);
  }
  // Inertia is measured on the unit rows: 2 * sum(1 - cos).
  double expected = 0;
  for (size_t i = 0; i < blobs.points.rows(); ++i) {
    double dot = 0, norm = 0;
    for (size_t d = 0; d < 12; ++d) {
      dot += double(blobs.points.row(i)[d]) * result.centroids.row(result.labels[i])[d];
      norm += double(blobs.points.row(i)[d]) * blobs.points.row(i)[d];
    }
    expected += 2 * (1 - dot / std::sqrt(norm));
  }
  EXPECT_NEAR(result.inertia, expected, 1e-4 * expected + 1e-6);
  // Euclidean k-means on the same rows is pulled apart by the lengths.
  EXPECT_FALSE(same_partition(kmeans(blobs.points, euclidean(4)).labels, blobs.truth));
}

TEST(KMeansTest, InertiaIsTheFormula) {
  Blobs blobs = make_blobs(6, 50, 9, 11);
  KMeansResult result = kmeans(blobs.points, euclidean(6));
  EXPECT_NEAR(result.inertia, formula_inertia(blobs.points, result.centroids, result.labels),
              1e-9 * result.inertia);
  double from_distances = 0;
  for (float d : result.distances) from_distances += d;
  EXPECT_NEAR(result.inertia, from_distances, 1e-4 * result.inertia);
  // A fixed, deliberately bad assignment.
  std::vector<uint32_t> labels(blobs.points.rows());
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<uint32_t>((i * 7) % 6);
  EXPECT_DOUBLE_EQ(inertia(blobs.points, result.centroids, labels),
                   formula_inertia(blobs.points, result.centroids, labels));
  // Hand value: (0,0) and (3,4) against centroid (0,0): 0 + 25.
  Matrix two(2, 2), centre(1, 2);
  two.mutable_row(1)[0] = 3;
  two.mutable_row(1)[1] = 4;
  std::vector<uint32_t> zero{0, 0};
  EXPECT_DOUBLE_EQ(inertia(two, centre, zero), 25.0);
}

TEST(KMeansTest, BitIdenticalAcrossRunsAndThreadCounts) {
  Blobs blobs = make_blobs(8, 300, 20, 5);
  KMeansOptions options = euclidean(10, 99);
  options.restarts = 2;
  options.threads = 1;
  KMeansResult one = kmeans(blobs.points, options);
  KMeansResult again = kmeans(blobs.points, options);
  options.threads = 2;
  KMeansResult two = kmeans(blobs.points, options);
  options.threads = 3;
  KMeansResult three = kmeans(blobs.points, options);
  for (const KMeansResult* other : {&again, &two, &three}) {
    EXPECT_EQ(one.labels, other->labels);
    EXPECT_EQ(one.inertia, other->inertia);
    EXPECT_EQ(one.iterations, other->iterations);
    for (size_t c = 0; c < 10; ++c)
      for (size_t d = 0; d < 20; ++d)
        ASSERT_EQ(one.centroids.row(c)[d], other->centroids.row(c)[d]);
  }
}

TEST(KMeansTest, RestartsKeepTheLowestInertia) {
  Blobs blobs = make_blobs(12, 40, 6, 8);
  KMeansOptions options = euclidean(12, 3);
  std::vector<double> single;
  double best = 0;
  options.restarts = 6;
  std::vector<size_t> seen_restarts;
  options.on_iteration = [&](size_t restart, size_t, double) {
    if (seen_restarts.empty() || seen_restarts.back() != restart) seen_restarts.push_back(restart);
  };
  KMeansResult many = kmeans(blobs.points, options);
  EXPECT_EQ(seen_restarts, (std::vector<size_t>{0, 1, 2, 3, 4, 5}));
  options.on_iteration = nullptr;
  options.restarts = 1;
  best = kmeans(blobs.points, options).inertia;  // restart 0 is the same run
  EXPECT_LE(many.inertia, best);
}

TEST(KMeansTest, MaxIterationsAndTolerance) {
  Blobs blobs = make_blobs(10, 60, 8, 21);
  KMeansOptions options = euclidean(14, 2);
  options.max_iterations = 1;
  KMeansResult once = kmeans(blobs.points, options);
  EXPECT_EQ(once.iterations, 1u);
  EXPECT_FALSE(once.converged);
  // Labels and distances belong to the final centroids even when stopped early.
  EXPECT_NEAR(once.inertia, formula_inertia(blobs.points, once.centroids, once.labels),
              1e-9 * once.inertia);
  options.max_iterations = 300;
  options.tol = 0;
  KMeansResult exact = kmeans(blobs.points, options);
  EXPECT_TRUE(exact.converged);  // labels stopped changing
  EXPECT_LE(exact.inertia, once.inertia);
}

TEST(KMeansTest, IdenticalPointsNeitherLoopNorNaN) {
  Matrix points(50, 4);
  for (size_t i = 0; i < 50; ++i)
    for (size_t d = 0; d < 4; ++d) points.mutable_row(i)[d] = 1.5f + d;
  for (ClusterMetric metric : {ClusterMetric::Euclidean, ClusterMetric::Cosine}) {
    KMeansOptions options;
    options.k = 3;
    options.metric = metric;
    options.restarts = 2;
    KMeansResult result = kmeans(points, options);
    EXPECT_EQ(result.inertia, 0.0);
    EXPECT_LE(result.iterations, 2u);
    for (size_t c = 0; c < 3; ++c)
      for (size_t d = 0; d < 4; ++d) EXPECT_TRUE(std::isfinite(result.centroids.row(c)[d]));
    size_t total = 0;
    for (size_t size : result.sizes) total += size;
    EXPECT_EQ(total, 50u);
  }
}

TEST(KMeansTest, AllZeroRowsUnderCosine) {
  Matrix points(10, 3);  // zero vectors have no direction; they must not produce NaN
  KMeansOptions options;
  options.k = 2;
  KMeansResult result = kmeans(points, options);
  EXPECT_EQ(result.inertia, 0.0);
  for (size_t c = 0; c < 2; ++c)
    for (size_t d = 0; d < 3; ++d) EXPECT_EQ(result.centroids.row(c)[d], 0.0f);
}

TEST(KMeansTest, KEqualToRowsGivesZeroInertia) {
  Blobs blobs = make_blobs(3, 4, 5, 1);
  KMeansResult result = kmeans(blobs.points, euclidean(12));
  EXPECT_NEAR(result.inertia, 0.0, 1e-9);
  std::set<uint32_t> distinct(result.labels.begin(), result.labels.end());
  EXPECT_EQ(distinct.size(), 12u);
}

TEST(KMeansTest, EmptyClustersAreReseeded) {
  // Three tight pairs far apart plus k = 5: k-means++ may seed two centres in one pair; every
  // cluster must still end non-empty because empty ones take the farthest rows.
  Matrix points(6, 1);
  const float values[] = {0, 0.1f, 100, 100.1f, 200, 200.1f};
  for (size_t i = 0; i < 6; ++i) points.mutable_row(i)[0] = values[i];
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    KMeansResult result = kmeans(points, euclidean(5, seed));
    for (size_t size : result.sizes) EXPECT_GT(size, 0u) << "seed " << seed;
    EXPECT_NEAR(result.inertia, 0.005, 1e-4) << "seed " << seed;  // one pair shares a centroid
  }
}

TEST(KMeansTest, CentralRowsAreClosestFirst) {
  Blobs blobs = make_blobs(3, 30, 4, 17);
  KMeansResult result = kmeans(blobs.points, euclidean(3));
  auto central = central_rows(result, 5);
  ASSERT_EQ(central.size(), 3u);
  for (size_t c = 0; c < 3; ++c) {
    ASSERT_EQ(central[c].size(), 5u);
    for (size_t j = 0; j < 5; ++j) {
      EXPECT_EQ(result.labels[central[c][j]], c);
      if (j) {
        EXPECT_LE(result.distances[central[c][j - 1]], result.distances[central[c][j]]);
      }
    }
    float fifth = result.distances[central[c][4]];
    for (size_t i = 0; i < result.labels.size(); ++i)
      if (result.labels[i] == c &&
          std::find(central[c].begin(), central[c].end(), i) == central[c].end()) {
        EXPECT_GE(result.distances[i], fifth);
      }
  }
}

TEST(KMeansTest, BadInputIsAUsageError) {
  Blobs blobs = make_blobs(2, 3, 4, 1);
  EXPECT_THROW(kmeans(blobs.points, euclidean(0)), UsageError);
  EXPECT_THROW(kmeans(blobs.points, euclidean(7)), UsageError);  // k > rows
  KMeansOptions no_restarts = euclidean(2);
  no_restarts.restarts = 0;
  EXPECT_THROW(kmeans(blobs.points, no_restarts), UsageError);
  Matrix nan_rows = blobs.points.clone();
  nan_rows.mutable_row(4)[2] = std::nanf("");
  try {
    kmeans(nan_rows, euclidean(2));
    ADD_FAILURE() << "NaN accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("row 4"), std::string::npos) << e.what();
  }
  Matrix centroids(2, 3);  // dimension 3, rows have 4
  std::vector<uint32_t> labels(6, 0);
  EXPECT_THROW(inertia(blobs.points, centroids, labels), UsageError);
  Matrix good(2, 4);
  labels.pop_back();
  EXPECT_THROW(inertia(blobs.points, good, labels), UsageError);
  labels.push_back(2);  // no centroid 2
  EXPECT_THROW(inertia(blobs.points, good, labels), UsageError);
}

}  // namespace
}  // namespace embkit
