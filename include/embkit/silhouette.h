// Silhouette score of a clustering (Rousseeuw 1987), the mean over rows of
//   s(i) = (b(i) - a(i)) / max(a(i), b(i)),
// a(i) the mean distance from row i to the other rows of its cluster, b(i) the smallest mean
// distance to the rows of another cluster; s(i) = 0 for a row alone in its cluster (and when a = b
// = 0). Distances are Euclidean, or cosine distances 1 - cos(x, y) (scikit-learn's silhouette_score
// with metric="euclidean" / "cosine"). Exact for up to sample_size rows: O(n^2 dim). Above that,
// like scikit-learn's sample_size, the score of a uniformly drawn subset of sample_size rows
// (seeded).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "embkit/kmeans.h"
#include "embkit/matrix.h"

namespace embkit {

struct SilhouetteOptions {
  ClusterMetric metric = ClusterMetric::Cosine;
  size_t sample_size = 10000;  // rows scored exactly at most; 0 = always exact
  uint64_t seed = 1;           // picks the sample
  int threads = 0;             // 0 = all cores
};

// Throws UsageError when labels.size() != points.rows() or the (sampled) rows do not carry between
// 2 and rows - 1 distinct labels (the score is undefined there, as in scikit-learn).
double silhouette_score(const Matrix& points, std::span<const uint32_t> labels,
                        const SilhouetteOptions& options = {});

}  // namespace embkit
