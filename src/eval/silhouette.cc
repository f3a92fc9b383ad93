// Silhouette score (embkit/silhouette.h). Every sampled row computes its distances to all others
// with the SIMD kernels (one thread per row range; the row's sums are its own, so no locking) and
// the per-row scores are averaged in row order: the score does not depend on the thread count.
#include "embkit/silhouette.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "core/threads.h"
#include "embkit/error.h"
#include "embkit/kernels.h"
#include "kernels/kernel_table.h"

namespace embkit {
namespace {

// The rows to score: all of them, or a seeded uniform sample (partial Fisher-Yates), in row order.
std::vector<uint32_t> chosen_rows(size_t rows, const SilhouetteOptions& options) {
  std::vector<uint32_t> ids(rows);
  std::iota(ids.begin(), ids.end(), 0u);
  if (options.sample_size == 0 || rows <= options.sample_size) return ids;
  std::mt19937_64 rng(options.seed);
  for (size_t i = 0; i < options.sample_size; ++i) {
    size_t j = i + static_cast<size_t>(rng() % (rows - i));
    std::swap(ids[i], ids[j]);
  }
  ids.resize(options.sample_size);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The chosen rows copied together (scaled to unit length for cosine distances).
Matrix gather(const Matrix& points, const std::vector<uint32_t>& ids, bool unit) {
  Matrix out(ids.size(), points.cols());
  for (size_t i = 0; i < ids.size(); ++i) {
    const float* row = points.row(ids[i]);
    float scale = 1.0f;
    if (unit) {
      double norm = std::sqrt(kernels::sum_squares(row, points.cols()));
      scale = norm > 0 ? static_cast<float>(1.0 / norm) : 0.0f;
    }
    for (size_t d = 0; d < points.cols(); ++d) out.mutable_row(i)[d] = row[d] * scale;
  }
  return out;
}

// The labels of the chosen rows renumbered 0, 1, ... over the distinct values present.
std::vector<uint32_t> dense_labels(std::span<const uint32_t> labels,
                                   const std::vector<uint32_t>& ids, size_t& distinct_count) {
  std::vector<uint32_t> sampled(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) sampled[i] = labels[ids[i]];
  std::vector<uint32_t> distinct = sampled;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (uint32_t& label : sampled)
    label = static_cast<uint32_t>(std::lower_bound(distinct.begin(), distinct.end(), label) -
                                  distinct.begin());
  distinct_count = distinct.size();
  return sampled;
}

}  // namespace

double silhouette_score(const Matrix& points, std::span<const uint32_t> labels,
                        const SilhouetteOptions& options) {
  if (labels.size() != points.rows())
    throw UsageError(
        fmt::format("silhouette: {} labels for {} rows", labels.size(), points.rows()));
  const std::vector<uint32_t> ids = chosen_rows(points.rows(), options);
  const bool cosine = options.metric == ClusterMetric::Cosine;
  const Matrix rows = gather(points, ids, cosine);
  const size_t n = ids.size();
  size_t clusters = 0;
  const std::vector<uint32_t> cluster = dense_labels(labels, ids, clusters);
  if (clusters < 2 || clusters >= n)
    throw UsageError(fmt::format(
        "silhouette needs 2 to rows - 1 clusters; {} rows carry {} distinct labels", n, clusters));
  std::vector<size_t> sizes(clusters, 0);
  for (uint32_t c : cluster) ++sizes[c];

  const kernels::KernelTable& table = kernels::active_kernels();
  std::vector<double> score(n, 0.0);
  const int threads = resolve_threads(options.threads);
#pragma omp parallel num_threads(threads)
  {
    std::vector<double> sum(clusters);
#pragma omp for schedule(dynamic, 16)
    for (size_t i = 0; i < n; ++i) {
      std::fill(sum.begin(), sum.end(), 0.0);
      const float* x = rows.row(i);
      for (size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        double distance =
            cosine ? std::clamp(1.0 - static_cast<double>(table.dot(x, rows.row(j), rows.cols())),
                                0.0, 2.0)
                   : std::sqrt(static_cast<double>(table.squared_l2(x, rows.row(j), rows.cols())));
        sum[cluster[j]] += distance;
      }
      const size_t own = cluster[i];
      if (sizes[own] < 2) continue;  // a row alone in its cluster scores 0
      double a = sum[own] / static_cast<double>(sizes[own] - 1);
      double b = std::numeric_limits<double>::infinity();
      for (size_t c = 0; c < clusters; ++c)
        if (c != own) b = std::min(b, sum[c] / static_cast<double>(sizes[c]));
      double larger = std::max(a, b);
      score[i] = larger > 0 ? (b - a) / larger : 0.0;
    }
  }
  return std::accumulate(score.begin(), score.end(), 0.0) / static_cast<double>(n);
}

}  // namespace embkit
