// GloVe (Pennington, Socher & Manning 2014): word vectors w_i, context vectors c_j and biases fitted by
// weighted least squares to the logarithm of the co-occurrence counts X_ij,
//
//   J = sum_ij f(X_ij) (w_i . c_j + b_i + b'_j - log X_ij)^2,   f(x) = min(1, (x / x_max)^alpha),
//
// with AdaGrad over the non-zero entries in shuffled order (every epoch visits each entry once;
// the entries are shuffled once and the order of blocks of them changes every epoch), lock-free
// (Hogwild) threads and the gradient clipped per component as Stanford GloVe does. The saved vectors
// are w + c (Stanford's -model 2) or w alone.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "embkit/cooccurrence.h"
#include "embkit/corpus_encoder.h"
#include "embkit/keyed_vectors.h"
#include "embkit/matrix.h"
#include "embkit/sparse.h"

namespace embkit {

enum class GloveOutput {
  Sum,   // w + c (the default: better on similarity and analogies)
  Word,  // w only
};

struct GloveProgress {
  double fraction = 0;             // of all epochs
  size_t epoch = 0;                // 0-based
  double updates_per_second = 0;   // co-occurrence entries visited per second, all threads
  double loss = 0;                 // mean of f(X) (w.c + b + b' - log X)^2 / 2 so far this epoch
  double elapsed_seconds = 0;
  double eta_seconds = 0;
};

// The defaults are those of `embkit train --algo glove`: window 15 with 1/d weights, symmetric,
// x_max 10, 25 epochs. Wider and with a smaller x_max than Stanford GloVe's benchmark settings because
// the corpora people start from are small: on 17M tokens of Wikipedia window 15 / x_max 10 scores
// analogy 0.344, WS353 0.489 where window 10 / x_max 100 scores 0.236, 0.454.
struct GloveOptions {
  CooccurrenceOptions counting = cooccurrence_options_with_window(15);  // 1/d weights, symmetric
  size_t dim = 100;
  size_t epochs = 25;
  double learning_rate = 0.05;   // AdaGrad's initial step
  double x_max = 10;
  double alpha = 0.75;
  double grad_clip = 100;        // each gradient component is clipped to [-grad_clip, grad_clip]
  GloveOutput output = GloveOutput::Sum;
  int threads = 0;               // 0 = all cores
  uint64_t seed = 1;
  const std::atomic<bool>* stop = nullptr;  // when it becomes true, training returns early
  std::function<void(const GloveProgress&)> on_progress;  // called a few times a second
  std::function<void(double)> on_counting_progress;       // fraction of the corpus counted
  double progress_interval_seconds = 0.25;
  std::string loss_log_path;     // CSV: updates,epoch,fraction,loss
};


struct GloveResult {
  KeyedVectors vectors;               // w + c or w (GloveOptions::output), vocabulary with counts
  Matrix words, contexts;             // w and c separately
  std::vector<float> word_biases, context_biases;
  std::vector<double> epoch_losses;   // mean loss of each completed epoch
  double final_loss = 0;
  uint64_t cooccurrence_nnz = 0;
  CooccurrenceStats counting;
  double count_seconds = 0, shuffle_seconds = 0, train_seconds = 0;
  double updates_per_second = 0;
  uint64_t skipped_updates = 0;       // entries whose step was not finite (left unapplied)
  bool interrupted = false;           // stopped by `stop`
};

// Counts co-occurrences of the encoded corpus, then fits GloVe to them.
GloveResult train_glove(const Vocab& vocab, const EncodedCorpus& corpus, const GloveOptions& options);

// Fits GloVe to a given square count matrix (rows and columns in the order of `vocab`, for example
// one written by `embkit cooccur`). Entries must be positive and finite. With threads == 1 the result
// is a pure function of (vocab, counts, options). Throws UsageError for bad options or a matrix whose
// shape does not match the vocabulary, FormatError for a negative or non-finite count.
GloveResult train_glove_on_counts(const Vocab& vocab, const SparseMatrix& counts,
                                  const GloveOptions& options);

}  // namespace embkit
