// Word-context co-occurrence counts over an encoded corpus: the input of PPMI + SVD and of GloVe.
//
// For every token w at position i and every context token c at distance d = 1..window in the same
// sentence, entry (w, c) grows by weight(d): 1/d (GloVe's harmonic weighting) or 1 (uniform).
// Symmetric counting adds both (w, c) and (c, w) for the pair, so the matrix is symmetric; one-sided
// counting (GloVe's -symmetric 0) adds only (w, c) for contexts c to the left of w.
//
// Memory: frequent pairs go to a dense per-thread table (word ids are in frequency order, so pairs
// with id(w) x id(c) below a bound cover most of the mass, as in GloVe's cooccur); the rest are
// buffered, sorted and combined. When the buffered runs outgrow `memory_gb` they are written to
// sorted shard files in `temp_dir` and merged at the end, so counts larger than RAM still work; the
// shards are removed when counting ends, on error too.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "embkit/corpus_encoder.h"
#include "embkit/sparse.h"

namespace embkit {

enum class CooccurrenceWeighting { Harmonic, Uniform };

struct CooccurrenceOptions {
  size_t window = 5;
  bool symmetric = true;
  CooccurrenceWeighting weighting = CooccurrenceWeighting::Harmonic;
  double memory_gb = 4.0;  // budget for tables and buffered pairs; above it, spill to disk
  std::string temp_dir;    // where shards go; default: the system temporary directory
  int threads = 0;         // 0 = all cores
  std::function<void(double)> on_progress;  // fraction of the corpus counted
};

// The defaults with another window: the count-based models each default to their own.
inline CooccurrenceOptions cooccurrence_options_with_window(size_t window) {
  CooccurrenceOptions options;
  options.window = window;
  return options;
}

struct CooccurrenceStats {
  uint64_t pairs_emitted = 0;  // (w, c) additions made
  uint64_t shards = 0;         // sorted runs written to disk
  uint64_t spilled_bytes = 0;
  double seconds = 0;
};

// A vocab_size x vocab_size matrix of summed weights. Deterministic: the result does not depend on
// the thread count or the memory budget (sums are taken in double and rounded once to float).
// Throws UsageError for a zero window or an id outside the vocabulary, IoError when a shard cannot be
// written or read.
SparseMatrix count_cooccurrences(const EncodedCorpus& corpus, size_t vocab_size,
                                 const CooccurrenceOptions& options,
                                 CooccurrenceStats* stats = nullptr);

}  // namespace embkit
