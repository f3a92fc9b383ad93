// Truncated SVD of sparse matrices (embkit/truncated_svd.h): randomized range finding with power
// iterations (Halko, Martinsson & Tropp 2011) on SIMD sparse x dense products, and restarted Lanczos
// on A^T A through Spectra.
#include "embkit/truncated_svd.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <Spectra/SymEigsSolver.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>

#include <sys/mman.h>

#include "core/threads.h"
#include "count/svd_kernels.h"
#include "embkit/error.h"
#include "embkit/half_float.h"
#include "core/random.h"


namespace embkit {
namespace {

using Dense = Eigen::MatrixXd;

// Y = A X for a CSR matrix and a dense column-major X, rows split over threads (Lanczos: U = A V).
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

void fix_signs(Matrix& u, Matrix& v) {
  for (size_t c = 0; c < u.cols(); ++c) {
    size_t at = 0;
    float best = -1;
    for (size_t r = 0; r < u.rows(); ++r)
      if (std::abs(u.row(r)[c]) > best) {
        best = std::abs(u.row(r)[c]);
        at = r;
      }
    if (u.row(at)[c] >= 0) continue;
    for (size_t r = 0; r < u.rows(); ++r) u.mutable_row(r)[c] = -u.row(r)[c];
    for (size_t r = 0; r < v.rows(); ++r) v.mutable_row(r)[c] = -v.row(r)[c];
  }
}

// --- Randomized SVD -----------------------------------------------------------------------------
//
// Tall blocks (rows x l, l = rank + oversample) are float Matrix objects: row-major, rows padded to
// 16 floats with zeros and aligned. Their products run in the kernels of count/svd_kernels.h, one
// table per instruction-set level. Every output row is computed by one thread in a fixed order and
// the Gram matrix is summed over fixed row blocks, so results do not depend on the thread count.

const count::SvdKernelTable& svd_kernels() {
  static const count::SvdKernelTable& table = count::svd_kernel_table(kernels::active_isa());
  return table;
}

constexpr size_t kRowBlock = 32;

// Memory for X reordered panel by panel, on transparent huge pages where the system offers them:
// the products read rows of X in random order, and with 4 KiB pages most of those reads miss the
// TLB.
class PanelScratch {
 public:
  float* get(size_t floats) {
    if (floats > capacity_) {
      constexpr size_t kHugePage = size_t{2} << 20;
      const size_t bytes = (floats * sizeof(float) + kHugePage - 1) / kHugePage * kHugePage;
      void* memory = std::aligned_alloc(kHugePage, bytes);
      if (!memory) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
      madvise(memory, bytes, MADV_HUGEPAGE);  // advice only: failure leaves ordinary pages
#endif
      data_.reset(static_cast<float*>(memory));
      capacity_ = bytes / sizeof(float);
    }
    return data_.get();
  }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float, Free> data_;
  size_t capacity_ = 0;
};

// out = A X for a dense block X (a.cols() x l; out a.rows() x l): X is copied panel by panel (64
// columns each) into `scratch`, then A is swept once per panel, rows split over threads.
void sparse_times(const SparseMatrix& a, const Matrix& x, Matrix& out, int threads,
                  PanelScratch& scratch) {
  const size_t width = x.stride(), n = x.rows();
  float* panels = scratch.get(n * width);
  const size_t blocks = (a.rows() + kRowBlock - 1) / kRowBlock;
#pragma omp parallel num_threads(threads)
  {
#pragma omp for schedule(static)
    for (size_t r = 0; r < n; ++r)
      for (size_t p = 0; p < width; p += count::kSvdPanel) {
        const size_t panel_width = std::min(count::kSvdPanel, width - p);
        std::memcpy(panels + p * n + r * panel_width, x.row(r) + p, panel_width * sizeof(float));
      }
    for (size_t p = 0; p < width; p += count::kSvdPanel) {
      const size_t panel_width = std::min(count::kSvdPanel, width - p);
#pragma omp for schedule(dynamic, 4)
      for (size_t b = 0; b < blocks; ++b)
        svd_kernels().sparse_times_panel(a.row_starts().data(), a.columns().data(),
                                         a.values().data(), panels + p * n, panel_width,
                                         out.mutable_data() + p, width, b * kRowBlock,
                                         std::min(a.rows(), (b + 1) * kRowBlock));
    }
  }
}

// out = A X with X rounded to half precision first (see svd_kernels.h): one sweep over A, rows
// split over threads. Falls back to the float product at the level without half products.
void sparse_times_half(const SparseMatrix& a, const Matrix& x, Matrix& out, int threads,
                       PanelScratch& scratch) {
  const count::SvdKernelTable& table = svd_kernels();
  if (table.half_lanes == 0) {
    sparse_times(a, x, out, threads, scratch);
    return;
  }
  const size_t width = x.stride(), n = x.rows();
  uint16_t* half = reinterpret_cast<uint16_t*>(scratch.get((n * width + 1) / 2));
  const size_t blocks = (a.rows() + kRowBlock - 1) / kRowBlock, x_blocks = (n + 1023) / 1024;
#pragma omp parallel num_threads(threads)
  {
#pragma omp for schedule(static)
    for (size_t b = 0; b < x_blocks; ++b)
      for (size_t r = b * 1024; r < std::min(n, (b + 1) * 1024); ++r)
        floats_to_halves(x.row(r), half + r * width, width);
#pragma omp for schedule(dynamic, 4)
    for (size_t b = 0; b < blocks; ++b)
      count::sparse_times_half(table, a.row_starts().data(), a.columns().data(), a.values().data(),
                               half, width, out.mutable_data(), out.stride(), b * kRowBlock,
                               std::min(a.rows(), (b + 1) * kRowBlock));
  }
}

// Y^T Y in double: rows summed in order within fixed blocks, blocks added in order.
Dense gram(const Matrix& y, int threads) {
  const size_t l = y.cols(), width = y.stride();
  constexpr size_t kBlock = 2048, kSlice = 32;
  const size_t blocks = (y.rows() + kBlock - 1) / kBlock;
  std::vector<std::vector<double>> partial(blocks);
#pragma omp parallel num_threads(threads)
  {
    std::vector<double> yd(kSlice * width);
#pragma omp for schedule(dynamic, 1)
    for (size_t b = 0; b < blocks; ++b) {
      partial[b].assign((l + 3) / 4 * 4 * width, 0.0);
      const size_t last = std::min(y.rows(), (b + 1) * kBlock);
      for (size_t begin = b * kBlock; begin < last; begin += kSlice) {
        const size_t rows = std::min(kSlice, last - begin);
        for (size_t r = 0; r < rows; ++r)
          for (size_t c = 0; c < width; ++c) yd[r * width + c] = y.row(begin + r)[c];
        svd_kernels().gram_block(yd.data(), rows, width, l, partial[b].data());
      }
    }
  }
  Dense total = Dense::Zero(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(l));
  for (const std::vector<double>& p : partial)
    for (size_t i = 0; i < l; ++i)
      for (size_t j = i; j < l; ++j)
        total(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) += p[i * width + j];
  return total.selfadjointView<Eigen::Upper>();
}

// Y M for a dense block Y (rows x l) and a small M (l x k).
void dense_times(const Matrix& y, const Dense& m, Matrix& out, int threads) {
  const size_t out_width = out.stride();
  std::vector<float> mf(static_cast<size_t>(m.rows()) * out_width, 0.0f);
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      mf[static_cast<size_t>(i) * out_width + static_cast<size_t>(j)] = static_cast<float>(m(i, j));
  const size_t blocks = (y.rows() + kRowBlock - 1) / kRowBlock;
#pragma omp parallel for schedule(static) num_threads(threads)
  for (size_t b = 0; b < blocks; ++b)
    svd_kernels().dense_times_small(y.data(), y.stride(), y.cols(), mf.data(), out_width,
                                    out.mutable_data(), b * kRowBlock,
                                    std::min(y.rows(), (b + 1) * kRowBlock));
}

Matrix dense_times(const Matrix& y, const Dense& m, int threads) {
  Matrix out(y.rows(), static_cast<size_t>(m.cols()));
  dense_times(y, m, out, threads);
  return out;
}

// Householder QR in double: the fallback for blocks whose Gram matrix is numerically singular.
Matrix householder_orthonormal(const Matrix& y, Dense* r) {
  Dense d(static_cast<Eigen::Index>(y.rows()), static_cast<Eigen::Index>(y.cols()));
  for (size_t i = 0; i < y.rows(); ++i)
    for (size_t j = 0; j < y.cols(); ++j)
      d(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = y.row(i)[j];
  Eigen::HouseholderQR<Dense> qr(d);
  if (r) *r = qr.matrixQR().topRows(d.cols()).triangularView<Eigen::Upper>();
  return to_matrix(qr.householderQ() * Dense::Identity(d.rows(), d.cols()), y.cols());
}

// An orthonormal basis of the columns of Y by Cholesky QR: Y^T Y = R^T R in double, Q = Y R^-1. One
// pass unless `full`: between power iterations a well-conditioned basis of the same span is enough.
// Full: passes repeat until one starts from a nearly orthonormal block (CholeskyQR2, up to four
// passes). When a pivot shows Y numerically rank-deficient, Householder QR in double takes over. Q
// replaces Y; `spare`, of Y's shape, is work space. With `r`, also returns the upper triangular R
// with Y = Q R.
void orthonormalize(Matrix& y, Matrix& spare, bool full, int threads, Dense* r) {
  const Eigen::Index l = static_cast<Eigen::Index>(y.cols());
  const Dense identity = Dense::Identity(l, l);
  Dense r_total = identity;
  for (int pass = 1;; ++pass) {
    const Dense g = gram(y, threads);
    const bool nearly_orthonormal = (g - identity).cwiseAbs().maxCoeff() <= 0.1;
    Eigen::LLT<Dense> llt(g);
    bool ok = llt.info() == Eigen::Success && pass <= 4;
    for (Eigen::Index j = 0; ok && j < l; ++j) {
      const double pivot = llt.matrixLLT()(j, j);
      // The part of column j not in the span of the columns before it, relative to its length.
      ok = g(j, j) > 0 && std::isfinite(pivot) && pivot * pivot > 1e-10 * g(j, j);
    }
    if (!ok) {
      Dense rh;
      y = householder_orthonormal(y, &rh);
      if (r) *r = rh * r_total;
      return;
    }
    const Dense rk = llt.matrixU();
    dense_times(y, rk.triangularView<Eigen::Upper>().solve(identity), spare, threads);
    std::swap(y, spare);
    r_total = rk * r_total;
    if (!full || (pass >= 2 && nearly_orthonormal)) break;
  }
  if (r) *r = r_total;
}

// Gaussian test matrix, generated in fixed row blocks with their own streams.
Matrix gaussian_block(size_t rows, size_t cols, uint64_t seed, int threads) {
  Matrix omega(rows, cols);
  constexpr size_t kBlock = 1024;
  const size_t blocks = (rows + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) num_threads(threads)
  for (size_t b = 0; b < blocks; ++b) {
    train::TrainRng rng(train::stream_seed(seed, b));
    for (size_t r = b * kBlock; r < std::min(rows, (b + 1) * kBlock); ++r) {
      float* row = omega.mutable_row(r);
      for (size_t c = 0; c < cols; c += 2) {
        // Box-Muller from two uniforms in (0, 1]: two independent normals.
        const double u1 = (static_cast<double>(rng.next() >> 11) + 1.0) * 0x1.0p-53;
        const double u2 = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
        const double radius = std::sqrt(-2.0 * std::log(u1));
        row[c] = static_cast<float>(radius * std::cos(2.0 * M_PI * u2));
        if (c + 1 < cols) row[c + 1] = static_cast<float>(radius * std::sin(2.0 * M_PI * u2));
      }
    }
  }
  return omega;
}

TruncatedSvd randomized_svd(const SparseMatrix& a, const SvdOptions& o) {
  // Results do not depend on the thread count; small problems run on one thread, where parallel
  // regions would cost more than they save.
  const bool small = a.nnz() + a.rows() + a.cols() < (size_t{1} << 16);
  const int threads = small ? 1 : resolve_threads(o.threads);
  const SparseMatrix at = a.transpose();
  const size_t l = std::min(o.rank + o.oversample, std::min(a.rows(), a.cols()));
  // Two blocks on each side of A, reused throughout (fresh 30 MB blocks would cost page faults).
  Matrix z = gaussian_block(a.cols(), l, train::stream_seed(o.seed, 0x5bd1e995), threads);
  Matrix z_spare(a.cols(), l), q(a.rows(), l), q_spare(a.rows(), l);
  PanelScratch scratch;
  auto range_product = [&](const SparseMatrix& m, const Matrix& x, Matrix& out) {
    if (o.half_precision_range) sparse_times_half(m, x, out, threads, scratch);
    else sparse_times(m, x, out, threads, scratch);
  };
  range_product(a, z, q);
  orthonormalize(q, q_spare, o.power_iterations == 0, threads, nullptr);
  for (size_t i = 0; i < o.power_iterations; ++i) {
    range_product(at, q, z);
    orthonormalize(z, z_spare, false, threads, nullptr);
    range_product(a, z, q);
    orthonormalize(q, q_spare, i + 1 == o.power_iterations, threads, nullptr);
  }
  // B = Q^T A (l x n); with B^T = A^T Q = Q2 R (Q2 in z), B = R^T Q2^T and the SVD of the small
  // R^T gives B's: U_B S V_R^T, V = Q2 V_R.
  Dense r;
  sparse_times(at, q, z, threads, scratch);
  orthonormalize(z, z_spare, true, threads, &r);
  Eigen::JacobiSVD<Dense> svd(r.transpose(), Eigen::ComputeFullU | Eigen::ComputeFullV);
  const Eigen::Index rank = static_cast<Eigen::Index>(o.rank);
  TruncatedSvd out;
  out.u = dense_times(q, svd.matrixU().leftCols(rank), threads);
  out.v = dense_times(z, svd.matrixV().leftCols(rank), threads);
  fix_signs(out.u, out.v);
  for (Eigen::Index i = 0; i < rank; ++i) out.s.push_back(svd.singularValues()(i));
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
  const int threads = resolve_threads(o.threads);
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

}  // namespace embkit
