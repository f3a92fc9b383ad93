// GloVe's AdaGrad block at the portable level, and the choice of a level's table (see
// glove_kernel.h; the kernel is in glove_kernel_impl.h).
#include "count/glove_kernel.h"

#include <algorithm>
#include <cmath>

namespace embkit::count {
namespace {

#include "count/glove_kernel_impl.h"

}  // namespace

const GloveKernelTable kGenericGloveKernels = {kernels::Isa::Generic, adagrad_block};

const GloveKernelTable& glove_kernel_table(kernels::Isa isa) {
#if defined(__x86_64__)
  if (isa == kernels::Isa::Avx512) return kAvx512GloveKernels;
  if (isa == kernels::Isa::Avx2) return kAvx2GloveKernels;
#endif
  (void)isa;
  return kGenericGloveKernels;
}

void glove_block(const GloveEntry* entries, size_t count, float* words, float* contexts, size_t dim,
                 float learning_rate, float grad_clip, GloveBlockStats& stats) {
  static const GloveKernelTable& table = glove_kernel_table(kernels::active_isa());
  table.glove_block(entries, count, words, contexts, dim, learning_rate, grad_clip, stats);
}

}  // namespace embkit::count
