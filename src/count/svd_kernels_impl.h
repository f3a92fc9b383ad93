// The float loops of the randomized SVD (count/svd_kernels.h), written once and compiled once per
// instruction-set level: count/svd_kernels.cc includes this file for the portable level and
// kernels/svd_kernels_avx2.cc and kernels/svd_kernels_avx512.cc for the SIMD levels, each inside an
// anonymous namespace after <cstdint>, <cstring> and count/svd_kernels.h. No #include and no
// include guard on purpose (see kernels/simd_kernels_impl.h).
//
// The kernels work on 8-float (resp. 4-double) GCC vectors, so the accumulators stay in registers
// and every sum runs in the same order at every level.

#define EMBKIT_INLINE inline __attribute__((always_inline))

using Floats = float __attribute__((vector_size(32)));
using Doubles = double __attribute__((vector_size(32)));
constexpr size_t kFloats = 8, kDoubles = 4;

// Vectors pass by reference: by value, 32-byte vectors have a different ABI with and without AVX.
template <typename V, typename T>
EMBKIT_INLINE void load(V& v, const T* p) {
  std::memcpy(&v, p, sizeof v);
}
template <typename V, typename T>
EMBKIT_INLINE void store(T* p, const V& v) {
  std::memcpy(p, &v, sizeof v);
}

// row[0, kVectors * 8) = sum over the entries e in [lo, hi) of values[e] times x[columns[e]], x
// having rows of `stride` floats.
template <size_t kVectors>
EMBKIT_INLINE void sparse_row_panel(uint64_t lo, uint64_t hi, const uint32_t* __restrict columns,
                                    const float* __restrict values, const float* __restrict x,
                                    size_t stride, float* __restrict row) {
  Floats acc[kVectors] = {};
  for (uint64_t e = lo; e < hi; ++e) {
    const float v = values[e];
    const float* in = x + size_t{columns[e]} * stride;
    for (size_t k = 0; k < kVectors; ++k) {
      Floats xk;
      load(xk, in + k * kFloats);
      acc[k] += v * xk;
    }
  }
  for (size_t k = 0; k < kVectors; ++k) store(row + k * kFloats, acc[k]);
}

// Rows [begin, end) of one column panel of A X for a CSR matrix A: `panel` holds that panel of X,
// `panel_width` floats per row (16, 32, 48 or 64); out points at the panel's first column in a
// block `width` floats wide.
void sparse_times_panel_kernel(const uint64_t* __restrict starts,
                               const uint32_t* __restrict columns, const float* __restrict values,
                               const float* __restrict panel, size_t panel_width,
                               float* __restrict out, size_t width, size_t begin, size_t end) {
  for (size_t r = begin; r < end; ++r) {
    if (panel_width == kSvdPanel) {
      sparse_row_panel<kSvdPanel / kFloats>(starts[r], starts[r + 1], columns, values, panel,
                                            panel_width, out + r * width);
      continue;
    }
    for (size_t p = 0; p < panel_width; p += 2 * kFloats)
      sparse_row_panel<2>(starts[r], starts[r + 1], columns, values, panel + p, panel_width,
                          out + r * width + p);
  }
}

// g (round_up(l, 4) x width, row-major; the upper triangle, in 4 x 8 tiles) += Y^T Y for `rows`
// rows of yd, a block converted to double (width doubles per row; the zero padding covers reads
// past column l).
void gram_block_kernel(const double* __restrict yd, size_t rows, size_t width, size_t l,
                       double* __restrict g) {
  for (size_t i0 = 0; i0 < l; i0 += 4)
    for (size_t j0 = i0 / (2 * kDoubles) * (2 * kDoubles); j0 < l; j0 += 2 * kDoubles) {
      Doubles acc[4][2];
      for (size_t t = 0; t < 4; ++t)
        for (size_t k = 0; k < 2; ++k) load(acc[t][k], g + (i0 + t) * width + j0 + k * kDoubles);
      for (size_t r = 0; r < rows; ++r) {
        const double* row = yd + r * width;
        Doubles b0, b1;
        load(b0, row + j0);
        load(b1, row + j0 + kDoubles);
        for (size_t t = 0; t < 4; ++t) {
          const double s = row[i0 + t];
          acc[t][0] += s * b0;
          acc[t][1] += s * b1;
        }
      }
      for (size_t t = 0; t < 4; ++t)
        for (size_t k = 0; k < 2; ++k) store(g + (i0 + t) * width + j0 + k * kDoubles, acc[t][k]);
    }
}

// Rows [begin, end) of Y M: y is `width` floats wide with l columns used, m is l x out_width and
// out out_width floats wide (multiples of 16).
void dense_times_small_kernel(const float* __restrict y, size_t width, size_t l,
                              const float* __restrict m, size_t out_width, float* __restrict out,
                              size_t begin, size_t end) {
  size_t r = begin;
  for (; r + 4 <= end; r += 4)
    for (size_t p = 0; p < out_width; p += 2 * kFloats) {
      Floats acc[4][2] = {};
      for (size_t i = 0; i < l; ++i) {
        Floats m0, m1;
        load(m0, m + i * out_width + p);
        load(m1, m + i * out_width + p + kFloats);
        for (size_t t = 0; t < 4; ++t) {
          const float s = y[(r + t) * width + i];
          acc[t][0] += s * m0;
          acc[t][1] += s * m1;
        }
      }
      for (size_t t = 0; t < 4; ++t) {
        store(out + (r + t) * out_width + p, acc[t][0]);
        store(out + (r + t) * out_width + p + kFloats, acc[t][1]);
      }
    }
  for (; r < end; ++r)
    for (size_t p = 0; p < out_width; p += 2 * kFloats) {
      Floats acc[2] = {};
      for (size_t i = 0; i < l; ++i) {
        const float s = y[r * width + i];
        Floats m0, m1;
        load(m0, m + i * out_width + p);
        load(m1, m + i * out_width + p + kFloats);
        acc[0] += s * m0;
        acc[1] += s * m1;
      }
      store(out + r * out_width + p, acc[0]);
      store(out + r * out_width + p + kFloats, acc[1]);
    }
}

#undef EMBKIT_INLINE
