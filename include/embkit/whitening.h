// Whitening: a linear map after which the covariance of the rows is (nearly) the identity.
// With the covariance C = V^T diag(lambda) V (rows of V the principal axes, see pca.h):
//   PCA whitening  y = diag(1 / sqrt(lambda + eps)) V (x - mean)        (rotates onto the axes)
//   ZCA whitening  y = V^T diag(1 / sqrt(lambda + eps)) V (x - mean)    (Bell & Sejnowski 1997)
// ZCA's matrix is symmetric and, among all whitening matrices, gives the output closest to the
// input in mean squared distance (Kessy, Lewin & Strimmer 2018). `eps` keeps directions of zero
// variance (constant or rank-deficient data) finite: they map to 0 instead of dividing by 0.
#pragma once

#include "embkit/affine_map.h"
#include "embkit/pca.h"

namespace embkit {

enum class WhiteningKind { Pca, Zca };

struct WhiteningOptions {
  WhiteningKind kind = WhiteningKind::Pca;
  double eps = 1e-5;  // added to every eigenvalue; must be >= 0 (0 only for full-rank data)
};

// A D -> D map. Throws UsageError when eps is negative or not finite.
AffineMap fit_whitening(const PrincipalAxes& axes, const WhiteningOptions& options = {});

}  // namespace embkit
