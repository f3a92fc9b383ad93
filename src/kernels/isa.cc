// Run-time instruction-set detection for the SIMD kernels (see isa.h).
#include "kernels/isa.h"

#include <cstdlib>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace embkit::kernels {
namespace {

#if defined(__x86_64__) || defined(__i386__)
// Half-float conversions (vcvtps2ph / vcvtph2ps); read from CPUID because Clang's
// __builtin_cpu_supports does not know the name.
bool has_f16c() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C) != 0;
}
#endif

}  // namespace

const char* isa_label(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return "avx512";
    case Isa::Avx2:
      return "avx2";
    case Isa::Generic:
      break;
  }
  return "generic";
}

std::optional<Isa> parse_isa(std::string_view label) {
  for (Isa isa : {Isa::Generic, Isa::Avx2, Isa::Avx512})
    if (label == isa_label(isa)) return isa;
  return std::nullopt;
}

bool isa_supported(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  switch (isa) {
    case Isa::Avx512:
      // The AVX-512 kernels use masked loads (F), 32-bit broadcasts and VL/BW/DQ encodings; both
      // SIMD levels convert half floats with F16C (see target_region.h for the features).
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("fma") && has_f16c();
    case Isa::Avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && has_f16c();
    case Isa::Generic:
      return true;
  }
  return false;
#else
  return isa == Isa::Generic;
#endif
}

Isa best_supported_isa() {
  for (Isa isa : {Isa::Avx512, Isa::Avx2})
    if (isa_supported(isa)) return isa;
  return Isa::Generic;
}

bool avx512_vnni_supported() {
#if defined(__x86_64__) || defined(__i386__)
  return isa_supported(Isa::Avx512) && __builtin_cpu_supports("avx512vnni");
#else
  return false;
#endif
}

Isa choose_isa(Isa best_supported, const char* requested) {
  if (requested == nullptr) return best_supported;
  std::optional<Isa> wanted = parse_isa(requested);
  if (!wanted || static_cast<int>(*wanted) > static_cast<int>(best_supported))
    return best_supported;
  return *wanted;
}

Isa active_isa() {
  static const Isa chosen = choose_isa(best_supported_isa(), std::getenv("EMBKIT_ISA"));
  return chosen;
}

}  // namespace embkit::kernels
