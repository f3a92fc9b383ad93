// All-but-the-top (Mu & Viswanath, "All-but-the-Top: Simple and Effective Postprocessing for Word
// Representations", ICLR 2018): word vectors share a large common mean and a few dominant
// directions that carry frequency rather than meaning. Remove both:
//   y = (x - mean) - sum over the top `remove` principal axes u of (u . (x - mean)) u
// as one map y = (I - U^T U)(x - mean); the dimension is unchanged.
#pragma once

#include <cstddef>

#include "embkit/affine_map.h"
#include "embkit/pca.h"

namespace embkit {

// Throws UsageError when remove is 0, not below the dimension, or not below the number of vectors
// (beyond n - 1 axes the directions are arbitrary).
AffineMap fit_all_but_the_top(const PrincipalAxes& axes, size_t remove);

}  // namespace embkit
