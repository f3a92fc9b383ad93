// The negative-sampling updates of word2vec, one call per training step, on rows of the input
// (word) and output (context) matrices. Rows are `width` floats, a multiple of 16 (Matrix pads
// rows; the padding is zero and stays zero). For a pair of input row v and output row u with label
// y (1 for the true word, 0 for a negative), the loss is softplus(-v.u) when y = 1 and
// softplus(v.u) when y = 0; its gradient with respect to the score is -(y - sigmoid(v.u)), and
// every kernel moves the rows by learning_rate x g, g = y - sigmoid(v.u), times the other row:
//
//   skipgram_minibatch_update  HogBatch (Ji et al. 2016, "Parallelizing Word2Vec in Shared and
//       Distributed Memory"): B context rows V against one output block U = (target, K negatives)
//       shared by the whole window; scores S = V U^T (B x (K+1)), G = lr (Y - sigmoid(S)),
//       V += G U and U += G^T V, both from the old values, U written back once per window.
//   skipgram_pair_update       word2vec.c: one context row against (target, K negatives), the
//   output
//       rows updated one after another, the input row once at the end.
//   cbow_update                CBOW with the mean of the context rows as hidden vector h
//   (word2vec's
//       cbow_mean = 1): g_k from h.u_k, U += g h^T, and every context row moves by sum_k g_k u_k —
//       not divided by B, as in word2vec.c, whose default learning rate 0.05 assumes it.
//
// `labels` (may be null) gives each output row its 0/1 label: several positives in one call (a
// subword skip-gram step scores the centre word against all its context words at once) or the codes
// of a hierarchical-softmax path (label 1 - code, as word2vec.c); null means output 0 is the one
// positive and the others are negatives.
//
// Guards: a non-finite score skips the whole step; a row whose updated values would not be finite
// is left as it was. Both are counted in UpdateStats::skipped, so no NaN or Inf is ever written.
//
// The kernels are compiled once per instruction-set level (update_kernels_impl.h); the functions
// below call the table of kernels::active_isa(), and update_kernel_table() gives any level's table.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/isa.h"

namespace embkit::train {

struct UpdateStats {
  double loss = 0;     // sum of the pair losses, computed before the update
  uint64_t pairs = 0;  // (input, output) pairs scored
  uint64_t skipped = 0;
};

// Scratch memory the kernels need: (outputs + 2) rows of width floats plus inputs x outputs scores.
size_t update_scratch_floats(size_t max_inputs, size_t max_outputs, size_t width);

void skipgram_minibatch_update(float* const* inputs, size_t input_count, float* const* outputs,
                               size_t output_count, size_t width, float learning_rate,
                               float* scratch, UpdateStats& stats, const float* labels = nullptr);

void skipgram_pair_update(float* input, float* const* outputs, size_t output_count, size_t width,
                          float learning_rate, float* scratch, UpdateStats& stats,
                          const float* labels = nullptr);

// `sequential`: score each output row after the previous one was updated (word2vec.c's order);
// otherwise all scores first, then the updates (they differ only when an output row repeats).
// Also the subword step (fastText): the inputs are a word's n-gram rows, the hidden vector their
// mean, and every input row moves by the whole hidden-vector gradient.
void cbow_update(float* const* inputs, size_t input_count, float* const* outputs,
                 size_t output_count, size_t width, float learning_rate, bool sequential,
                 float* scratch, UpdateStats& stats, const float* labels = nullptr);

struct UpdateKernelTable {
  kernels::Isa isa;
  void (*skipgram_minibatch_update)(float* const* inputs, size_t input_count, float* const* outputs,
                                    size_t output_count, size_t width, float learning_rate,
                                    float* scratch, UpdateStats& stats, const float* labels);
  void (*skipgram_pair_update)(float* input, float* const* outputs, size_t output_count,
                               size_t width, float learning_rate, float* scratch,
                               UpdateStats& stats, const float* labels);
  void (*cbow_update)(float* const* inputs, size_t input_count, float* const* outputs,
                      size_t output_count, size_t width, float learning_rate, bool sequential,
                      float* scratch, UpdateStats& stats, const float* labels);
};

// The table of a level; the level must be supported (kernels::isa_supported).
const UpdateKernelTable& update_kernel_table(kernels::Isa isa);

extern const UpdateKernelTable kGenericUpdateKernels;
#if defined(__x86_64__)
extern const UpdateKernelTable kAvx2UpdateKernels;
extern const UpdateKernelTable kAvx512UpdateKernels;
#endif

}  // namespace embkit::train
