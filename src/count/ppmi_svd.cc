#include "embkit/ppmi_svd.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <Spectra/SymEigsSolver.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "embkit/error.h"
#include "train/random.h"

namespace embkit {
namespace {

using Clock = std::chrono::steady_clock;
using Dense = Eigen::MatrixXd;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int thread_count(int threads) {
  return threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Y = A X for a CSR matrix and a dense column-major X, rows split over threads.
Dense multiply(const SparseMatrix& a, const Dense& x, int threads) {
  Dense y = Dense::Zero(static_cast<Eigen::Index>(a.rows()), x.cols());
  // Row-major copy of X so that one sparse entry touches one contiguous row.
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> xr = x;
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> yr(y.rows(), y.cols());
  const Eigen::Index k = x.cols();
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
  for (size_t r = 0; r < a.rows(); ++r) {
    double* out = yr.row(static_cast<Eigen::Index>(r)).data();
    std::fill(out, out + k, 0.0);
    auto cols = a.row_columns(r);
    auto vals = a.row_values(r);
    for (size_t i = 0; i < cols.size(); ++i) {
      const double v = vals[i];
      const double* in = xr.row(cols[i]).data();
      for (Eigen::Index j = 0; j < k; ++j) out[j] += v * in[j];
    }
  }
  y = yr;
  return y;
}

// An orthonormal basis of the columns of Y (thin Householder QR).
Dense orthonormal(const Dense& y) {
  Eigen::HouseholderQR<Dense> qr(y);
  return qr.householderQ() * Dense::Identity(y.rows(), y.cols());
}

Matrix to_matrix(const Dense& d, size_t columns) {
  Matrix m(static_cast<size_t>(d.rows()), columns);
  for (Eigen::Index r = 0; r < d.rows(); ++r) {
    float* row = m.mutable_row(static_cast<size_t>(r));
    for (size_t c = 0; c < columns; ++c) row[c] = static_cast<float>(d(r, static_cast<Eigen::Index>(c)));
  }
  return m;
}

// Fixes each singular pair's sign so that the largest-magnitude entry of u is positive: the result
// no longer depends on the solver's arbitrary choice.
void fix_signs(Dense& u, Dense& v) {
  for (Eigen::Index c = 0; c < u.cols(); ++c) {
    Eigen::Index at;
    u.col(c).cwiseAbs().maxCoeff(&at);
    if (u(at, c) < 0) {
      u.col(c) *= -1;
      v.col(c) *= -1;
    }
  }
}

TruncatedSvd randomized_svd(const SparseMatrix& a, const SvdOptions& o) {
  const int threads = thread_count(o.threads);
  const SparseMatrix at = a.transpose();
  const size_t n = a.cols();
  const size_t l = std::min(o.rank + o.oversample, std::min(a.rows(), a.cols()));
  train::TrainRng rng(train::stream_seed(o.seed, 0x5bd1e995));
  Dense omega(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(l));
  for (Eigen::Index c = 0; c < omega.cols(); ++c)
    for (Eigen::Index r = 0; r < omega.rows(); ++r) {
      // Box-Muller from two uniforms in (0, 1].
      const double u1 = (static_cast<double>(rng.next() >> 11) + 1.0) * 0x1.0p-53;
      const double u2 = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
      omega(r, c) = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    }
  Dense q = orthonormal(multiply(a, omega, threads));
  for (size_t i = 0; i < o.power_iterations; ++i) {
    Dense z = orthonormal(multiply(at, q, threads));
    q = orthonormal(multiply(a, z, threads));
  }
  // B = Q^T A (l x n); with B^T = A^T Q = Q2 R, B = R^T Q2^T and the SVD of the small R^T gives
  // B's: U_B S V_R^T, V = Q2 V_R.
  Dense bt = multiply(at, q, threads);
  Eigen::HouseholderQR<Dense> qr(bt);
  Dense q2 = qr.householderQ() * Dense::Identity(bt.rows(), bt.cols());
  Dense r = qr.matrixQR().topRows(bt.cols()).triangularView<Eigen::Upper>();
  Eigen::JacobiSVD<Dense> svd(r.transpose(), Eigen::ComputeFullU | Eigen::ComputeFullV);
  Dense u = q * svd.matrixU().leftCols(static_cast<Eigen::Index>(o.rank));
  Dense v = q2 * svd.matrixV().leftCols(static_cast<Eigen::Index>(o.rank));
  fix_signs(u, v);
  TruncatedSvd out;
  out.u = to_matrix(u, o.rank);
  out.v = to_matrix(v, o.rank);
  for (size_t i = 0; i < o.rank; ++i) out.s.push_back(svd.singularValues()(static_cast<Eigen::Index>(i)));
  return out;
}

// x -> A^T A x for Spectra, on the smaller side of A.
class GramOperator {
 public:
  using Scalar = double;
  GramOperator(const SparseMatrix& a, const SparseMatrix& at, int threads)
      : a_(a), at_(at), threads_(threads), middle_(a.rows()) {}
  Eigen::Index rows() const { return static_cast<Eigen::Index>(a_.cols()); }
  Eigen::Index cols() const { return static_cast<Eigen::Index>(a_.cols()); }
  void perform_op(const double* x, double* y) const {
    apply(a_, x, middle_.data());
    apply(at_, middle_.data(), y);
  }

 private:
  void apply(const SparseMatrix& m, const double* x, double* y) const {
#pragma omp parallel for schedule(dynamic, 512) num_threads(threads_)
    for (size_t r = 0; r < m.rows(); ++r) {
      double sum = 0;
      auto cols = m.row_columns(r);
      auto vals = m.row_values(r);
      for (size_t i = 0; i < cols.size(); ++i) sum += double(vals[i]) * x[cols[i]];
      y[r] = sum;
    }
  }
  const SparseMatrix& a_;
  const SparseMatrix& at_;
  int threads_;
  mutable std::vector<double> middle_;
};

TruncatedSvd lanczos_svd(const SparseMatrix& a, const SvdOptions& o) {
  const int threads = thread_count(o.threads);
  const SparseMatrix at = a.transpose();
  GramOperator op(a, at, threads);
  const Eigen::Index nev = static_cast<Eigen::Index>(o.rank);
  const Eigen::Index ncv = std::min<Eigen::Index>(op.rows(), 2 * nev + 1);
  Spectra::SymEigsSolver<GramOperator> solver(op, nev, ncv);
  // Spectra starts from a fixed vector; derive it from the seed for reproducible variety.
  train::TrainRng rng(train::stream_seed(o.seed, 0x1b873593));
  Eigen::VectorXd start(op.rows());
  for (Eigen::Index i = 0; i < start.size(); ++i) start(i) = rng.uniform_float() - 0.5;
  solver.init(start.data());
  solver.compute(Spectra::SortRule::LargestAlge, 1000, 1e-8);
  if (solver.info() != Spectra::CompInfo::Successful)
    throw Error(fmt::format("Lanczos SVD did not converge for rank {}", o.rank));
  Eigen::VectorXd eigenvalues = solver.eigenvalues();
  Dense v = solver.eigenvectors();
  // U = A V S^-1, all columns in one product.
  Dense u = multiply(a, v, threads);
  TruncatedSvd out;
  for (Eigen::Index c = 0; c < nev; ++c) {
    const double sigma = std::sqrt(std::max(0.0, eigenvalues(c)));
    out.s.push_back(sigma);
    u.col(c) *= sigma > 0 ? 1.0 / sigma : 0.0;
  }
  fix_signs(u, v);
  out.u = to_matrix(u, o.rank);
  out.v = to_matrix(v, o.rank);
  return out;
}

}  // namespace

SparseMatrix ppmi(const SparseMatrix& counts, const PpmiOptions& options) {
  if (!(options.smoothing > 0) || !(options.smoothing <= 1))
    throw UsageError(fmt::format("context smoothing must be in (0, 1], got {}", options.smoothing));
  if (!(options.shift >= 1)) throw UsageError(fmt::format("PMI shift k must be >= 1, got {}", options.shift));
  std::vector<double> row_sums(counts.rows(), 0.0), col_sums(counts.cols(), 0.0);
  for (size_t r = 0; r < counts.rows(); ++r) {
    auto cols = counts.row_columns(r);
    auto vals = counts.row_values(r);
    for (size_t i = 0; i < cols.size(); ++i) {
      if (vals[i] < 0)
        throw UsageError(fmt::format("co-occurrence count ({}, {}) is negative", r, cols[i]));
      row_sums[r] += vals[i];
      col_sums[cols[i]] += vals[i];
    }
  }
  double total = 0, smoothed_total = 0;
  for (double s : row_sums) total += s;
  std::vector<double> log_context(counts.cols(), 0.0);
  for (size_t c = 0; c < counts.cols(); ++c) {
    if (col_sums[c] <= 0) continue;
    const double smoothed = std::pow(col_sums[c], options.smoothing);
    smoothed_total += smoothed;
    log_context[c] = std::log(smoothed);
  }
  SparseMatrix out = counts;
  if (total <= 0) {
    out.prune_zeros();
    return out;
  }
  // log( n(w,c) * S / (n(w) * n(c)^a) ) - log k with S = sum of n(c)^a; n(w,c) / total and n(w) / total
  // share the total, which cancels.
  const double log_s = std::log(smoothed_total), log_k = std::log(options.shift);
  const int threads = thread_count(options.threads);
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
  for (size_t r = 0; r < out.rows(); ++r) {
    auto cols = out.row_columns(r);
    auto vals = out.row_values(r);
    const double log_row = std::log(row_sums[r]);
    for (size_t i = 0; i < cols.size(); ++i) {
      if (vals[i] <= 0) {
        vals[i] = 0;
        continue;
      }
      const double pmi = std::log(double(vals[i])) + log_s - log_row - log_context[cols[i]] - log_k;
      vals[i] = pmi > 0 ? static_cast<float>(pmi) : 0.0f;
    }
  }
  out.prune_zeros();
  return out;
}

TruncatedSvd truncated_svd(const SparseMatrix& a, const SvdOptions& options) {
  if (options.rank == 0) throw UsageError("SVD rank must be at least 1");
  if (options.rank > std::min(a.rows(), a.cols()))
    throw UsageError(fmt::format("SVD rank {} exceeds the matrix size {} x {}", options.rank,
                                 a.rows(), a.cols()));
  if (options.method == SvdMethod::Lanczos && options.rank * 2 + 1 > a.cols())
    throw UsageError(fmt::format("Lanczos SVD needs at least 2 x rank + 1 = {} columns, the matrix "
                                 "has {}",
                                 options.rank * 2 + 1, a.cols()));
  return options.method == SvdMethod::Randomized ? randomized_svd(a, options)
                                                 : lanczos_svd(a, options);
}

PpmiSvdOptions default_ppmi_svd_options() {
  PpmiSvdOptions o;
  o.counting.window = 5;
  o.counting.weighting = CooccurrenceWeighting::Uniform;
  o.counting.symmetric = true;
  return o;
}

PpmiSvdResult train_ppmi_svd(const Vocab& vocab, const EncodedCorpus& corpus,
                             const PpmiSvdOptions& options) {
  if (!(options.eig_power >= 0 && options.eig_power <= 1))
    throw UsageError(fmt::format("eigenvalue weighting power must be in [0, 1], got {}",
                                 options.eig_power));
  if (options.svd.rank == 0) throw UsageError("dim must be at least 1");
  if (options.svd.rank > vocab.size())
    throw UsageError(fmt::format("dim {} exceeds the vocabulary size {}", options.svd.rank, vocab.size()));
  PpmiSvdResult result;
  auto start = Clock::now();
  CooccurrenceOptions counting = options.counting;
  if (options.on_progress && !counting.on_progress)
    counting.on_progress = [&](double f) { options.on_progress("counting", f); };
  SparseMatrix counts = count_cooccurrences(corpus, vocab.size(), counting, &result.counting);
  result.cooccurrence_nnz = counts.nnz();
  result.count_seconds = seconds_since(start);

  start = Clock::now();
  if (options.on_progress) options.on_progress("ppmi", 0.0);
  SparseMatrix weighted = ppmi(counts, options.ppmi);
  counts = SparseMatrix();
  result.ppmi_nnz = weighted.nnz();
  result.ppmi_seconds = seconds_since(start);

  start = Clock::now();
  if (options.on_progress) options.on_progress("svd", 0.0);
  TruncatedSvd svd = truncated_svd(weighted, options.svd);
  result.svd_seconds = seconds_since(start);
  if (options.on_progress) options.on_progress("svd", 1.0);

  const size_t dim = options.svd.rank;
  Matrix words(vocab.size(), dim);
  result.contexts = Matrix(vocab.size(), dim);
  for (size_t c = 0; c < dim; ++c) {
    const float scale = static_cast<float>(std::pow(svd.s[c], options.eig_power));
    for (size_t r = 0; r < vocab.size(); ++r) {
      words.mutable_row(r)[c] = svd.u.row(r)[c] * scale;
      result.contexts.mutable_row(r)[c] = svd.v.row(r)[c] * scale;
    }
  }
  result.singular_values = svd.s;
  result.vectors = KeyedVectors(vocab.head(vocab.size()), std::move(words));
  return result;
}

}  // namespace embkit
