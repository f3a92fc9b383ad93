// Instruction-set levels for the SIMD kernels and the rule that picks one at run time: the best
// level the CPU supports, optionally lowered by the environment variable
// EMBKIT_ISA=generic|avx2|avx512 (for tests and benchmarks). The choice is made once, on first use.
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

// The level to use given the CPU's best level and the value of EMBKIT_ISA (nullptr when unset).
// A request above what the CPU supports, or an unknown name, falls back to the best supported
// level.
Isa choose_isa(Isa best_supported, const char* requested);

// The level chosen for this process (computed once).
Isa active_isa();

}  // namespace embkit::kernels
