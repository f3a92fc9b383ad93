// IEEE 754 binary16 (F16): round to nearest even (F16C instructions when the CPU has them, otherwise
// a bit-exact portable conversion). Finite floats beyond the half range (|x| >= 65520 rounds to
// infinity) cannot be stored.
#pragma once

#include <cstddef>
#include <cstdint>

namespace embkit {

uint16_t float_to_half(float value);
float half_to_float(uint16_t half);
// Bulk conversions (F16C when available). Results equal the scalar functions bit for bit.
void floats_to_halves(const float* in, uint16_t* out, size_t n);
void halves_to_floats(const uint16_t* in, float* out, size_t n);
bool half_is_infinite(uint16_t half);

}  // namespace embkit
