// The fused analogy scores at the portable level, and the choice of a level's table (see
// fused_scores.h).
#include "query/fused_scores.h"

namespace embkit {
namespace {

#include "query/fused_scores_impl.h"

}  // namespace

const FusedScoreTable kGenericFusedScores = {kernels::Isa::Generic, add_scores_kernel,
                                             mul_scores_kernel};

const FusedScoreTable& fused_score_table(kernels::Isa isa) {
#if defined(__x86_64__)
  if (isa != kernels::Isa::Generic) return kAvx2FusedScores;
#endif
  (void)isa;
  return kGenericFusedScores;
}

}  // namespace embkit
