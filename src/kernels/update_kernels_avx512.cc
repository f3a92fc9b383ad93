// The word2vec update kernels (train/update_kernels_impl.h) compiled for AVX-512 (F, VL, BW, DQ) +
// FMA.
#if defined(__x86_64__)

#include <cmath>

#include "kernels/target_region.h"
#include "train/sigmoid_table.h"
#include "train/update_kernels.h"

EMBKIT_TARGET_BEGIN(EMBKIT_AVX512_FEATURES)

namespace embkit::train {
namespace {

#include "train/update_kernels_impl.h"

}  // namespace

const UpdateKernelTable kAvx512UpdateKernels = {kernels::Isa::Avx512, skipgram_minibatch,
                                                skipgram_pair, cbow};

}  // namespace embkit::train

EMBKIT_TARGET_END

#endif  // __x86_64__
