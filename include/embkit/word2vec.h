// word2vec training (Mikolov et al. 2013): skip-gram and CBOW with negative sampling from the
// unigram^0.75 distribution, frequent-word subsampling, reduced windows, a learning rate decaying
// linearly to lr x 1e-4, lock-free (Hogwild) threads. The default update is the minibatched one of
// pWord2Vec / HogBatch (Ji et al. 2016): one set of negatives shared by a whole context window, the
// per-pair dot products replaced by small dense matrix products; the classic per-pair update is kept.
//
// Losses: negative sampling (default), hierarchical softmax over a Huffman tree of the words
// (word2vec.c's), and the full softmax (every output row scored per step: for small vocabularies).
// Subwords (fastText, Bojanowski et al. 2017): with subwords.maxn > 0 a word's input is the mean of
// its own row and its character n-gram rows (embkit/subwords.h, hashed as fastText hashes them), and
// every step moves all of them; skip-gram scores the centre word's n-grams against the context.
// The result then carries the n-gram rows, so any word, seen or not, has a vector.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "embkit/corpus_encoder.h"
#include "embkit/keyed_vectors.h"
#include "embkit/subwords.h"

namespace embkit {

enum class Word2VecArchitecture { SkipGram, Cbow };
enum class Word2VecLoss { NegativeSampling, HierarchicalSoftmax, Softmax };

struct TrainProgress {
  double fraction = 0;               // of all epochs
  size_t epoch = 0;                  // 0-based
  double words_per_second_per_thread = 0;
  double learning_rate = 0;
  double loss = 0;                   // running mean of the loss per scored pair (softmax: per step)
  double elapsed_seconds = 0;
  double eta_seconds = 0;
};

struct Word2VecOptions {
  Word2VecArchitecture architecture = Word2VecArchitecture::SkipGram;
  size_t dim = 100;
  size_t window = 5;
  size_t negative = 5;
  double sample = 1e-3;     // subsampling threshold (0 = off)
  size_t epochs = 5;
  double learning_rate = 0;  // 0 = default_learning_rate(architecture)
  int threads = 0;           // 0 = all cores
  uint64_t seed = 1;
  bool minibatch = true;     // shared negatives per window (HogBatch); false = classic per-pair update
  Word2VecLoss loss = Word2VecLoss::NegativeSampling;
  // Character n-grams; off unless maxn > 0 (then minn <= maxn and bucket >= 1).
  SubwordSettings subwords{3, 0, 2000000};

  // Checkpoints: every `checkpoint_every_seconds` (0 = never) the full state is written atomically
  // to `checkpoint_path`; also when `stop` becomes true (then training returns early).
  double checkpoint_every_seconds = 0;
  std::string checkpoint_path;
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const TrainProgress&)> on_progress;  // called a few times a second
  double progress_interval_seconds = 0.25;                 // between on_progress calls
  std::string loss_log_path;                               // CSV: words,epoch,fraction,lr,loss
};

// 0.025 for skip-gram, 0.05 for CBOW (word2vec.c's).
double default_learning_rate(Word2VecArchitecture architecture);

struct TrainResult {
  KeyedVectors vectors;     // input (word) vectors, vocabulary in frequency order with counts
  Matrix contexts;          // output vectors: one per word (ns, softmax) or per inner node (hs)
  double seconds = 0;
  double words_per_second = 0;  // raw corpus tokens x epochs / seconds
  double final_loss = 0;
  bool interrupted = false;     // stopped by `stop` after writing a checkpoint
  uint64_t skipped_updates = 0; // steps or rows left unchanged because a value was not finite
};

// Trains from an encoded corpus. `init` (may be null) gives starting vectors for known words (matched
// by word; its dimension must equal options.dim). With threads == 1 the result is a pure function of
// (vocab, corpus, options, init): bit-identical across runs.
TrainResult train_word2vec(const Vocab& vocab, const EncodedCorpus& corpus,
                           const Word2VecOptions& options, const KeyedVectors* init = nullptr);

// Continues from a checkpoint written by train_word2vec (same vocabulary and corpus; the learning-rate
// schedule and epoch position resume where they stopped). The options that change the result
// (architecture, minibatch, loss, subwords, dim, window, negative, sample, epochs, learning rate) must equal the
// checkpoint's; the thread count is the checkpoint's (each thread's position in its slice of the
// corpus is part of the state). Throws FormatError if the checkpoint does not match.
TrainResult resume_word2vec(const std::string& checkpoint_path, const Vocab& vocab,
                            const EncodedCorpus& corpus, const Word2VecOptions& options);

}  // namespace embkit
