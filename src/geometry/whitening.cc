#include "embkit/whitening.h"

#include <fmt/format.h>

#include <cmath>

#include "embkit/error.h"

namespace embkit {

AffineMap fit_whitening(const PrincipalAxes& axes, const WhiteningOptions& options) {
  if (!(options.eps >= 0) || !std::isfinite(options.eps))
    throw UsageError(
        fmt::format("whitening eps must be a finite number >= 0, got {}", options.eps));
  const size_t dim = axes.dim;
  std::vector<double> scale(dim);
  for (size_t i = 0; i < dim; ++i) {
    const double variance = axes.variances[i] + options.eps;
    // With eps 0 a zero-variance direction carries no signal after centering: drop it, not NaN.
    scale[i] = variance > 0 ? 1.0 / std::sqrt(variance) : 0.0;
  }
  AffineMap map;
  map.in_dim = map.out_dim = dim;
  map.shift.assign(axes.mean.begin(), axes.mean.end());
  map.weights.assign(dim * dim, 0.0f);
  if (options.kind == WhiteningKind::Pca) {
    for (size_t i = 0; i < dim; ++i)
      for (size_t c = 0; c < dim; ++c)
        map.weights[i * dim + c] = static_cast<float>(scale[i] * axes.axis(i)[c]);
    return map;
  }
  std::vector<double> w(dim * dim, 0.0);
  for (size_t i = 0; i < dim; ++i) {
    const double* v = axes.axis(i);
    for (size_t r = 0; r < dim; ++r) {
      const double a = scale[i] * v[r];
      double* row = w.data() + r * dim;
      for (size_t c = 0; c < dim; ++c) row[c] += a * v[c];
    }
  }
  // (s v[r]) v[c] and (s v[c]) v[r] round differently: average the triangles so that the
  // matrix is exactly symmetric.
  for (size_t r = 0; r < dim; ++r)
    for (size_t c = 0; c < r; ++c) {
      const float value = static_cast<float>(0.5 * (w[r * dim + c] + w[c * dim + r]));
      map.weights[r * dim + c] = map.weights[c * dim + r] = value;
    }
  for (size_t r = 0; r < dim; ++r) map.weights[r * dim + r] = static_cast<float>(w[r * dim + r]);
  return map;
}

}  // namespace embkit
