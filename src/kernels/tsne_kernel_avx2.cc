// The exact t-SNE gradient row (geometry/tsne_kernel_impl.h) compiled for AVX2.
// Without FMA: contracting the products into the sums would change the last bits of results that
// stay reproducible across versions for a given seed.
#if defined(__x86_64__)

#include "geometry/tsne_kernel.h"
#include "kernels/target_region.h"

EMBKIT_TARGET_BEGIN("avx2")

namespace embkit::tsne_detail {
namespace {

#include "geometry/tsne_kernel_impl.h"

}  // namespace

const TsneKernelTable kAvx2TsneKernels = {kernels::Isa::Avx2, exact_row_kernel};

}  // namespace embkit::tsne_detail

EMBKIT_TARGET_END

#endif  // __x86_64__
