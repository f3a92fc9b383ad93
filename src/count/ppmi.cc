// PPMI weighting of co-occurrence counts (embkit/ppmi.h).
#include "embkit/ppmi.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "core/threads.h"
#include "embkit/error.h"

namespace embkit {

SparseMatrix ppmi(const SparseMatrix& counts, const PpmiOptions& options) {
  if (!(options.smoothing > 0) || !(options.smoothing <= 1))
    throw UsageError(fmt::format("context smoothing must be in (0, 1], got {}", options.smoothing));
  if (!(options.shift >= 1)) throw UsageError(fmt::format("PMI shift k must be >= 1, got {}", options.shift));
  std::vector<double> row_sums(counts.rows(), 0.0), col_sums(counts.cols(), 0.0);
  for (size_t r = 0; r < counts.rows(); ++r) {
    auto cols = counts.row_columns(r);
    auto vals = counts.row_values(r);
    for (size_t i = 0; i < cols.size(); ++i) {
      if (vals[i] < 0)
        throw UsageError(fmt::format("co-occurrence count ({}, {}) is negative", r, cols[i]));
      row_sums[r] += vals[i];
      col_sums[cols[i]] += vals[i];
    }
  }
  double total = 0, smoothed_total = 0;
  for (double s : row_sums) total += s;
  std::vector<double> log_context(counts.cols(), 0.0);
  for (size_t c = 0; c < counts.cols(); ++c) {
    if (col_sums[c] <= 0) continue;
    const double smoothed = std::pow(col_sums[c], options.smoothing);
    smoothed_total += smoothed;
    log_context[c] = std::log(smoothed);
  }
  SparseMatrix out = counts;
  if (total <= 0) {
    out.prune_zeros();
    return out;
  }
  // log( n(w,c) * S / (n(w) * n(c)^a) ) - log k with S = sum of n(c)^a; n(w,c) / total and n(w) / total
  // share the total, which cancels.
  const double log_s = std::log(smoothed_total), log_k = std::log(options.shift);
  const int threads = resolve_threads(options.threads);
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
  for (size_t r = 0; r < out.rows(); ++r) {
    auto cols = out.row_columns(r);
    auto vals = out.row_values(r);
    const double log_row = std::log(row_sums[r]);
    for (size_t i = 0; i < cols.size(); ++i) {
      if (vals[i] <= 0) {
        vals[i] = 0;
        continue;
      }
      const double pmi = std::log(double(vals[i])) + log_s - log_row - log_context[cols[i]] - log_k;
      vals[i] = pmi > 0 ? static_cast<float>(pmi) : 0.0f;
    }
  }
  out.prune_zeros();
  return out;
}

}  // namespace embkit
