// The classifier kernels at the portable level and the choice of a level's table
// (supervised/classifier_kernels.h; the loops are in classifier_kernels_impl.h).
#include "supervised/classifier_kernels.h"

#include <cmath>
#include <cstring>

#include "train/sigmoid_table.h"

namespace embkit::supervised {
namespace {

#include "supervised/classifier_kernels_impl.h"

}  // namespace

const ClassifierKernelTable kGenericClassifierKernels = {
    kernels::Isa::Generic, mean_rows_impl,    add_to_rows_impl, softmax_step_impl,
    binary_steps_impl,     row_scores_impl,   softmax_impl};

const ClassifierKernelTable& classifier_kernel_table(kernels::Isa isa) {
#if defined(__x86_64__)
  if (isa == kernels::Isa::Avx512) return kAvx512ClassifierKernels;
  if (isa == kernels::Isa::Avx2) return kAvx2ClassifierKernels;
#endif
  (void)isa;
  return kGenericClassifierKernels;
}

const ClassifierKernelTable& classifier_kernels() {
  static const ClassifierKernelTable& table = classifier_kernel_table(kernels::active_isa());
  return table;
}

}  // namespace embkit::supervised
