// SIMD kernels with run-time dispatch (AVX-512, AVX2+FMA, portable). All take unaligned pointers.
#pragma once

#include <cstddef>

namespace embkit::kernels {

float dot(const float* a, const float* b, size_t n);
float squared_l2(const float* a, const float* b, size_t n);
// y += alpha * x
void axpy(float alpha, const float* x, float* y, size_t n);
// Sum of squares accumulated in double (for norms of long vectors).
double sum_squares(const float* a, size_t n);
// The name of the instruction set the dispatcher picked: "avx512", "avx2" or "generic".
const char* isa_name();

}  // namespace embkit::kernels
