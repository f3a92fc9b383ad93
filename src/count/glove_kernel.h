// The inner loop of GloVe: AdaGrad steps over a block of shuffled co-occurrence entries.
//
// Parameters of one word (or context) live in one row of `stride` floats so that a step touches two
// contiguous rows: [0, P) the vector (P = dim rounded up to 16, padding zero), [P, 2P) the AdaGrad
// sums of squared steps, [2P] the bias, [2P + 1] its sum of squares. For entry (i, j) with
// g = f(X_ij) (w_i . c_j + b_i + b'_j - log X_ij), each component of the gradient is clipped to
// [-clip, clip], scaled by the learning rate (s = lr clip(g c_j)), applied as w_i -= s / sqrt(G)
// with G the row's running sum of s^2 (starting at 1), and likewise for c_j and the biases, every
// step from the values before it (Stanford GloVe's update). A step whose error is not finite is
// skipped and counted, so nothing non-finite is ever written.
//
// The block is compiled once per instruction-set level (glove_kernel_impl.h); glove_block() calls
// the table of kernels::active_isa(), and glove_kernel_table() gives any level's table.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/isa.h"

namespace embkit::count {

struct GloveEntry {
  uint32_t row, col;
  float log_count;  // log X_ij
  float weight;     // f(X_ij)
};

struct GloveBlockStats {
  double loss = 0;  // sum of f(X) e^2 / 2 over the entries, e computed before each step
  uint64_t skipped = 0;
};

inline size_t glove_padded_dim(size_t dim) { return (dim + 15) / 16 * 16; }
inline size_t glove_row_stride(size_t dim) { return 2 * glove_padded_dim(dim) + 16; }

void glove_block(const GloveEntry* entries, size_t count, float* words, float* contexts, size_t dim,
                 float learning_rate, float grad_clip, GloveBlockStats& stats);

struct GloveKernelTable {
  kernels::Isa isa;
  void (*glove_block)(const GloveEntry* entries, size_t count, float* words, float* contexts,
                      size_t dim, float learning_rate, float grad_clip, GloveBlockStats& stats);
};

// The table of a level; the level must be supported (kernels::isa_supported).
const GloveKernelTable& glove_kernel_table(kernels::Isa isa);

extern const GloveKernelTable kGenericGloveKernels;
#if defined(__x86_64__)
extern const GloveKernelTable kAvx2GloveKernels;
extern const GloveKernelTable kAvx512GloveKernels;
#endif

}  // namespace embkit::count
