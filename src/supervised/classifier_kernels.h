// The classifier's inner loops, on rows of `stride` floats (a multiple of 16; Matrix pads rows and
// the padding is zero and stays zero): the hidden vector of a line, the updates of each loss, the
// scores of prediction. Compiled once per instruction-set level (classifier_kernels_impl.h) and
// chosen by kernels::active_isa(), like every SIMD loop of embkit.
//
// The update steps follow fastText's order: for each output row in turn, its score from the
// current hidden vector, then grad += alpha * row (the old row) and row += alpha * hidden, with
// alpha = lr * (target - prediction). `grad` accumulates; the caller zeroes it per example.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/isa.h"

namespace embkit::supervised {

struct ClassifierKernelTable {
  kernels::Isa isa;
  // hidden = mean of the rows `ids[0..n)` of `base` (n > 0).
  void (*mean_rows)(const float* base, size_t stride, const uint32_t* ids, size_t n,
                    float* hidden);
  // rows ids[0..n) of base += delta.
  void (*add_to_rows)(float* base, size_t stride, const uint32_t* ids, size_t n,
                      const float* delta);
  // Full softmax over rows 0..labels-1 with one target: returns -log p(target). `scores` holds
  // `labels` floats.
  float (*softmax_step)(float* out, size_t stride, size_t labels, uint32_t target,
                        const float* hidden, float* grad, float lr, float* scores);
  // Independent logistic steps on rows rows[0..n) (identity when rows is null) with 0/1 targets:
  // returns the summed logistic loss.
  float (*binary_steps)(float* out, size_t stride, const uint32_t* rows, const float* targets,
                        size_t n, const float* hidden, float* grad, float lr);
  // scores[i] = row i . hidden for rows 0..n-1.
  void (*row_scores)(const float* out, size_t stride, size_t n, const float* hidden,
                     float* scores);
  // values[0..n) = softmax(values) (exp of the shifted values, normalised).
  void (*softmax)(float* values, size_t n);
};

const ClassifierKernelTable& classifier_kernel_table(kernels::Isa isa);
// The table of kernels::active_isa() (chosen once).
const ClassifierKernelTable& classifier_kernels();

extern const ClassifierKernelTable kGenericClassifierKernels;
#if defined(__x86_64__)
extern const ClassifierKernelTable kAvx2ClassifierKernels;
extern const ClassifierKernelTable kAvx512ClassifierKernels;
#endif

}  // namespace embkit::supervised
