#include "embkit/affine_map.h"

#include <fmt/format.h>

#include <cstring>

#include "core/threads.h"
#include "embkit/error.h"
#include "embkit/kernels.h"

namespace embkit {

Matrix AffineMap::apply(const Matrix& x, int threads) const {
  if (x.cols() != in_dim)
    throw UsageError(
        fmt::format("the transform expects vectors of dimension {}, got {}", in_dim, x.cols()));
  Matrix y(x.rows(), out_dim);
  const long rows = static_cast<long>(x.rows());
#pragma omp parallel num_threads(resolve_threads(threads))
  {
    std::vector<float> centered(in_dim);
#pragma omp for schedule(static)
    for (long r = 0; r < rows; ++r) {
      const float* in = x.row(static_cast<size_t>(r));
      float* out = y.mutable_row(static_cast<size_t>(r));
      if (shift.empty()) {
        std::memcpy(centered.data(), in, in_dim * sizeof(float));
      } else {
        for (size_t i = 0; i < in_dim; ++i) centered[i] = in[i] - shift[i];
      }
      if (weights.empty()) {
        std::memcpy(out, centered.data(), in_dim * sizeof(float));
      } else {
        for (size_t j = 0; j < out_dim; ++j)
          out[j] = kernels::dot(weights.data() + j * in_dim, centered.data(), in_dim);
      }
    }
  }
  return y;
}

}  // namespace embkit
