// The fused analogy scores (query/fused_scores_impl.h) compiled for AVX2.
// Without FMA: contracting the products into the sums would change the last bits of results that
// stay reproducible across versions for a given seed.
#if defined(__x86_64__)

#include "kernels/target_region.h"
#include "query/fused_scores.h"

EMBKIT_TARGET_BEGIN("avx2")

namespace embkit {
namespace {

#include "query/fused_scores_impl.h"

}  // namespace

const FusedScoreTable kAvx2FusedScores = {kernels::Isa::Avx2, add_scores_kernel, mul_scores_kernel};

}  // namespace embkit

EMBKIT_TARGET_END

#endif  // __x86_64__
