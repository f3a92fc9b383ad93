// Instruction-set levels for the SIMD kernels and the rule that picks one at run time: the best
// level the CPU supports, optionally lowered by the environment variable
// EMBKIT_ISA=generic|avx2|avx512 (for tests and benchmarks). The choice is made once, on first use.
//
// Every instruction-set-specific loop of embkit sits in a table of function pointers with one entry
// per level, filled by a translation unit compiled for that level (kernels/target_region.h): the
// search kernels and half-float conversions (kernel_table.h), the int8 score tile
// (int8_kernel_table.h), the word2vec updates (train/update_kernels.h), GloVe's AdaGrad block
// (count/glove_kernel.h), the truncated SVD's products (count/svd_kernels.h), the t-SNE gradient
// row (geometry/tsne_kernel.h) and the analogy scores (query/fused_scores.h). Each table is chosen
// by active_isa(), so EMBKIT_ISA lowers all of them at once, and tests fetch every supported
// level's table to compare the levels. This file and isa.cc are the only places that ask the CPU
// what it supports (scripts/check_isa_code.sh checks both rules).
#pragma once

#include <optional>
#include <string_view>

namespace embkit::kernels {

enum class Isa { Generic = 0, Avx2 = 1, Avx512 = 2 };

const char* isa_label(Isa isa);
std::optional<Isa> parse_isa(std::string_view label);

// Whether this CPU (and this build) can run kernels of the given level.
bool isa_supported(Isa isa);
Isa best_supported_isa();
// AVX-512 VNNI (vpdpbusd), used by the int8 kernels at the avx512 level when present.
bool avx512_vnni_supported();

// The level to use given the CPU's best level and the value of EMBKIT_ISA (nullptr when unset).
// A request above what the CPU supports, or an unknown name, falls back to the best supported
// level.
Isa choose_isa(Isa best_supported, const char* requested);

// The level chosen for this process (computed once).
Isa active_isa();

}  // namespace embkit::kernels
