// Random projection to K dimensions, y = R x with a K x D random matrix R whose entries have mean 0
// and variance 1/K, so squared distances are preserved in expectation (Johnson-Lindenstrauss):
//   Gaussian     R_ij ~ N(0, 1/K)
//   Sparse       R_ij = +-sqrt(3/K) with probability 1/6 each, else 0 (Achlioptas 2003; density
//   1/3) VerySparse   R_ij = +-sqrt(sqrt(D)/K) with probability 1/(2 sqrt(D)) each, else 0
//                (Li, Hastie & Church 2006; density 1/sqrt(D))
// The matrix is a function of (kind, K, D, seed) alone: generated row by row from SplitMix64.
//
// jl_min_dim(n, eps) = ceil(4 ln n / (eps^2/2 - eps^3/3)): a dimension K at which a random
// projection of n points keeps every squared distance within a factor (1 +- eps) with good
// probability (Dasgupta & Gupta 2003). scikit-learn's johnson_lindenstrauss_min_dim uses the same
// formula but truncates instead of rounding up, so it returns one less whenever the bound is not
// an integer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "embkit/affine_map.h"

namespace embkit {

enum class RandomProjectionKind { Gaussian, Sparse, VerySparse };

struct RandomProjectionOptions {
  size_t components = 0;  // K, required
  RandomProjectionKind kind = RandomProjectionKind::Gaussian;
  uint64_t seed = 1;
};

// "gaussian", "sparse", "verysparse"; throws UsageError for other names.
RandomProjectionKind parse_random_projection_kind(std::string_view name);
std::string_view random_projection_kind_name(RandomProjectionKind kind);
// Fraction of non-zero entries: 1, 1/3, 1/sqrt(D).
double random_projection_density(RandomProjectionKind kind, size_t in_dim);

// A D -> K map with no shift. Throws UsageError when K or D is 0.
AffineMap random_projection(size_t in_dim, const RandomProjectionOptions& options);

// Throws UsageError unless 0 < eps < 1 and n >= 1.
size_t jl_min_dim(uint64_t n, double eps);

}  // namespace embkit
