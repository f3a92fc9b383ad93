#include "embkit/abtt.h"

#include <fmt/format.h>

#include "embkit/error.h"

namespace embkit {

AffineMap fit_all_but_the_top(const PrincipalAxes& axes, size_t remove) {
  const size_t dim = axes.dim;
  if (remove == 0) throw UsageError("abtt needs at least 1 direction to remove");
  if (remove >= dim)
    throw UsageError(
        fmt::format("abtt:{} must remove fewer directions than the dimension {}", remove, dim));
  if (remove >= axes.samples)
    throw UsageError(fmt::format("abtt:{} must remove fewer directions than the {} vectors", remove,
                                 axes.samples));
  std::vector<double> w(dim * dim, 0.0);
  for (size_t r = 0; r < dim; ++r) w[r * dim + r] = 1.0;
  for (size_t i = 0; i < remove; ++i) {
    const double* u = axes.axis(i);
    for (size_t r = 0; r < dim; ++r)
      for (size_t c = 0; c < dim; ++c) w[r * dim + c] -= u[r] * u[c];
  }
  AffineMap map;
  map.in_dim = map.out_dim = dim;
  map.shift.assign(axes.mean.begin(), axes.mean.end());
  map.weights.assign(w.begin(), w.end());
  return map;
}

}  // namespace embkit
