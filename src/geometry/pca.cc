#include "embkit/pca.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "core/threads.h"
#include "embkit/data_error.h"
#include "embkit/error.h"
#include "core/finite.h"

namespace embkit {
namespace {

// Rows are summed in stripes fixed by the row count alone, then the stripes in order: the result
// is the same for any thread count (--threads 1 and --threads 8 agree bit for bit).
size_t stripe_count(size_t rows, size_t dim) {
  size_t stripes = std::clamp<size_t>(rows / 4096, 1, 16);
  if (dim > 1024) stripes = std::min<size_t>(stripes, 4);  // a D x D double partial per stripe
  return stripes;
}

size_t stripe_begin(size_t rows, size_t stripes, size_t s) { return rows * s / stripes; }

// Lower triangle of sum over rows of (x - mean)(x - mean)^T for rows [begin, end).
void accumulate_scatter(const Matrix& x, const std::vector<double>& mean, size_t begin, size_t end,
                        Eigen::MatrixXd& scatter) {
  constexpr size_t kBlock = 256;
  const size_t dim = x.cols();
  Eigen::MatrixXd block(static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(kBlock));
  for (size_t first = begin; first < end; first += kBlock) {
    const size_t count = std::min(kBlock, end - first);
    if (count < kBlock)
      block.resize(static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(count));
    for (size_t r = 0; r < count; ++r) {
      const float* row = x.row(first + r);
      double* column = block.col(static_cast<Eigen::Index>(r)).data();
      for (size_t c = 0; c < dim; ++c) column[c] = double(row[c]) - mean[c];
    }
    scatter.selfadjointView<Eigen::Lower>().rankUpdate(block);
  }
}

Eigen::MatrixXd covariance(const Matrix& x, const std::vector<double>& mean, int threads) {
  const size_t n = x.rows(), dim = x.cols();
  const size_t stripes = stripe_count(n, dim);
  const auto d = static_cast<Eigen::Index>(dim);
  std::vector<Eigen::MatrixXd> partial(stripes);
#pragma omp parallel for schedule(dynamic, 1) num_threads(resolve_threads(threads))
  for (size_t s = 0; s < stripes; ++s) {
    partial[s] = Eigen::MatrixXd::Zero(d, d);
    accumulate_scatter(x, mean, stripe_begin(n, stripes, s), stripe_begin(n, stripes, s + 1),
                       partial[s]);
  }
  Eigen::MatrixXd total = std::move(partial[0]);
  for (size_t s = 1; s < stripes; ++s) total += partial[s];
  Eigen::MatrixXd full = total.selfadjointView<Eigen::Lower>();
  return full / static_cast<double>(n - 1);
}

// The largest-|loading| coordinate of every axis made positive (see pca.h).
void fix_sign(double* axis, size_t dim) {
  size_t largest = 0;
  for (size_t c = 1; c < dim; ++c)
    if (std::abs(axis[c]) > std::abs(axis[largest])) largest = c;
  if (axis[largest] < 0)
    for (size_t c = 0; c < dim; ++c) axis[c] = -axis[c];
}

// Named in the messages as the pipeline step "pca:K" since that is where users meet them.
void check_components(size_t components, size_t dim, size_t samples) {
  if (components == 0) throw UsageError("pca needs at least 1 component");
  if (components > dim)
    throw UsageError(
        fmt::format("pca:{} asks for more components than the dimension {}", components, dim));
  if (components > samples)
    throw UsageError(
        fmt::format("pca:{} asks for more components than the {} vectors", components, samples));
}

}  // namespace

void require_finite(const Matrix& x) {
  for (size_t r = 0; r < x.rows(); ++r)
    if (size_t bad = first_non_finite(x.row(r), x.cols()); bad < x.cols())
      throw DataError(fmt::format("vector {}, value {} is not finite", r + 1, bad + 1));
}

std::vector<double> row_mean(const Matrix& x, int threads) {
  if (x.rows() == 0) throw UsageError("no vectors to take the mean of");
  const size_t n = x.rows(), dim = x.cols();
  const size_t stripes = stripe_count(n, dim);
  std::vector<std::vector<double>> partial(stripes, std::vector<double>(dim, 0.0));
#pragma omp parallel for schedule(dynamic, 1) num_threads(resolve_threads(threads))
  for (size_t s = 0; s < stripes; ++s) {
    double* sum = partial[s].data();
    for (size_t r = stripe_begin(n, stripes, s); r < stripe_begin(n, stripes, s + 1); ++r) {
      const float* row = x.row(r);
      for (size_t c = 0; c < dim; ++c) sum[c] += row[c];
    }
  }
  std::vector<double> mean(dim, 0.0);
  for (const auto& sum : partial)
    for (size_t c = 0; c < dim; ++c) mean[c] += sum[c];
  for (double& m : mean) m /= static_cast<double>(n);
  return mean;
}

double PrincipalAxes::total_variance() const {
  double total = 0;
  for (double v : variances) total += v;
  return total;
}

double PrincipalAxes::explained_variance_ratio(size_t i) const {
  const double total = total_variance();
  return total > 0 ? variances[i] / total : 0.0;
}

PrincipalAxes principal_axes(const Matrix& x, int threads) {
  if (x.cols() == 0) throw UsageError("cannot analyse vectors of dimension 0");
  if (x.rows() < 2)
    throw UsageError(fmt::format("principal axes need at least 2 vectors, got {}", x.rows()));
  require_finite(x);
  PrincipalAxes result;
  result.samples = x.rows();
  result.dim = x.cols();
  result.mean = row_mean(x, threads);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance(x, result.mean, threads));
  if (solver.info() != Eigen::Success) throw Error("the covariance eigensolver did not converge");
  const size_t dim = result.dim;
  result.variances.resize(dim);
  result.axes.resize(dim * dim);
  // Eigen sorts eigenvalues ascending; PCA wants them descending.
  for (size_t i = 0; i < dim; ++i) {
    const auto source = static_cast<Eigen::Index>(dim - 1 - i);
    result.variances[i] = std::max(0.0, solver.eigenvalues()[source]);
    double* axis = result.axes.data() + i * dim;
    for (size_t c = 0; c < dim; ++c)
      axis[c] = solver.eigenvectors()(static_cast<Eigen::Index>(c), source);
    fix_sign(axis, dim);
  }
  return result;
}

Pca fit_pca(const PrincipalAxes& axes, size_t components) {
  check_components(components, axes.dim, axes.samples);
  Pca pca;
  pca.projection.in_dim = axes.dim;
  pca.projection.out_dim = components;
  pca.projection.shift.assign(axes.mean.begin(), axes.mean.end());
  pca.projection.weights.assign(axes.axes.begin(),
                                axes.axes.begin() + static_cast<long>(components * axes.dim));
  for (size_t i = 0; i < components; ++i) {
    pca.explained_variance.push_back(axes.variances[i]);
    pca.explained_variance_ratio.push_back(axes.explained_variance_ratio(i));
  }
  return pca;
}

Pca fit_pca(const Matrix& x, size_t components, int threads) {
  check_components(components, x.cols(), x.rows());  // before the O(n D^2) work
  return fit_pca(principal_axes(x, threads), components);
}

Matrix Pca::inverse(const Matrix& projected, int threads) const {
  const size_t k = projection.out_dim, dim = projection.in_dim;
  if (projected.cols() != k)
    throw UsageError(
        fmt::format("pca inverse expects {} coordinates per vector, got {}", k, projected.cols()));
  Matrix x(projected.rows(), dim);
  const long rows = static_cast<long>(projected.rows());
#pragma omp parallel for schedule(static) num_threads(resolve_threads(threads))
  for (long r = 0; r < rows; ++r) {
    const float* y = projected.row(static_cast<size_t>(r));
    float* out = x.mutable_row(static_cast<size_t>(r));
    for (size_t c = 0; c < dim; ++c) {
      double sum = projection.shift[c];
      for (size_t i = 0; i < k; ++i) sum += double(y[i]) * projection.weights[i * dim + c];
      out[c] = static_cast<float>(sum);
    }
  }
  return x;
}

}  // namespace embkit
