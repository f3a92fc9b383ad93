// IEEE 754 binary16 conversions (embkit/half_float.h). The portable path rounds to nearest even
// like the F16C instruction vcvtps2ph with imm8 = 0, so both paths give the same bits; the bulk
// functions call the kernel table of the active instruction-set level (F16C at the SIMD levels,
// see kernels/kernel_table.h).
#include "embkit/half_float.h"

#include <cstdint>
#include <cstring>

#include "kernels/kernel_table.h"

namespace embkit {
namespace {

uint32_t float_bits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  return bits;
}

float bits_float(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}

}  // namespace

uint16_t float_to_half(float value) {
  const uint32_t bits = float_bits(value);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t magnitude = bits & 0x7fffffffu;
  if (magnitude >= 0x7f800000u)  // inf or NaN (keep a quiet NaN)
    return sign | (magnitude > 0x7f800000u ? 0x7e00u : 0x7c00u);
  if (magnitude >= 0x477ff000u) return sign | 0x7c00u;  // rounds to >= 65520: infinity
  if (magnitude < 0x38800000u) {
    // Subnormal half (or zero): value / 2^-24 rounded to nearest even. The float's mantissa with
    // its hidden bit is shifted right by 126 - exponent - 10 places.
    if (magnitude < 0x33000000u) return sign;  // below half the smallest subnormal: zero
    const uint32_t exponent = magnitude >> 23;
    const uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126 - exponent;  // 14..24
    uint32_t result = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1);
    const uint32_t half_way = 1u << (shift - 1);
    if (rest > half_way || (rest == half_way && (result & 1))) ++result;
    return sign | static_cast<uint16_t>(result);
  }
  // Normal: rebias the exponent (127 -> 15) and round the 13 dropped mantissa bits to nearest even;
  // a carry out of the mantissa correctly bumps the exponent.
  uint32_t result = (magnitude - 0x38000000u) >> 13;
  const uint32_t rest = magnitude & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (result & 1))) ++result;
  return sign | static_cast<uint16_t>(result);
}

float half_to_float(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1fu;
  const uint32_t mantissa = half & 0x3ffu;
  if (exponent == 0x1f) return bits_float(sign | 0x7f800000u | (mantissa << 13));
  if (exponent != 0) return bits_float(sign | ((exponent + 112) << 23) | (mantissa << 13));
  // Subnormal or zero: mantissa * 2^-24 is exact in float.
  const float magnitude = static_cast<float>(mantissa) * 5.9604644775390625e-08f;
  return sign ? -magnitude : magnitude;
}

bool half_is_infinite(uint16_t half) { return (half & 0x7fffu) == 0x7c00u; }

void floats_to_halves(const float* in, uint16_t* out, size_t n) {
  kernels::active_kernels().to_halves(in, out, n);
}

void halves_to_floats(const uint16_t* in, float* out, size_t n) {
  kernels::active_kernels().to_floats(in, out, n);
}

}  // namespace embkit
