// Run-time choice of the int8 score tile (see int8_kernel_table.h). The level follows the float
// kernels' choice (kernels/isa.h, EMBKIT_ISA): avx512 uses VNNI when the CPU has it and AVX2
// otherwise.
#include "kernels/int8_kernel_table.h"
#include "kernels/isa.h"

namespace embkit::kernels {

bool int8_level_supported(Int8Level level) {
#if defined(__x86_64__)
  switch (level) {
    case Int8Level::Avx512Vnni:
      return isa_supported(Isa::Avx512) && __builtin_cpu_supports("avx512vnni");
    case Int8Level::Avx2:
      return isa_supported(Isa::Avx2);
    case Int8Level::Generic:
      return true;
  }
  return false;
#else
  return level == Int8Level::Generic;
#endif
}

const Int8KernelTable& int8_kernel_table(Int8Level level) {
#if defined(__x86_64__)
  if (level == Int8Level::Avx512Vnni) return kInt8VnniKernels;
  if (level == Int8Level::Avx2) return kInt8Avx2Kernels;
#endif
  (void)level;
  return kInt8GenericKernels;
}

const Int8KernelTable& active_int8_kernels() {
  static const Int8KernelTable& table = []() -> const Int8KernelTable& {
    Isa isa = active_isa();
    if (isa == Isa::Avx512 && int8_level_supported(Int8Level::Avx512Vnni))
      return int8_kernel_table(Int8Level::Avx512Vnni);
    if (isa != Isa::Generic && int8_level_supported(Int8Level::Avx2))
      return int8_kernel_table(Int8Level::Avx2);
    return int8_kernel_table(Int8Level::Generic);
  }();
  return table;
}

}  // namespace embkit::kernels
