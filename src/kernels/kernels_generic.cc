// The portable kernels: GCC/Clang vector extensions of 4 floats, which every target lowers to its
// baseline SIMD (SSE2 on x86-64, NEON on ARM) or to scalar code. Multiply and add stay separate
// (no fused multiply-add is assumed), so results differ from the SIMD levels in the last bits.
#include <cstddef>
#include <cstdint>

#include "embkit/half_float.h"
#include "kernels/kernel_table.h"

namespace embkit::kernels {
namespace {

struct Simd {
  typedef float V __attribute__((vector_size(16)));
  static constexpr size_t kLanes = 4;
  static constexpr size_t kTileRows = 4;
  static V zero() { return V{0, 0, 0, 0}; }
  static V load(const float* p) {
    V v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
  }
  static V load_partial(const float* p, size_t n) {
    V v = zero();
    __builtin_memcpy(&v, p, n * sizeof(float));
    return v;
  }
  static void store(float* p, V v) { __builtin_memcpy(p, &v, sizeof v); }
  static void store_partial(float* p, V v, size_t n) { __builtin_memcpy(p, &v, n * sizeof(float)); }
  static V set1(float x) { return V{x, x, x, x}; }
  static V fmadd(V a, V b, V c) { return a * b + c; }
  static V add(V a, V b) { return a + b; }
  static V sub(V a, V b) { return a - b; }
  static float sum(V v) { return (v[0] + v[1]) + (v[2] + v[3]); }
  static unsigned greater_bits(V a, V b) {
    unsigned bits = 0;
    for (size_t lane = 0; lane < kLanes; ++lane) bits |= unsigned(a[lane] > b[lane]) << lane;
    return bits;
  }

  typedef double D __attribute__((vector_size(16)));
  static constexpr size_t kDoubleLanes = 2;
  static D zero_d() { return D{0, 0}; }
  static D load_widen(const float* p) { return D{p[0], p[1]}; }
  static D load_widen_partial(const float* p, size_t n) { return D{p[0], n > 1 ? p[1] : 0.0}; }
  static D fmadd_d(D a, D b, D c) { return a * b + c; }
  static D add_d(D a, D b) { return a + b; }
  static double sum_d(D v) { return v[0] + v[1]; }
};

#include "kernels/simd_kernels_impl.h"

void portable_to_halves(const float* in, uint16_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = float_to_half(in[i]);
}

void portable_to_floats(const uint16_t* in, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = half_to_float(in[i]);
}

}  // namespace

const KernelTable kGenericKernels =
    make_table(Isa::Generic, portable_to_halves, portable_to_floats);

}  // namespace embkit::kernels
