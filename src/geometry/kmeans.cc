// k-means (embkit/kmeans.h): k-means++ seeding and Lloyd's iterations.
//
// Assignment runs on the exact-search engine's register tiles (geometry/nearest_centroid.h): it
// maximises x.c - |c|^2/2, i.e. minimises |x|^2 - 2 x.c + |c|^2, then recomputes the exact squared
// distance of the winner. Its results do not depend on the thread count, so neither does anything
// here: centroid sums are taken in row order, and seeding sums over fixed chunks of rows added in
// chunk order.
#include "embkit/kmeans.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "core/threads.h"
#include "embkit/data_error.h"
#include "embkit/error.h"
#include "embkit/kernels.h"
#include "geometry/nearest_centroid.h"
#include "kernels/kernel_table.h"

namespace embkit {
namespace {

constexpr size_t kChunkRows = 2048;

size_t chunk_count(size_t rows) { return (rows + kChunkRows - 1) / kChunkRows; }

double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

void check_input(const Matrix& points, const KMeansOptions& options) {
  if (options.k == 0) throw UsageError("k-means needs k >= 1 clusters");
  if (options.k > points.rows())
    throw UsageError(
        fmt::format("k-means: k = {} exceeds the {} rows to cluster", options.k, points.rows()));
  if (options.restarts == 0) throw UsageError("k-means needs at least 1 restart");
  if (!(options.tol >= 0)) throw UsageError("k-means tol must be 0 or more");
  if (points.cols() == 0) throw UsageError("k-means: the vectors have dimension 0");
  for (size_t i = 0; i < points.rows(); ++i)
    if (!std::isfinite(kernels::sum_squares(points.row(i), points.cols())))
      throw DataError(fmt::format("k-means: row {} has a non-finite value", i));
}

// The rows scaled to unit length (zero rows stay zero), for spherical k-means.
Matrix unit_copy(const Matrix& points) {
  Matrix unit(points.rows(), points.cols());
  for (size_t i = 0; i < points.rows(); ++i) {
    double norm = std::sqrt(kernels::sum_squares(points.row(i), points.cols()));
    float scale = norm > 0 ? static_cast<float>(1.0 / norm) : 0.0f;
    float* out = unit.mutable_row(i);
    for (size_t d = 0; d < points.cols(); ++d) out[d] = points.row(i)[d] * scale;
  }
  return unit;
}

// scikit-learn's absolute tolerance: tol times the mean over features of the data's variance.
double absolute_tolerance(const Matrix& data, double tol) {
  if (tol == 0) return 0;
  std::vector<double> mean(data.cols()), square(data.cols());
  for (size_t i = 0; i < data.rows(); ++i)
    for (size_t d = 0; d < data.cols(); ++d) mean[d] += data.row(i)[d];
  for (double& m : mean) m /= static_cast<double>(data.rows());
  for (size_t i = 0; i < data.rows(); ++i)
    for (size_t d = 0; d < data.cols(); ++d) {
      double centred = data.row(i)[d] - mean[d];
      square[d] += centred * centred;
    }
  double total = std::accumulate(square.begin(), square.end(), 0.0);
  return tol * total / static_cast<double>(data.rows() * data.cols());
}

// k-means++ state: squared distances to the closest centre chosen so far.
struct Seeder {
  const Matrix& data;
  std::vector<float> norms;    // |x|^2 of every row
  std::vector<float> closest;  // D(x)^2
  double potential = 0;        // sum of closest
  size_t threads;

  // Squared distances of every row to each candidate row, min'd with `closest`; returns the
  // potential of each candidate. Rows are visited in chunks that stay in cache across candidates.
  std::vector<double> try_candidates(const std::vector<size_t>& candidates,
                                     std::vector<std::vector<float>>& trial_closest) const {
    const kernels::KernelTable& table = kernels::active_kernels();
    size_t n = data.rows(), chunks = chunk_count(n), trials = candidates.size();
    std::vector<double> partial(chunks * trials, 0.0);
    trial_closest.assign(trials, std::vector<float>(n));
#pragma omp parallel for schedule(dynamic) num_threads(static_cast <int>(threads))
    for (size_t chunk = 0; chunk < chunks; ++chunk) {
      size_t first = chunk * kChunkRows, count = std::min(kChunkRows, n - first);
      for (size_t t = 0; t < trials; ++t) {
        float* out = trial_closest[t].data() + first;
        table.dot_rows(data.row(candidates[t]), data.row(first), data.stride(), count, data.cols(),
                       out);
        float candidate_norm = norms[candidates[t]];
        double sum = 0;
        for (size_t i = 0; i < count; ++i) {
          float distance = std::max(0.0f, norms[first + i] - 2 * out[i] + candidate_norm);
          out[i] = std::min(distance, closest[first + i]);
          sum += out[i];
        }
        partial[chunk * trials + t] = sum;
      }
    }
    std::vector<double> potentials(trials, 0.0);
    for (size_t chunk = 0; chunk < chunks; ++chunk)
      for (size_t t = 0; t < trials; ++t) potentials[t] += partial[chunk * trials + t];
    return potentials;
  }

  // A row drawn with probability closest[i] / potential (uniformly when every distance is 0).
  size_t draw(std::mt19937_64& rng, const std::vector<double>& cumulative) const {
    size_t n = data.rows();
    if (!(potential > 0)) return std::min(n - 1, static_cast<size_t>(uniform01(rng) * n));
    double target = uniform01(rng) * cumulative.back();
    size_t i = std::upper_bound(cumulative.begin(), cumulative.end(), target) - cumulative.begin();
    return std::min(i, n - 1);
  }
};

Matrix seed_centres(const Matrix& data, size_t k, std::mt19937_64& rng, size_t threads) {
  Seeder seeder{data, std::vector<float>(data.rows()), {}, 0, threads};
  for (size_t i = 0; i < data.rows(); ++i)
    seeder.norms[i] = static_cast<float>(kernels::sum_squares(data.row(i), data.cols()));
  seeder.closest.assign(data.rows(), std::numeric_limits<float>::max());
  Matrix centres(k, data.cols());
  size_t trials = 2 + static_cast<size_t>(std::log(static_cast<double>(k)));
  std::vector<std::vector<float>> trial_closest;
  std::vector<double> cumulative(data.rows());
  size_t first = std::min(data.rows() - 1, static_cast<size_t>(uniform01(rng) * data.rows()));
  std::vector<size_t> chosen{first};
  seeder.potential = seeder.try_candidates(chosen, trial_closest)[0];
  seeder.closest = std::move(trial_closest[0]);
  std::copy_n(data.row(first), data.cols(), centres.mutable_row(0));
  for (size_t c = 1; c < k; ++c) {
    double running = 0;  // in double: std::partial_sum would accumulate in float
    for (size_t i = 0; i < cumulative.size(); ++i) cumulative[i] = running += seeder.closest[i];
    std::vector<size_t> candidates(trials);
    for (size_t& candidate : candidates) candidate = seeder.draw(rng, cumulative);
    std::vector<double> potentials = seeder.try_candidates(candidates, trial_closest);
    size_t best = std::min_element(potentials.begin(), potentials.end()) - potentials.begin();
    seeder.potential = potentials[best];
    seeder.closest = std::move(trial_closest[best]);
    std::copy_n(data.row(candidates[best]), data.cols(), centres.mutable_row(c));
  }
  return centres;
}

struct Assignment {
  std::vector<uint32_t> labels;
  std::vector<float> distances;
  std::vector<size_t> sizes;
};

Assignment assign(const NearestCentroid& nearest, const Matrix& centres) {
  Assignment out;
  nearest.assign(centres, out.labels, out.distances);
  out.sizes.assign(centres.rows(), 0);
  for (uint32_t label : out.labels) ++out.sizes[label];
  return out;
}

// Gives every empty cluster one of the rows farthest from their centroids (never a row that is the
// last one of its own cluster).
void relocate_empty_clusters(Assignment& assignment) {
  std::vector<uint32_t> empty;
  for (size_t c = 0; c < assignment.sizes.size(); ++c)
    if (assignment.sizes[c] == 0) empty.push_back(static_cast<uint32_t>(c));
  if (empty.empty()) return;
  std::vector<uint32_t> order(assignment.labels.size());
  std::iota(order.begin(), order.end(), 0u);
  const std::vector<float>& distance = assignment.distances;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return distance[a] > distance[b]; });
  size_t next = 0;
  for (uint32_t cluster : empty) {
    while (assignment.sizes[assignment.labels[order[next]]] < 2) ++next;  // k <= rows: one exists
    uint32_t row = order[next++];
    --assignment.sizes[assignment.labels[row]];
    assignment.labels[row] = cluster;
    assignment.sizes[cluster] = 1;
    assignment.distances[row] = 0;
  }
}

// Centroids as means of their rows (normalised under Cosine): one pass over the rows in order,
// sums in double, so each cluster's sum is taken in row order whatever the thread count.
Matrix update_centres(const Matrix& data, const Assignment& assignment, bool spherical) {
  const size_t k = assignment.sizes.size(), dim = data.cols();
  std::vector<double> sums(k * dim, 0.0);
  for (size_t i = 0; i < data.rows(); ++i) {
    const float* row = data.row(i);
    double* sum = sums.data() + assignment.labels[i] * dim;
    for (size_t d = 0; d < dim; ++d) sum[d] += row[d];
  }
  Matrix centres(k, dim);
  for (size_t c = 0; c < k; ++c) {
    const double* sum = sums.data() + c * dim;
    double scale = assignment.sizes[c] ? 1.0 / static_cast<double>(assignment.sizes[c]) : 0.0;
    if (spherical) {
      double norm = 0;
      for (size_t d = 0; d < dim; ++d) norm += sum[d] * sum[d];
      scale = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
    }
    float* out = centres.mutable_row(c);
    for (size_t d = 0; d < dim; ++d) out[d] = static_cast<float>(sum[d] * scale);
  }
  return centres;
}

double squared_shift(const Matrix& before, const Matrix& after) {
  double total = 0;
  for (size_t c = 0; c < before.rows(); ++c)
    for (size_t d = 0; d < before.cols(); ++d) {
      double change = static_cast<double>(after.row(c)[d]) - before.row(c)[d];
      total += change * change;
    }
  return total;
}

// One restart: Lloyd's iterations from k-means++ seeds (hot loop: assignment and update).
KMeansResult lloyd(const Matrix& data, const NearestCentroid& nearest, const KMeansOptions& options,
                   size_t restart, double tolerance, size_t threads) {
  std::seed_seq seed{static_cast<uint32_t>(options.seed), static_cast<uint32_t>(options.seed >> 32),
                     static_cast<uint32_t>(restart)};
  std::mt19937_64 rng(seed);
  const bool spherical = options.metric == ClusterMetric::Cosine;
  KMeansResult result;
  result.restart = restart;
  result.centroids = seed_centres(data, options.k, rng, threads);
  Assignment current;
  bool unchanged = false;
  for (size_t iteration = 1; iteration <= options.max_iterations; ++iteration) {
    Assignment next = assign(nearest, result.centroids);
    relocate_empty_clusters(next);
    if (options.on_iteration) {
      double sum = std::accumulate(next.distances.begin(), next.distances.end(), 0.0);
      options.on_iteration(restart, iteration, sum);
    }
    Matrix centres = update_centres(data, next, spherical);
    double shift = squared_shift(result.centroids, centres);
    result.centroids = std::move(centres);
    result.iterations = iteration;
    unchanged = next.labels == current.labels;
    current = std::move(next);
    if (unchanged || shift <= tolerance) {
      result.converged = true;
      break;
    }
  }
  // Unchanged labels give bit-identical centroids, so the last assignment still holds.
  if (!unchanged) current = assign(nearest, result.centroids);
  result.labels = std::move(current.labels);
  result.distances = std::move(current.distances);
  result.sizes = std::move(current.sizes);
  result.inertia = inertia(data, result.centroids, result.labels);
  return result;
}

}  // namespace

KMeansResult kmeans(const Matrix& points, const KMeansOptions& options) {
  check_input(points, options);
  const size_t threads = static_cast<size_t>(resolve_threads(options.threads));
  Matrix unit;
  if (options.metric == ClusterMetric::Cosine) unit = unit_copy(points);
  const Matrix& data = options.metric == ClusterMetric::Cosine ? unit : points;
  const double tolerance = absolute_tolerance(data, options.tol);
  const NearestCentroid nearest(data, threads);
  KMeansResult best;
  for (size_t restart = 0; restart < options.restarts; ++restart) {
    KMeansResult run = lloyd(data, nearest, options, restart, tolerance, threads);
    if (restart == 0 || run.inertia < best.inertia) best = std::move(run);
  }
  return best;
}

double inertia(const Matrix& points, const Matrix& centroids, std::span<const uint32_t> labels) {
  if (points.cols() != centroids.cols())
    throw UsageError(fmt::format("inertia: rows have dimension {} but centroids {}", points.cols(),
                                 centroids.cols()));
  if (labels.size() != points.rows())
    throw UsageError(fmt::format("inertia: {} labels for {} rows", labels.size(), points.rows()));
  double total = 0;
  for (size_t i = 0; i < points.rows(); ++i) {
    if (labels[i] >= centroids.rows())
      throw UsageError(fmt::format("inertia: row {} has label {} but there are {} centroids", i,
                                   labels[i], centroids.rows()));
    const float* x = points.row(i);
    const float* c = centroids.row(labels[i]);
    for (size_t d = 0; d < points.cols(); ++d) {
      double difference = static_cast<double>(x[d]) - c[d];
      total += difference * difference;
    }
  }
  return total;
}

std::vector<std::vector<uint32_t>> central_rows(const KMeansResult& result, size_t count) {
  std::vector<std::vector<uint32_t>> members(result.centroids.rows());
  for (size_t i = 0; i < result.labels.size(); ++i)
    members[result.labels[i]].push_back(static_cast<uint32_t>(i));
  for (std::vector<uint32_t>& rows : members) {
    auto closer = [&](uint32_t a, uint32_t b) {
      return result.distances[a] != result.distances[b] ? result.distances[a] < result.distances[b]
                                                        : a < b;
    };
    size_t keep = std::min(count, rows.size());
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(keep), rows.end(),
                      closer);
    rows.resize(keep);
  }
  return members;
}

}  // namespace embkit
