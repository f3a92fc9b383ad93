// The word2vec update kernels (train/update_kernels.h), written once and compiled once per
// instruction-set level: train/update_kernels.cc includes this file for the portable level,
// kernels/update_kernels_avx2.cc and kernels/update_kernels_avx512.cc for the SIMD levels, each
// inside an anonymous namespace after its own includes (<cmath>, train/sigmoid_table.h,
// train/update_kernels.h) and, for a SIMD level, inside its target region
// (kernels/target_region.h).
//
// Hot loops: every loop runs over 16-float chunks so that GCC vectorises it without reassociating
// (AVX-512: one register per chunk; AVX2: two), which also makes the sums independent of the vector
// width. No include guard on purpose (see simd_kernels_impl.h); the one #include is the shared row
// loops (kernels/row_loops_impl.h).

#include "kernels/row_loops_impl.h"

// y += alpha * x
EMBKIT_INLINE void axpy_row(float alpha, const float* __restrict x, float* __restrict y,
                            size_t width) {
  for (size_t i = 0; i < width; i += kChunk)
    for (size_t j = 0; j < kChunk; ++j) y[i + j] += alpha * x[i + j];
}

EMBKIT_INLINE void zero_row(float* y, size_t width) {
  for (size_t i = 0; i < width; i += kChunk)
    for (size_t j = 0; j < kChunk; ++j) y[i + j] = 0.0f;
}

// row += delta unless a result would be NaN or Inf; returns whether it was written.
EMBKIT_INLINE bool add_if_finite(float* __restrict row, const float* __restrict delta,
                                 size_t width) {
  // x - x is 0 for finite x and NaN for NaN or Inf, and NaN survives the sum.
  float acc[kChunk] = {};
  for (size_t i = 0; i < width; i += kChunk)
    for (size_t j = 0; j < kChunk; ++j) {
      float updated = row[i + j] + delta[i + j];
      acc[j] += updated - updated;
    }
  for (size_t half = kChunk / 2; half > 0; half /= 2)
    for (size_t j = 0; j < half; ++j) acc[j] += acc[j + half];
  if (!(acc[0] == 0.0f)) return false;
  for (size_t i = 0; i < width; i += kChunk)
    for (size_t j = 0; j < kChunk; ++j) row[i + j] += delta[i + j];
  return true;
}

// The label of output k: labels[k] when given (hierarchical softmax codes, several positives),
// otherwise 1 for the first output (the target) and 0 for the negatives after it.
EMBKIT_INLINE float label_of(const float* labels, size_t output) {
  return labels != nullptr ? labels[output] : (output == 0 ? 1.0f : 0.0f);
}

// Loss of one pair from its score and 0/1 label (stable for any finite score).
EMBKIT_INLINE float pair_loss(const SigmoidTable& table, float score, float label) {
  return label > 0.5f ? table.softplus(-score) : table.softplus(score);
}

void skipgram_minibatch(float* const* inputs, size_t input_count, float* const* outputs,
                        size_t output_count, size_t width, float learning_rate, float* scratch,
                        UpdateStats& stats, const float* labels) {
  const SigmoidTable& table = sigmoid_table();
  float* output_deltas = scratch;                       // output_count rows
  float* input_delta = scratch + output_count * width;  // one row
  float* coefficients = input_delta + 2 * width;        // input_count x output_count
  double loss = 0;
  for (size_t b = 0; b < input_count; ++b) {
    for (size_t k = 0; k < output_count; ++k) {
      float score = dot_row(inputs[b], outputs[k], width);
      if (!std::isfinite(score)) {
        ++stats.skipped;
        return;
      }
      loss += pair_loss(table, score, label_of(labels, k));
      coefficients[b * output_count + k] = learning_rate * (label_of(labels, k) - table.sigmoid(score));
    }
  }
  // U's deltas from the old V, then V from the old U, then U written back once.
  for (size_t k = 0; k < output_count; ++k) {
    float* delta = output_deltas + k * width;
    zero_row(delta, width);
    for (size_t b = 0; b < input_count; ++b)
      axpy_row(coefficients[b * output_count + k], inputs[b], delta, width);
  }
  for (size_t b = 0; b < input_count; ++b) {
    zero_row(input_delta, width);
    for (size_t k = 0; k < output_count; ++k)
      axpy_row(coefficients[b * output_count + k], outputs[k], input_delta, width);
    if (!add_if_finite(inputs[b], input_delta, width)) ++stats.skipped;
  }
  for (size_t k = 0; k < output_count; ++k)
    if (!add_if_finite(outputs[k], output_deltas + k * width, width)) ++stats.skipped;
  stats.loss += loss;
  stats.pairs += input_count * output_count;
}

void skipgram_pair(float* input, float* const* outputs, size_t output_count, size_t width,
                   float learning_rate, float* scratch, UpdateStats& stats, const float* labels) {
  const SigmoidTable& table = sigmoid_table();
  float* input_delta = scratch;
  float* output_delta = scratch + width;
  zero_row(input_delta, width);
  double loss = 0;
  for (size_t k = 0; k < output_count; ++k) {
    float score = dot_row(input, outputs[k], width);
    if (!std::isfinite(score)) {
      ++stats.skipped;
      continue;
    }
    loss += pair_loss(table, score, label_of(labels, k));
    ++stats.pairs;
    float g = learning_rate * (label_of(labels, k) - table.sigmoid(score));
    axpy_row(g, outputs[k], input_delta, width);
    zero_row(output_delta, width);
    axpy_row(g, input, output_delta, width);
    if (!add_if_finite(outputs[k], output_delta, width)) ++stats.skipped;
  }
  if (!add_if_finite(input, input_delta, width)) ++stats.skipped;
  stats.loss += loss;
}

void cbow(float* const* inputs, size_t input_count, float* const* outputs, size_t output_count,
          size_t width, float learning_rate, bool sequential, float* scratch, UpdateStats& stats,
          const float* labels) {
  if (input_count == 0) return;
  const SigmoidTable& table = sigmoid_table();
  float* hidden = scratch;
  float* hidden_delta = scratch + width;
  float* output_delta = scratch + 2 * width;
  float* coefficients = scratch + 3 * width;
  zero_row(hidden, width);
  for (size_t b = 0; b < input_count; ++b) axpy_row(1.0f, inputs[b], hidden, width);
  const float inverse = 1.0f / static_cast<float>(input_count);
  for (size_t i = 0; i < width; ++i) hidden[i] *= inverse;
  zero_row(hidden_delta, width);
  double loss = 0;
  uint64_t pairs = 0;
  if (!sequential) {
    for (size_t k = 0; k < output_count; ++k) {
      float score = dot_row(hidden, outputs[k], width);
      if (!std::isfinite(score)) {
        ++stats.skipped;
        return;
      }
      loss += pair_loss(table, score, label_of(labels, k));
      coefficients[k] = learning_rate * (label_of(labels, k) - table.sigmoid(score));
    }
    pairs = output_count;
  }
  for (size_t k = 0; k < output_count; ++k) {
    float g;
    if (sequential) {
      float score = dot_row(hidden, outputs[k], width);
      if (!std::isfinite(score)) {
        ++stats.skipped;
        continue;
      }
      loss += pair_loss(table, score, label_of(labels, k));
      ++pairs;
      g = learning_rate * (label_of(labels, k) - table.sigmoid(score));
    } else {
      g = coefficients[k];
    }
    axpy_row(g, outputs[k], hidden_delta, width);
    zero_row(output_delta, width);
    axpy_row(g, hidden, output_delta, width);
    if (!add_if_finite(outputs[k], output_delta, width)) ++stats.skipped;
  }
  for (size_t b = 0; b < input_count; ++b)
    if (!add_if_finite(inputs[b], hidden_delta, width)) ++stats.skipped;
  stats.loss += loss;
  stats.pairs += pairs;
}

#undef EMBKIT_INLINE
