// Perplexity calibration for t-SNE: the Gaussian precision beta_i of each row found by binary
// search so that the row's conditional distribution has entropy log(perplexity) (natural log), as
// in the reference description of van der Maaten and Hinton (2008).
#pragma once

#include <cstddef>

#include "embkit/matrix.h"

namespace embkit::tsne_detail {

// squared_distances[0..m) from row i to its candidates; writes p[0..m) (summing to 1) and returns
// beta. Distances are shifted by their minimum first so exp() never underflows to an all-zero row.
double calibrate_row(const double* squared_distances, size_t m, double perplexity, double* p);

// The n x n matrix of symmetrised affinities p_ij = (p_j|i + p_i|j) / 2n over all pairs (row-major,
// stride n, zero diagonal): the exact t-SNE's P.
void dense_joint_affinities(const Matrix& data, double perplexity, int threads, float* out);

}  // namespace embkit::tsne_detail
