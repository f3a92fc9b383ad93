#include "geometry/tsne_affinities.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/threads.h"
#include "embkit/error.h"
#include "embkit/kernels.h"
#include "embkit/exact_search.h"
#include "embkit/tsne.h"

namespace embkit {
namespace tsne_detail {

double calibrate_row(const double* squared_distances, size_t m, double perplexity, double* p) {
  const double target = std::log(perplexity);
  double nearest = std::numeric_limits<double>::infinity();
  for (size_t j = 0; j < m; ++j) nearest = std::min(nearest, squared_distances[j]);
  double beta = 1, low = 0, high = std::numeric_limits<double>::infinity();
  double sum = 0;
  // 200 halvings take beta anywhere a double can reach; the tolerance is far below what tests ask.
  for (int step = 0; step < 200; ++step) {
    sum = 0;
    double weighted = 0;
    for (size_t j = 0; j < m; ++j) {
      const double shifted = squared_distances[j] - nearest;
      p[j] = std::exp(-beta * shifted);
      sum += p[j];
      weighted += shifted * p[j];
    }
    const double entropy = std::log(sum) + beta * weighted / sum;
    const double excess = entropy - target;
    if (std::abs(excess) < 1e-8) break;
    if (excess > 0) {  // too flat: sharpen
      low = beta;
      beta = std::isinf(high) ? beta * 2 : (beta + high) / 2;
    } else {
      high = beta;
      beta = (beta + low) / 2;
    }
  }
  for (size_t j = 0; j < m; ++j) p[j] /= sum;
  return beta;
}

void dense_joint_affinities(const Matrix& data, double perplexity, int threads, float* out) {
  const size_t n = data.rows(), dim = data.cols();
  const long rows = static_cast<long>(n);
#pragma omp parallel num_threads(resolve_threads(threads))
  {
    std::vector<double> distances(n), p(n);
#pragma omp for schedule(dynamic, 16)
    for (long signed_i = 0; signed_i < rows; ++signed_i) {
      const size_t i = static_cast<size_t>(signed_i);
      size_t m = 0;
      for (size_t j = 0; j < n; ++j)
        if (j != i) distances[m++] = kernels::squared_l2(data.row(i), data.row(j), dim);
      calibrate_row(distances.data(), m, perplexity, p.data());
      float* row = out + i * n;
      for (size_t j = 0, k = 0; j < n; ++j) row[j] = j == i ? 0.0f : static_cast<float>(p[k++]);
    }
  }
  const double scale = 1.0 / (2.0 * static_cast<double>(n));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      const float joint = static_cast<float>((double(out[i * n + j]) + out[j * n + i]) * scale);
      out[i * n + j] = out[j * n + i] = joint;
    }
}

}  // namespace tsne_detail

TsneAffinities tsne_conditional_affinities(const Matrix& data, double perplexity, size_t neighbors,
                                           int threads) {
  const size_t n = data.rows();
  if (n < 2) throw UsageError("t-SNE needs at least 2 points");
  const bool all = neighbors == 0 || neighbors >= n - 1;
  const size_t m = all ? n - 1 : neighbors;
  if (!(perplexity > 0) || perplexity > static_cast<double>(m))
    throw UsageError("t-SNE perplexity must be in (0, " + std::to_string(m) + "]");
  TsneAffinities result;
  result.offsets.resize(n + 1);
  for (size_t i = 0; i <= n; ++i) result.offsets[i] = i * m;
  result.columns.resize(n * m);
  result.values.resize(n * m);
  result.betas.resize(n);
  std::vector<std::vector<Hit>> hits;
  if (!all) {
    SearchOptions search;
    search.k = m + 1;  // the row itself comes back too
    search.threads = threads;
    hits = top_k_l2(data, data, search);
  }
  const long rows = static_cast<long>(n);
#pragma omp parallel num_threads(resolve_threads(threads))
  {
    std::vector<double> distances(m);
#pragma omp for schedule(dynamic, 16)
    for (long signed_i = 0; signed_i < rows; ++signed_i) {
      const size_t i = static_cast<size_t>(signed_i);
      uint32_t* columns = result.columns.data() + i * m;
      size_t k = 0;
      if (all) {
        for (size_t j = 0; j < n; ++j) {
          if (j == i) continue;
          columns[k] = static_cast<uint32_t>(j);
          distances[k++] = kernels::squared_l2(data.row(i), data.row(j), data.cols());
        }
      } else {
        for (const Hit& hit : hits[i])
          if (hit.id != i && k < m) columns[k] = hit.id, distances[k++] = hit.score;
      }
      result.betas[i] =
          tsne_detail::calibrate_row(distances.data(), m, perplexity, result.values.data() + i * m);
    }
  }
  return result;
}

}  // namespace embkit
