// Sparse x dense products whose dense side is stored in IEEE half precision. The randomized SVD's
// power iterations only need a basis of the right span, so their products can read X rounded to 11
// significant bits (a relative error of at most 2^-11 per entry, accumulated in float); halving the
// bytes gathered per non-zero entry is what makes them faster, because each entry of A fetches a whole
// row of X from a random place. The final Rayleigh-Ritz product stays in float.
#pragma once

#include <cstddef>
#include <cstdint>

namespace embkit::half_products {

// True on x86-64 CPUs with AVX2, FMA and F16C (or AVX-512); elsewhere callers use float products.
bool supported();

// Rows [begin, end) of `x` (`width` floats used, rows `stride` floats apart) rounded to half
// precision (round to nearest even) into out, `width` halves per row. width is a multiple of 16.
void to_half(const float* x, size_t stride, size_t width, size_t begin, size_t end, uint16_t* out);

// Rows [begin, end) of A X for a CSR matrix A and X in half precision (`width` halves per row, a
// multiple of 16): out row r, `out_stride` floats apart, gets its first `width` floats.
void sparse_times(const uint64_t* starts, const uint32_t* columns, const float* values,
                  const uint16_t* x, size_t width, float* out, size_t out_stride, size_t begin,
                  size_t end);

}  // namespace embkit::half_products
