// The classifier kernels (supervised/classifier_kernels.h), written once and compiled once per
// instruction-set level: supervised/classifier_kernels.cc includes this file for the portable
// level, kernels/classifier_kernels_avx2.cc and kernels/classifier_kernels_avx512.cc for the SIMD
// levels, inside an anonymous namespace after their own includes (<cmath>, <cstring>,
// train/sigmoid_table.h, supervised/classifier_kernels.h) and, for a SIMD level, inside its target
// region. Row loops run over 16-float chunks so GCC vectorises them without reassociating.
// No include guard on purpose; the one #include is the shared row loops (kernels/row_loops_impl.h).

#include "kernels/row_loops_impl.h"

// grad += alpha * row; row += alpha * hidden (the old row feeds grad).
EMBKIT_INLINE void fused_update(float alpha, float* __restrict row, const float* __restrict hidden,
                                float* __restrict grad, size_t width) {
  for (size_t i = 0; i < width; i += kChunk)
    for (size_t j = 0; j < kChunk; ++j) {
      const float w = row[i + j];
      grad[i + j] += alpha * w;
      row[i + j] = w + alpha * hidden[i + j];
    }
}

// e^x for x <= 0 (values below -87 give about 1.6e-38): x = n ln 2 + r, |r| <= ln 2 / 2, a degree-6
// polynomial for e^r and the exponent bits for 2^n; relative error below 4e-7. Branch-free so that
// loops over it vectorise.
EMBKIT_INLINE float exp_nonpositive(float x) {
  x = x < -87.0f ? -87.0f : x;
  const float t = x * 1.44269504088896341f;
  const float rounding = 12582912.0f;  // 1.5 * 2^23: adding and subtracting rounds to an integer
  const float n = (t + rounding) - rounding;
  float r = x - n * 0.693145751953125f;
  r = r - n * 1.428606765330187045e-06f;
  float p = 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

void mean_rows_impl(const float* base, size_t stride, const uint32_t* ids, size_t n,
                    float* __restrict hidden) {
  const float* first = base + static_cast<size_t>(ids[0]) * stride;
  for (size_t i = 0; i < stride; i += kChunk)
    for (size_t j = 0; j < kChunk; ++j) hidden[i + j] = first[i + j];
  for (size_t f = 1; f < n; ++f) {
    const float* __restrict row = base + static_cast<size_t>(ids[f]) * stride;
    for (size_t i = 0; i < stride; i += kChunk)
      for (size_t j = 0; j < kChunk; ++j) hidden[i + j] += row[i + j];
  }
  const float inverse = static_cast<float>(1.0 / static_cast<double>(n));
  for (size_t i = 0; i < stride; i += kChunk)
    for (size_t j = 0; j < kChunk; ++j) hidden[i + j] *= inverse;
}

void add_to_rows_impl(float* base, size_t stride, const uint32_t* ids, size_t n,
                      const float* __restrict delta) {
  for (size_t f = 0; f < n; ++f) {
    float* __restrict row = base + static_cast<size_t>(ids[f]) * stride;
    for (size_t i = 0; i < stride; i += kChunk)
      for (size_t j = 0; j < kChunk; ++j) row[i + j] += delta[i + j];
  }
}

void softmax_impl(float* values, size_t n) {
  if (n == 0) return;
  float top = values[0];
  for (size_t i = 1; i < n; ++i) top = values[i] > top ? values[i] : top;
  for (size_t i = 0; i < n; ++i) values[i] = exp_nonpositive(values[i] - top);
  float sum = 0;
  for (size_t i = 0; i < n; ++i) sum += values[i];
  const float inverse = 1.0f / sum;
  for (size_t i = 0; i < n; ++i) values[i] *= inverse;
}

void row_scores_impl(const float* out, size_t stride, size_t n, const float* hidden,
                     float* scores) {
  for (size_t i = 0; i < n; ++i) scores[i] = dot_row(out + i * stride, hidden, stride);
}

float softmax_step_impl(float* out, size_t stride, size_t labels, uint32_t target,
                        const float* hidden, float* grad, float lr, float* scores) {
  row_scores_impl(out, stride, labels, hidden, scores);
  softmax_impl(scores, labels);
  const float loss = -std::log(scores[target] + 1e-10f);
  for (size_t i = 0; i < labels; ++i) scores[i] = lr * ((i == target ? 1.0f : 0.0f) - scores[i]);
  // Chunk by chunk over all rows, so each chunk of grad stays in registers while the rows pass.
  for (size_t c = 0; c < stride; c += kChunk) {
    float g[kChunk], h[kChunk];
    for (size_t j = 0; j < kChunk; ++j) {
      g[j] = grad[c + j];
      h[j] = hidden[c + j];
    }
    for (size_t i = 0; i < labels; ++i) {
      float* __restrict w = out + i * stride + c;
      const float alpha = scores[i];
      for (size_t j = 0; j < kChunk; ++j) {
        const float old = w[j];
        g[j] += alpha * old;
        w[j] = old + alpha * h[j];
      }
    }
    for (size_t j = 0; j < kChunk; ++j) grad[c + j] = g[j];
  }
  return loss;
}

float binary_steps_impl(float* out, size_t stride, const uint32_t* rows, const float* targets,
                        size_t n, const float* hidden, float* grad, float lr) {
  const train::SigmoidTable& table = train::sigmoid_table();
  float loss = 0;
  for (size_t k = 0; k < n; ++k) {
    float* row = out + (rows ? static_cast<size_t>(rows[k]) : k) * stride;
    const float score = dot_row(row, hidden, stride);
    const float target = targets[k];
    // The logistic loss of the score clamped to +-16 (at most 16 per label, as a runaway score
    // would otherwise swamp the mean the progress line and loss log report).
    const float bounded = std::fmin(std::fmax(score, -16.0f), 16.0f);
    loss += target > 0.5f ? table.softplus(-bounded) : table.softplus(bounded);
    // Beyond the table's range the prediction counts as certain (fastText's rule): the table's end
    // values would keep pushing every confidently wrong label further, without bound.
    const float p = score >= train::SigmoidTable::kRange    ? 1.0f
                    : score <= -train::SigmoidTable::kRange ? 0.0f
                                                           : table.sigmoid(score);
    const float alpha = lr * (target - p);
    fused_update(alpha, row, hidden, grad, stride);
  }
  return loss;
}

#undef EMBKIT_INLINE
