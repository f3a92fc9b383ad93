// GloVe's AdaGrad block (count/glove_kernel_impl.h) compiled for AVX-512 (F, VL, BW, DQ) + FMA.
#if defined(__x86_64__)

#include <algorithm>
#include <cmath>

#include "count/glove_kernel.h"
#include "kernels/target_region.h"

EMBKIT_TARGET_BEGIN(EMBKIT_AVX512_FEATURES)

namespace embkit::count {
namespace {

#include "count/glove_kernel_impl.h"

}  // namespace

const GloveKernelTable kAvx512GloveKernels = {kernels::Isa::Avx512, adagrad_block};

}  // namespace embkit::count

EMBKIT_TARGET_END

#endif  // __x86_64__
