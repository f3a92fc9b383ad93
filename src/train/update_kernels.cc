// The word2vec update kernels at the portable level, the choice of a level's table, and the entry
// points that call the active level (see update_kernels.h; the kernels are in
// update_kernels_impl.h).
#include "train/update_kernels.h"

#include <cmath>

#include "train/sigmoid_table.h"

namespace embkit::train {
namespace {

#include "train/update_kernels_impl.h"

const UpdateKernelTable& active_update_kernels() {
  static const UpdateKernelTable& table = update_kernel_table(kernels::active_isa());
  return table;
}

}  // namespace

const UpdateKernelTable kGenericUpdateKernels = {kernels::Isa::Generic, skipgram_minibatch,
                                                 skipgram_pair, cbow};

const UpdateKernelTable& update_kernel_table(kernels::Isa isa) {
#if defined(__x86_64__)
  if (isa == kernels::Isa::Avx512) return kAvx512UpdateKernels;
  if (isa == kernels::Isa::Avx2) return kAvx2UpdateKernels;
#endif
  (void)isa;
  return kGenericUpdateKernels;
}

size_t update_scratch_floats(size_t max_inputs, size_t max_outputs, size_t width) {
  return (max_outputs + 2) * width + max_inputs * max_outputs;
}

void skipgram_minibatch_update(float* const* inputs, size_t input_count, float* const* outputs,
                               size_t output_count, size_t width, float learning_rate,
                               float* scratch, UpdateStats& stats, const float* labels) {
  active_update_kernels().skipgram_minibatch_update(inputs, input_count, outputs, output_count,
                                                    width, learning_rate, scratch, stats, labels);
}

void skipgram_pair_update(float* input, float* const* outputs, size_t output_count, size_t width,
                          float learning_rate, float* scratch, UpdateStats& stats,
                          const float* labels) {
  active_update_kernels().skipgram_pair_update(input, outputs, output_count, width, learning_rate,
                                               scratch, stats, labels);
}

void cbow_update(float* const* inputs, size_t input_count, float* const* outputs,
                 size_t output_count, size_t width, float learning_rate, bool sequential,
                 float* scratch, UpdateStats& stats, const float* labels) {
  active_update_kernels().cbow_update(inputs, input_count, outputs, output_count, width,
                                      learning_rate, sequential, scratch, stats, labels);
}

}  // namespace embkit::train
