// The classifier kernels (supervised/classifier_kernels_impl.h) compiled for AVX2.
#if defined(__x86_64__)

#include <cmath>
#include <cstring>

#include "kernels/target_region.h"
#include "supervised/classifier_kernels.h"
#include "train/sigmoid_table.h"

EMBKIT_TARGET_BEGIN(EMBKIT_AVX2_FEATURES)

namespace embkit::supervised {
namespace {

#include "supervised/classifier_kernels_impl.h"

}  // namespace

const ClassifierKernelTable kAvx2ClassifierKernels = {
    kernels::Isa::Avx2, mean_rows_impl,  add_to_rows_impl, softmax_step_impl,
    binary_steps_impl,  row_scores_impl, softmax_impl};

}  // namespace embkit::supervised

EMBKIT_TARGET_END

#endif  // __x86_64__
