// GloVe's AdaGrad block (count/glove_kernel_impl.h) compiled for AVX2 + FMA.
#if defined(__x86_64__)

#include <algorithm>
#include <cmath>

#include "count/glove_kernel.h"
#include "kernels/target_region.h"

EMBKIT_TARGET_BEGIN(EMBKIT_AVX2_FEATURES)

namespace embkit::count {
namespace {

#include "count/glove_kernel_impl.h"

}  // namespace

const GloveKernelTable kAvx2GloveKernels = {kernels::Isa::Avx2, adagrad_block};

}  // namespace embkit::count

EMBKIT_TARGET_END

#endif  // __x86_64__
