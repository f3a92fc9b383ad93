// The hot loops of word queries for the analogy shape (two positive words b, c and one negative a),
// each fused into one pass over a block's cosine tables that also tells whether any score beats
// `threshold`. Written once (fused_scores_impl.h), compiled for the portable level and for AVX2
// (kernels/fused_scores_avx2.cc); the avx512 level uses the AVX2 loops.
#pragma once

#include <cstddef>

#include "kernels/isa.h"

namespace embkit {

// 3CosMul's epsilon: score = cos(b) cos(c) / (cos(a) + epsilon), cosines shifted to [0, 1].
inline constexpr float kDenominatorEpsilon = 1e-6f;

struct FusedScoreTable {
  kernels::Isa isa;
  // scores[r] = (b[r] + c[r] - a[r]) * scale
  bool (*add_scores)(const float* b, const float* c, const float* a, float scale, float threshold,
                     float* scores, size_t count);
  // scores[r] = b[r] * c[r] / (a[r] + kDenominatorEpsilon)
  bool (*mul_scores)(const float* b, const float* c, const float* a, float threshold, float* scores,
                     size_t count);
};

// The table of a level; the level must be supported (kernels::isa_supported).
const FusedScoreTable& fused_score_table(kernels::Isa isa);

extern const FusedScoreTable kGenericFusedScores;
#if defined(__x86_64__)
extern const FusedScoreTable kAvx2FusedScores;
#endif

}  // namespace embkit
