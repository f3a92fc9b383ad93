// Count-based word vectors (Levy, Goldberg & Dagan 2015): co-occurrence counts -> positive pointwise
// mutual information with context-distribution smoothing -> truncated SVD.
//
//   PMI(w, c) = log( #(w,c) * sum_c' #(c')^a / ( #(w) * #(c)^a ) ) - log k,  PPMI = max(PMI, 0)
//
// where #(w) and #(c) are the row and column sums of the counts, a the smoothing exponent (0.75) and k
// the shift (1 = none). Word vectors are U_d * S_d^p (p = eig_power in [0, 1]), context vectors
// V_d * S_d^p.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "embkit/cooccurrence.h"
#include "embkit/corpus_encoder.h"
#include "embkit/keyed_vectors.h"
#include "embkit/matrix.h"
#include "embkit/ppmi.h"
#include "embkit/sparse.h"
#include "embkit/truncated_svd.h"

namespace embkit {

// The defaults are those of `embkit train --algo ppmi-svd`: window 8 with 1/d weights, eig_power
// 0.25. On 17M tokens of Wikipedia (dim 100) they score analogy 0.345, WS353 0.667, SimLex 0.269
// where Levy et al.'s window 5, uniform weights, eig_power 0.5 score 0.309, 0.652, 0.264.
struct PpmiSvdOptions {
  CooccurrenceOptions counting = cooccurrence_options_with_window(8);  // 1/d weights, symmetric
  PpmiOptions ppmi;
  SvdOptions svd;                // rank = dim
  double eig_power = 0.25;
  std::function<void(const std::string& stage, double fraction)> on_progress;
};

struct PpmiSvdResult {
  KeyedVectors vectors;          // word vectors, the vocabulary with counts
  Matrix contexts;               // context vectors V * S^p
  std::vector<double> singular_values;
  uint64_t cooccurrence_nnz = 0, ppmi_nnz = 0;
  CooccurrenceStats counting;
  double count_seconds = 0, ppmi_seconds = 0, svd_seconds = 0;
};


// The whole pipeline on an encoded corpus (ids in vocabulary order).
PpmiSvdResult train_ppmi_svd(const Vocab& vocab, const EncodedCorpus& corpus,
                             const PpmiSvdOptions& options);

// PPMI + SVD of given counts (square, rows and columns in the order of `vocab`, for example written
// by `embkit cooccur`); options.counting is not used.
PpmiSvdResult train_ppmi_svd_on_counts(const Vocab& vocab, const SparseMatrix& counts,
                                       const PpmiSvdOptions& options);

}  // namespace embkit
