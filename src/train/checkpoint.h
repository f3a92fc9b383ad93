// The resumable state of a word2vec run, as one binary file (little-endian, written atomically):
//   "EMBKW2V\0" magic, u32 version (3), the options that change the result (architecture, update
//   mode, loss, subword minn / maxn / bucket, dim, window, negative, epochs, sample, learning rate,
//   seed), vocabulary size and a hash of
//   its words and counts, corpus token and sentence counts, words processed (drives the learning
//   rate), skipped-update count, the next block of sentences to hand out, one cursor per thread
//   (epoch, next sentence, RNG state, loss of the current epoch), the loss curve so far (u64 count,
//   then words, epoch, fraction, learning rate, loss per row), then the input, output and n-gram matrices (u64 rows each, then rows x dim
//   float32, no padding; the output has V - 1 rows for hierarchical softmax, the n-gram matrix
//   `bucket` rows with subwords and none without), and a 64-bit checksum of everything before it.
//   Version 2 files (no loss, no subwords) are still read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "embkit/matrix.h"
#include "embkit/vocab.h"

namespace embkit::train {

struct CheckpointSettings {
  uint32_t architecture = 0;  // Word2VecArchitecture
  uint32_t minibatch = 1;
  uint32_t loss = 0;  // Word2VecLoss
  uint32_t minn = 0, maxn = 0, bucket = 0;
  uint64_t dim = 0, window = 0, negative = 0, epochs = 0;
  double sample = 0, learning_rate = 0;
  uint64_t seed = 0;
  bool operator==(const CheckpointSettings&) const = default;
};

inline constexpr uint64_t kNoSentence = ~uint64_t{0};

struct ThreadCursor {
  uint64_t epoch = 0;
  uint64_t sentence = kNoSentence;  // next sentence to train, or kNoSentence: claim a block first
  uint64_t rng_state = 0;
  double epoch_loss = 0;  // loss summed over the current epoch
  uint64_t epoch_pairs = 0;
};

// One row of the loss curve (the CSV of --loss-log), kept in the checkpoint so that a resumed run
// writes the whole curve.
struct LossLogRow {
  uint64_t words = 0;
  uint64_t epoch = 0;
  double fraction = 0, learning_rate = 0, loss = 0;
};

struct CheckpointState {
  CheckpointSettings settings;
  uint64_t vocab_size = 0, vocab_hash = 0;
  uint64_t corpus_tokens = 0, corpus_sentences = 0;
  uint64_t words_processed = 0;
  uint64_t skipped = 0;
  uint64_t next_block = 0;  // blocks handed out so far, over all epochs
  std::vector<ThreadCursor> cursors;
  std::vector<LossLogRow> loss_log;
};

// A hash of the words of a vocabulary and their counts, in order.
uint64_t vocabulary_hash(const Vocab& vocab);

// Throws IoError when the file cannot be written.
void write_checkpoint(const std::string& path, const CheckpointState& state, const Matrix& input,
                      const Matrix& output, const Matrix& ngrams);
// Fills `input`, `output` and `ngrams` (allocated here). Throws IoError (unreadable) or FormatError
// (not a checkpoint, wrong version, truncated, checksum mismatch).
CheckpointState read_checkpoint(const std::string& path, Matrix& input, Matrix& output,
                                Matrix& ngrams);

}  // namespace embkit::train
