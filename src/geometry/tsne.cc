// The t-SNE optimiser (see embkit/tsne.h): exact gradient over a dense P, or Barnes-Hut repulsion
// with a sparse P from nearest neighbours; gains and momentum as in scikit-learn's
// _gradient_descent.
#include "embkit/tsne.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "core/random.h"
#include "core/threads.h"
#include "embkit/data_error.h"
#include "embkit/error.h"
#include "geometry/quadtree.h"
#include "geometry/tsne_affinities.h"
#include "geometry/tsne_kernel.h"

namespace embkit {
namespace {

// Per-point gradient pieces, summed afterwards in point order (thread-count independent).
struct Forces {
  std::vector<double> attract;  // n x 2: sum_j p_ij w_ij (y_i - y_j)
  std::vector<double> repel;    // n x 2: sum_j w_ij^2 (y_i - y_j)
  std::vector<double> z;        // n:     sum_j w_ij
  explicit Forces(size_t n) : attract(2 * n), repel(2 * n), z(n) {}
};

class Objective {
 public:
  virtual ~Objective() = default;
  virtual void forces(const std::vector<double>& y, Forces& f) = 0;
  // KL(P || Q) for the current map, P scaled by `exaggeration`.
  virtual double kl(const std::vector<double>& y, double exaggeration) = 0;
};

// Exact: dense n x n P (float), O(n^2) per iteration.
class ExactObjective : public Objective {
 public:
  ExactObjective(const Matrix& data, double perplexity, int threads)
      : n_(data.rows()), threads_(threads), p_(std::make_unique<float[]>(n_ * n_)), x_(n_), y_(n_) {
    tsne_detail::dense_joint_affinities(data, perplexity, threads, p_.get());
  }

  void forces(const std::vector<double>& y, Forces& f) override {
    const size_t n = n_;
    for (size_t j = 0; j < n; ++j)
      x_[j] = static_cast<float>(y[2 * j]), y_[j] = static_cast<float>(y[2 * j + 1]);
    const long rows = static_cast<long>(n);
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (long signed_i = 0; signed_i < rows; ++signed_i) {
      const size_t i = static_cast<size_t>(signed_i);
      const tsne_detail::RowSums s =
          row_kernel_(p_.get() + i * n, x_.data(), y_.data(), x_[i], y_[i], n);
      f.z[i] = s.z - 1;  // the diagonal adds w = 1 to z only (p_ii = 0, d = 0)
      f.attract[2 * i] = s.ax, f.attract[2 * i + 1] = s.ay;
      f.repel[2 * i] = s.rx, f.repel[2 * i + 1] = s.ry;
    }
  }

  double kl(const std::vector<double>& y, double exaggeration) override {
    const size_t n = n_;
    std::vector<double> z(n), sum(n);
    const long rows = static_cast<long>(n);
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (long signed_i = 0; signed_i < rows; ++signed_i) {
      const size_t i = static_cast<size_t>(signed_i);
      double zi = 0, si = 0;
      for (size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
        const double w = 1 / (1 + dx * dx + dy * dy);
        zi += w;
        // Pairs with p < 1e-12 add less than n^2 x 1e-12 x |log| < 1e-4 together (sum p = 1):
        // skipping them saves most of the logarithms.
        const double p = exaggeration * p_[i * n + j];
        if (p > 1e-12) si += p * std::log(p / w);
      }
      z[i] = zi, sum[i] = si;
    }
    const double total_z = std::accumulate(z.begin(), z.end(), 0.0);
    const double total = std::accumulate(sum.begin(), sum.end(), 0.0);
    // sum p log(p / (w / Z)) = sum p log(p / w) + log Z sum p
    return total + std::log(total_z) * exaggeration;
  }

 private:
  size_t n_;
  int threads_;
  std::unique_ptr<float[]> p_;
  std::vector<float> x_, y_;  // the map in float, for the vectorised row sums
  decltype(tsne_detail::TsneKernelTable::exact_row) row_kernel_ =
      tsne_detail::tsne_kernel_table(kernels::active_isa()).exact_row;
};

// Barnes-Hut: sparse symmetric P over nearest neighbours, repulsion from a quadtree.
class BarnesHutObjective : public Objective {
 public:
  BarnesHutObjective(const Matrix& data, double perplexity, double theta, int threads)
      : n_(data.rows()), theta_(theta), threads_(threads) {
    const size_t k = std::min(n_ - 1, static_cast<size_t>(3 * perplexity + 1));
    symmetrise(tsne_conditional_affinities(data, perplexity, k, threads));
  }

  void forces(const std::vector<double>& y, Forces& f) override {
    Quadtree tree(y);
    const long rows = static_cast<long>(n_);
#pragma omp parallel for num_threads(threads_) schedule(dynamic, 64)
    for (long signed_i = 0; signed_i < rows; ++signed_i) {
      const size_t i = static_cast<size_t>(signed_i);
      tree.repulsion(i, theta_, f.z[i], f.repel[2 * i], f.repel[2 * i + 1]);
      double ax = 0, ay = 0;
      for (size_t e = offsets_[i]; e < offsets_[i + 1]; ++e) {
        const size_t j = columns_[e];
        const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
        const double pw = values_[e] / (1 + dx * dx + dy * dy);
        ax += pw * dx;
        ay += pw * dy;
      }
      f.attract[2 * i] = ax, f.attract[2 * i + 1] = ay;
    }
    last_z_ = std::accumulate(f.z.begin(), f.z.end(), 0.0);
  }

  // Uses Z from the last forces() call (the Barnes-Hut estimate), like scikit-learn.
  double kl(const std::vector<double>& y, double exaggeration) override {
    double total = 0;
    for (size_t i = 0; i < n_; ++i)
      for (size_t e = offsets_[i]; e < offsets_[i + 1]; ++e) {
        const size_t j = columns_[e];
        const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
        const double w = 1 / (1 + dx * dx + dy * dy), p = exaggeration * values_[e];
        if (p > 0) total += p * std::log(p * last_z_ / w);
      }
    return total;
  }

 private:
  // p_ij = (p_j|i + p_i|j) / 2n over the union of both neighbour lists, rows sorted by column.
  void symmetrise(const TsneAffinities& conditional) {
    std::vector<std::vector<std::pair<uint32_t, double>>> rows(n_);
    for (size_t i = 0; i < n_; ++i)
      for (size_t e = conditional.offsets[i]; e < conditional.offsets[i + 1]; ++e) {
        const uint32_t j = conditional.columns[e];
        rows[i].emplace_back(j, conditional.values[e]);
        rows[j].emplace_back(static_cast<uint32_t>(i), conditional.values[e]);
      }
    const double scale = 1.0 / (2.0 * static_cast<double>(n_));
    offsets_.assign(1, 0);
    for (auto& row : rows) {
      std::sort(row.begin(), row.end());
      for (size_t e = 0; e < row.size(); ++e) {
        if (e > 0 && row[e].first == row[e - 1].first) {
          values_.back() += row[e].second * scale;
          continue;
        }
        columns_.push_back(row[e].first);
        values_.push_back(row[e].second * scale);
      }
      offsets_.push_back(columns_.size());
    }
  }

  size_t n_;
  double theta_;
  int threads_;
  std::vector<size_t> offsets_;
  std::vector<uint32_t> columns_;
  std::vector<double> values_;
  double last_z_ = 1;
};

void check_options(const Matrix& data, const TsneOptions& o) {
  const size_t n = data.rows();
  if (n < 2) throw UsageError("t-SNE needs at least 2 points, got " + std::to_string(n));
  if (!(o.perplexity > 0) || o.perplexity >= static_cast<double>(n))
    throw UsageError("t-SNE perplexity must be positive and below the number of points (" +
                     std::to_string(n) + ")");
  if (o.iterations == 0) throw UsageError("t-SNE needs at least 1 iteration");
  if (!(o.theta >= 0) || !(o.early_exaggeration > 0) || !(o.learning_rate >= 0))
    throw UsageError("t-SNE theta, exaggeration and learning rate must be non-negative");
  for (size_t i = 0; i < n; ++i)
    for (size_t d = 0; d < data.cols(); ++d)
      if (!std::isfinite(data.row(i)[d]))
        throw DataError("t-SNE input row " + std::to_string(i) + " is not finite");
}

// N(0, 1e-4^2) by Box-Muller from a SplitMix64 stream: the same numbers on every platform.
std::vector<double> initial_map(size_t n, uint64_t seed) {
  train::TrainRng rng(train::stream_seed(seed, 0x75e));
  std::vector<double> y(2 * n);
  for (size_t k = 0; k < 2 * n; k += 2) {
    const double u1 = (static_cast<double>(rng.next() >> 11) + 1) * 0x1.0p-53;
    const double u2 = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2 * std::log(u1)), angle = 2 * M_PI * u2;
    y[k] = 1e-4 * r * std::cos(angle);
    y[k + 1] = 1e-4 * r * std::sin(angle);
  }
  return y;
}

}  // namespace

TsneResult tsne(const Matrix& data, const TsneOptions& options) {
  check_options(data, options);
  const size_t n = data.rows();
  const int threads = resolve_threads(options.threads);
  TsneResult result;
  result.barnes_hut = n > options.exact_max_points;
  std::unique_ptr<Objective> objective;
  if (result.barnes_hut)
    objective =
        std::make_unique<BarnesHutObjective>(data, options.perplexity, options.theta, threads);
  else
    objective = std::make_unique<ExactObjective>(data, options.perplexity, threads);
  result.learning_rate =
      options.learning_rate > 0
          ? options.learning_rate
          : std::max(static_cast<double>(n) / options.early_exaggeration / 4, 50.0);
  std::vector<double> y = initial_map(n, options.seed), update(2 * n, 0.0), gains(2 * n, 1.0);
  Forces f(n);
  for (size_t it = 0; it < options.iterations; ++it) {
    const bool early = it < options.exaggeration_iterations;
    const double exaggeration = early ? options.early_exaggeration : 1.0;
    const double momentum = early ? 0.5 : 0.8;
    objective->forces(y, f);
    const double z = std::accumulate(f.z.begin(), f.z.end(), 0.0);
    for (size_t k = 0; k < 2 * n; ++k) {
      const double grad = 4 * (exaggeration * f.attract[k] - f.repel[k] / z);
      gains[k] = (update[k] * grad < 0) ? gains[k] + 0.2 : std::max(gains[k] * 0.8, 0.01);
      update[k] = momentum * update[k] - result.learning_rate * gains[k] * grad;
      y[k] += update[k];
    }
    const size_t done = it + 1;
    if ((options.kl_every > 0 && done % options.kl_every == 0) || done == options.iterations) {
      const double kl = objective->kl(y, exaggeration);
      result.kl_history.emplace_back(done, kl);
      if (options.on_progress) options.on_progress(done, kl);
    }
  }
  result.final_kl = result.kl_history.back().second;
  result.embedding = std::move(y);
  return result;
}

}  // namespace embkit
