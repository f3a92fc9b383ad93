// Principal component analysis of the rows of a matrix, exact: the D x D covariance is accumulated
// in double (rows split into a fixed number of stripes, summed in order, so the result does not
// depend on the thread count) and diagonalised with Eigen's SelfAdjointEigenSolver. D is the
// embedding dimension (at most a few thousand), so the O(n D^2 + D^3) cost is small.
//
// Conventions match scikit-learn's PCA: variances use the n - 1 denominator (explained_variance_),
// ratios divide by the total variance (explained_variance_ratio_), projections are (x - mean) V^T.
// Sign convention: every axis is flipped so that its largest-|loading| coordinate (the first one on
// ties) is positive. scikit-learn 1.2 decides signs from U instead, so its components may differ
// from ours by a sign per component — the values agree up to that sign.
#pragma once

#include <cstddef>
#include <vector>

#include "embkit/affine_map.h"
#include "embkit/matrix.h"

namespace embkit {

// Every principal axis of the rows of a matrix.
struct PrincipalAxes {
  size_t samples = 0;
  size_t dim = 0;
  std::vector<double> mean;       // dim
  std::vector<double> variances;  // dim eigenvalues of the covariance, descending, clamped at 0
  std::vector<double> axes;       // dim x dim, row-major: row i is the unit axis of variances[i]

  const double* axis(size_t i) const { return axes.data() + i * dim; }
  double total_variance() const;
  // variances[i] / total_variance() (0 when the total is 0: constant rows).
  double explained_variance_ratio(size_t i) const;
};

// Throws UsageError for fewer than 2 rows, dimension 0, or a non-finite value (naming its row and
// column). threads: 0 = all cores.
PrincipalAxes principal_axes(const Matrix& x, int threads = 0);

// The top `components` axes as a projection x -> (x - mean) V^T, with their variances.
struct Pca {
  AffineMap projection;                          // in_dim D, out_dim K
  std::vector<double> explained_variance;        // K
  std::vector<double> explained_variance_ratio;  // K

  size_t components() const { return projection.out_dim; }
  // Rows of K coordinates back to D dimensions: y V + mean.
  Matrix inverse(const Matrix& projected, int threads = 0) const;
};

// Throws UsageError when components is 0, above the dimension or above the number of rows.
Pca fit_pca(const PrincipalAxes& axes, size_t components);
Pca fit_pca(const Matrix& x, size_t components, int threads = 0);

// The mean of the rows in double (stripes summed in a fixed order). Throws UsageError on no rows.
std::vector<double> row_mean(const Matrix& x, int threads = 0);

// Throws UsageError naming the first non-finite value ("vector 12, value 3 is not finite").
void require_finite(const Matrix& x);

}  // namespace embkit
