// GloVe's AdaGrad block (count/glove_kernel.h), written once and compiled once per instruction-set
// level: count/glove_kernel.cc includes this file for the portable level and
// kernels/glove_kernel_avx2.cc and kernels/glove_kernel_avx512.cc for the SIMD levels, each inside
// an anonymous namespace after <algorithm>, <cmath> and count/glove_kernel.h. All three are
// compiled with -fno-math-errno (see CMakeLists.txt) so that the square roots vectorise; loops run
// over 16-float chunks, so the sums do not depend on the vector width. No #include and no include
// guard on purpose (see kernels/simd_kernels_impl.h).

constexpr size_t kChunk = 16;
constexpr size_t kPrefetchAhead = 6;  // entries

inline void prefetch_row(const float* row, size_t floats) {
  const char* bytes = reinterpret_cast<const char*>(row);
  for (size_t offset = 0; offset < floats * sizeof(float); offset += 64)
    __builtin_prefetch(bytes + offset, 1, 3);
}

void adagrad_block(const GloveEntry* entries, size_t count, float* words, float* contexts,
                   size_t dim, float learning_rate, float grad_clip, GloveBlockStats& stats) {
  const size_t padded = glove_padded_dim(dim), stride = glove_row_stride(dim);
  double loss = 0;
  for (size_t e = 0; e < count; ++e) {
    if (e + kPrefetchAhead < count) {
      const GloveEntry& next = entries[e + kPrefetchAhead];
      prefetch_row(words + next.row * stride, stride);
      prefetch_row(contexts + next.col * stride, stride);
    }
    const GloveEntry& entry = entries[e];
    float* __restrict w = words + entry.row * stride;
    float* __restrict c = contexts + entry.col * stride;
    float* __restrict w_sums = w + padded;
    float* __restrict c_sums = c + padded;

    float acc[kChunk] = {};
    for (size_t i = 0; i < padded; i += kChunk)
      for (size_t j = 0; j < kChunk; ++j) acc[j] += w[i + j] * c[i + j];
    for (size_t half = kChunk / 2; half > 0; half /= 2)
      for (size_t j = 0; j < half; ++j) acc[j] += acc[j + half];
    const float error = acc[0] + w[2 * padded] + c[2 * padded] - entry.log_count;
    const float weighted = entry.weight * error;
    if (!std::isfinite(weighted)) {
      ++stats.skipped;
      continue;
    }
    loss += 0.5 * static_cast<double>(weighted) * error;

    for (size_t i = 0; i < padded; i += kChunk)
      for (size_t j = 0; j < kChunk; ++j) {
        const float step_w = std::clamp(weighted * c[i + j], -grad_clip, grad_clip) * learning_rate;
        const float step_c = std::clamp(weighted * w[i + j], -grad_clip, grad_clip) * learning_rate;
        w[i + j] -= step_w / std::sqrt(w_sums[i + j]);
        c[i + j] -= step_c / std::sqrt(c_sums[i + j]);
        w_sums[i + j] += step_w * step_w;
        c_sums[i + j] += step_c * step_c;
      }
    const float step_b = std::clamp(weighted, -grad_clip, grad_clip) * learning_rate;
    w[2 * padded] -= step_b / std::sqrt(w[2 * padded + 1]);
    c[2 * padded] -= step_b / std::sqrt(c[2 * padded + 1]);
    w[2 * padded + 1] += step_b * step_b;
    c[2 * padded + 1] += step_b * step_b;
  }
  stats.loss += loss;
}
