// The fused analogy scores (query/fused_scores.h), written once and compiled once per
// instruction-set level: query/fused_scores.cc includes this file for the portable level and
// kernels/fused_scores_avx2.cc for AVX2, each inside an anonymous namespace after
// query/fused_scores.h. No #include and no include guard on purpose (see
// kernels/simd_kernels_impl.h).

bool add_scores_kernel(const float* b, const float* c, const float* a, float scale, float threshold,
                       float* scores, size_t count) {
  int above = 0;
  for (size_t r = 0; r < count; ++r) {
    const float score = (b[r] + c[r] - a[r]) * scale;
    scores[r] = score;
    above |= static_cast<int>(score > threshold);
  }
  return above != 0;
}

bool mul_scores_kernel(const float* b, const float* c, const float* a, float threshold,
                       float* scores, size_t count) {
  int above = 0;
  for (size_t r = 0; r < count; ++r) {
    const float score = b[r] * c[r] / (a[r] + kDenominatorEpsilon);
    scores[r] = score;
    above |= static_cast<int>(score > threshold);
  }
  return above != 0;
}
