// The public kernel entry points (embkit/kernels.h): each forwards to the table of the
// instruction-set level chosen once per process (see isa.h, kernel_table.h).
#include "embkit/kernels.h"

#include "kernels/kernel_table.h"

namespace embkit::kernels {

const KernelTable& kernel_table(Isa isa) {
#if defined(__x86_64__)
  if (isa == Isa::Avx512) return kAvx512Kernels;
  if (isa == Isa::Avx2) return kAvx2Kernels;
#endif
  (void)isa;
  return kGenericKernels;
}

const KernelTable& active_kernels() {
  static const KernelTable& table = kernel_table(active_isa());
  return table;
}

float dot(const float* a, const float* b, size_t n) { return active_kernels().dot(a, b, n); }
float squared_l2(const float* a, const float* b, size_t n) {
  return active_kernels().squared_l2(a, b, n);
}
void axpy(float alpha, const float* x, float* y, size_t n) {
  active_kernels().axpy(alpha, x, y, n);
}
double sum_squares(const float* a, size_t n) { return active_kernels().sum_squares(a, n); }
const char* isa_name() { return isa_label(active_isa()); }

}  // namespace embkit::kernels
