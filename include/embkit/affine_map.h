// AffineMap: y = W (x - shift), the shape shared by every linear post-processing step (centering,
// PCA projection, PCA/ZCA whitening, all-but-the-top, random projection). Parameters are float32,
// and apply() computes every output row from its input row alone in a fixed order, so a fitted map
// applied to new vectors gives bit-identical results for equal rows, whatever the batch or thread
// count.
#pragma once

#include <cstddef>
#include <vector>

#include "embkit/matrix.h"

namespace embkit {

struct AffineMap {
  size_t in_dim = 0;
  size_t out_dim = 0;
  std::vector<float> shift;    // in_dim values subtracted first; empty: no shift
  std::vector<float> weights;  // out_dim x in_dim, row-major; empty: identity (out_dim == in_dim)

  // Throws UsageError when x.cols() != in_dim. threads: 0 = all cores.
  Matrix apply(const Matrix& x, int threads = 0) const;
};

}  // namespace embkit
