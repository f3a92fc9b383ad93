// k-means clustering of the rows of a matrix: Lloyd's iterations (Lloyd 1982) from k-means++ seeds
// (Arthur and Vassilvitskii 2007), best of `restarts` runs by inertia.
//
// Objective (inertia): sum over rows x of ||x - c(x)||^2, c(x) the centroid of x's cluster.
// Seeding is the greedy k-means++ variant: the first centre is a uniformly random row; each further
// centre is the best (lowest resulting inertia) of 2 + floor(ln k) rows drawn with probability
// proportional to D(x)^2, the squared distance to the closest centre chosen so far.
// Stopping: labels unchanged, or the summed squared centre shift at most tol * (mean per-feature
// variance of the data), or max_iterations reached; the labels are then recomputed for the final
// centres, so labels, centroids and inertia agree.
// Empty clusters take the rows farthest from their current centroids.
//
// Metric Cosine is spherical k-means (Dhillon and Modha 2001): rows are scaled to unit length and
// every centroid is the normalised mean of its rows, so assignment maximises cosine similarity;
// inertia is then sum ||x/|x| - c||^2 = 2 * sum (1 - cos(x, c)). It is the default because word
// vectors are compared by cosine everywhere else (neighbours, analogies) and their lengths mostly
// reflect word frequency, which Euclidean k-means would turn into clusters of rare or frequent
// words. Metric Euclidean is plain k-means on the rows as given (scikit-learn's KMeans).
//
// Determinism: the result depends only on the data and the options apart from `threads`: distances
// come from the exact-search kernels (the same for any thread count), and every sum is taken over
// fixed chunks in a fixed order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "embkit/matrix.h"

namespace embkit {

enum class ClusterMetric { Cosine, Euclidean };

struct KMeansOptions {
  size_t k = 8;                                  // clusters; 1 <= k <= rows
  ClusterMetric metric = ClusterMetric::Cosine;  // see the file comment
  size_t restarts = 1;  // independent seedings (scikit-learn's n_init); the lowest inertia wins
  size_t max_iterations = 300;  // Lloyd iterations per restart
  double tol = 1e-4;            // relative centre-shift tolerance (scikit-learn's tol); 0 = none
  uint64_t seed = 1;
  int threads = 0;  // 0 = all cores
  // Called after every Lloyd iteration: restart (from 0), iteration (from 1), the inertia of the
  // assignment just made.
  std::function<void(size_t restart, size_t iteration, double inertia)> on_iteration;
};

struct KMeansResult {
  Matrix centroids;              // k x dim; unit rows (or zero) under Cosine
  std::vector<uint32_t> labels;  // cluster of every row
  std::vector<float> distances;  // squared distance of every row to its centroid
  std::vector<size_t> sizes;     // rows per cluster
  double inertia = 0;            // sum of squared distances, recomputed in double
  size_t iterations = 0;         // Lloyd iterations of the kept restart
  size_t restart = 0;            // which restart was kept
  bool converged = false;        // the kept restart stopped before max_iterations
};

// Clusters the rows. Throws UsageError for k = 0, k > rows, restarts = 0, negative tol or a
// non-finite value (naming the row).
KMeansResult kmeans(const Matrix& points, const KMeansOptions& options);

// Inertia of a given assignment: sum of ||points[i] - centroids[labels[i]]||^2 in double (rows as
// given; scale them first for the cosine objective). Throws UsageError on mismatched dimensions,
// a label count other than points.rows(), or a label >= centroids.rows().
double inertia(const Matrix& points, const Matrix& centroids, std::span<const uint32_t> labels);

// For every cluster, up to `count` of its rows closest to its centroid, closest first (ties by
// row).
std::vector<std::vector<uint32_t>> central_rows(const KMeansResult& result, size_t count);

}  // namespace embkit
