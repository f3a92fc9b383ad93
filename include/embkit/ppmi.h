// Positive pointwise mutual information with context-distribution smoothing (Levy, Goldberg &
// Dagan 2015):
//
//   PMI(w, c) = log( #(w,c) * sum_c' #(c')^a / ( #(w) * #(c)^a ) ) - log k,  PPMI = max(PMI, 0)
//
// where #(w) and #(c) are the row and column sums of the counts, a the smoothing exponent and k the
// shift (1 = none).
#pragma once

#include "embkit/sparse.h"

namespace embkit {

struct PpmiOptions {
  double smoothing = 0.75;  // context-distribution smoothing exponent
  double shift = 1.0;       // k of "shifted PPMI": subtract log k before clipping at 0
  int threads = 0;
};

// PPMI of a count matrix; entries that clip to 0 are dropped. Throws UsageError for a negative count
// or bad options.
SparseMatrix ppmi(const SparseMatrix& counts, const PpmiOptions& options = {});

}  // namespace embkit
