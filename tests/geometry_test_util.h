// Helpers shared by the geometry_*_test.cc files: random and planted matrices, conversions to Eigen
// for reference computations, and the covariance of a matrix's rows.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <cstring>
#include <random>

#include "embkit/matrix.h"

namespace embkit::testing {

// n x d matrix with N(0, 1) entries scaled per column by `scales[c]` (1 when missing).
inline Matrix random_matrix(size_t n, size_t d, uint64_t seed, std::vector<double> scales = {}) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Matrix x(n, d);
  for (size_t r = 0; r < n; ++r)
    for (size_t c = 0; c < d; ++c)
      x.mutable_row(r)[c] = static_cast<float>(normal(rng) * (c < scales.size() ? scales[c] : 1.0));
  return x;
}

inline Eigen::MatrixXd to_eigen(const Matrix& x) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(x.rows()), static_cast<Eigen::Index>(x.cols()));
  for (size_t r = 0; r < x.rows(); ++r)
    for (size_t c = 0; c < x.cols(); ++c)
      m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = x.row(r)[c];
  return m;
}

inline Matrix from_eigen(const Eigen::MatrixXd& m) {
  Matrix x(static_cast<size_t>(m.rows()), static_cast<size_t>(m.cols()));
  for (size_t r = 0; r < x.rows(); ++r)
    for (size_t c = 0; c < x.cols(); ++c)
      x.mutable_row(r)[c] =
          static_cast<float>(m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)));
  return x;
}

// Sample covariance of the rows (n - 1 denominator).
inline Eigen::MatrixXd covariance_of(const Eigen::MatrixXd& m) {
  Eigen::MatrixXd centered = m.rowwise() - m.colwise().mean();
  return centered.transpose() * centered / static_cast<double>(m.rows() - 1);
}

inline bool same_bits(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (size_t r = 0; r < a.rows(); ++r)
    if (std::memcmp(a.row(r), b.row(r), a.cols() * sizeof(float)) != 0) return false;
  return true;
}

}  // namespace embkit::testing
