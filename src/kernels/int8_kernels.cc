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
      return avx512_vnni_supported();
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

Int8Level int8_level_for(Isa isa) {
  if (isa == Isa::Avx512 && int8_level_supported(Int8Level::Avx512Vnni))
    return Int8Level::Avx512Vnni;
  if (isa != Isa::Generic && int8_level_supported(Int8Level::Avx2)) return Int8Level::Avx2;
  return Int8Level::Generic;
}

const Int8KernelTable& active_int8_kernels() {
  static const Int8KernelTable& table = int8_kernel_table(int8_level_for(active_isa()));
  return table;
}

}  // namespace embkit::kernels
