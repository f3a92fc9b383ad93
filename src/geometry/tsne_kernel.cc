// The exact t-SNE gradient row at the portable level, and the choice of a level's table (see
// tsne_kernel.h).
#include "geometry/tsne_kernel.h"

namespace embkit::tsne_detail {
namespace {

#include "geometry/tsne_kernel_impl.h"

}  // namespace

const TsneKernelTable kGenericTsneKernels = {kernels::Isa::Generic, exact_row_kernel};

const TsneKernelTable& tsne_kernel_table(kernels::Isa isa) {
#if defined(__x86_64__)
  if (isa != kernels::Isa::Generic) return kAvx2TsneKernels;
#endif
  (void)isa;
  return kGenericTsneKernels;
}

}  // namespace embkit::tsne_detail
