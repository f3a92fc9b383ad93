// t-SNE (van der Maaten and Hinton 2008): a 2-D map whose Student-t similarities q_ij match the
// Gaussian affinities p_ij of the input rows, found by gradient descent on KL(P || Q).
//
//   p_j|i = exp(-beta_i |x_i - x_j|^2) / sum_k exp(-beta_i |x_i - x_k|^2), beta_i chosen by binary
//           search so that the entropy of row i equals log(perplexity) (natural log);
//   p_ij  = (p_j|i + p_i|j) / 2n;  q_ij = w_ij / Z, w_ij = 1 / (1 + |y_i - y_j|^2), Z = sum_{k!=l}
//   w_kl; dKL/dy_i = 4 sum_j (p_ij - q_ij) w_ij (y_i - y_j).
//
// Optimisation as in the reference description and scikit-learn: early exaggeration (P x 12 for 250
// iterations), momentum 0.5 then 0.8, per-coordinate gains (+0.2 when the gradient's sign flips,
// x0.8 otherwise, at least 0.01), learning rate "auto" = max(n / exaggeration / 4, 50). Up to
// `exact_max_points` rows the gradient is exact (O(n^2) per iteration, dense P); above, P keeps
// only each row's 3 x perplexity nearest neighbours and the repulsive forces come from a Barnes-Hut
// quadtree (van der Maaten 2014, "Accelerating t-SNE using tree-based algorithms").
//
// Every per-point quantity is computed independently and summed in point order, so the result
// depends on the seed only, not on the number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "embkit/matrix.h"

namespace embkit {

struct TsneOptions {
  double perplexity = 30;          // effective number of neighbours; must be < number of rows
  size_t iterations = 1000;        // total, including the exaggeration phase
  double theta = 0.5;              // Barnes-Hut opening angle (0 = exact sums over the tree)
  size_t exact_max_points = 5000;  // exact gradient up to this many rows, Barnes-Hut above
  double early_exaggeration = 12;
  size_t exaggeration_iterations = 250;
  double learning_rate = 0;  // 0 = auto: max(n / early_exaggeration / 4, 50)
  uint64_t seed = 1;         // initial map: N(0, 1e-4^2) per coordinate from this seed
  int threads = 0;           // 0 = all cores
  // Called every `kl_every` iterations and at the end with (iteration done, KL divergence).
  std::function<void(size_t, double)> on_progress;
  size_t kl_every = 50;
};

struct TsneResult {
  std::vector<double> embedding;  // n x 2, row-major: x0 y0 x1 y1 ...
  // (iteration, KL(P||Q)) at every kl_every iterations and at the end; during early exaggeration
  // the KL is that of the exaggerated P, as scikit-learn reports it.
  std::vector<std::pair<size_t, double>> kl_history;
  double final_kl = 0;
  bool barnes_hut = false;
  double learning_rate = 0;
};

// Conditional affinities p_j|i in compressed rows: row i holds columns[offsets[i]..offsets[i+1]).
struct TsneAffinities {
  std::vector<size_t> offsets;
  std::vector<uint32_t> columns;
  std::vector<double> values;
  std::vector<double> betas;  // precision 1 / (2 sigma_i^2) per row
};

// p_j|i over each row's `neighbors` nearest rows (squared L2), or over all other rows when
// neighbors == 0 or >= rows - 1. UsageError when perplexity is not in (0, candidates].
TsneAffinities tsne_conditional_affinities(const Matrix& data, double perplexity, size_t neighbors,
                                           int threads = 0);

// Throws UsageError for fewer than 2 rows, a perplexity >= rows, non-finite input or bad options.
TsneResult tsne(const Matrix& data, const TsneOptions& options = {});

}  // namespace embkit
