// The bulk half-float conversions with F16C (vcvtps2ph with round to nearest even, vcvtph2ps), 8
// values at a time; the tail goes through the portable scalar functions, which give the same bits.
// Included by kernels_avx2.cc and kernels_avx512.cc inside their anonymous namespace and target
// region, after <immintrin.h> and embkit/half_float.h. No #include and no include guard on purpose
// (see simd_kernels_impl.h).

void f16c_to_halves(const float* in, uint16_t* out, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(in + i), _MM_FROUND_TO_NEAREST_INT);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), h);
  }
  for (; i < n; ++i) out[i] = float_to_half(in[i]);
}

void f16c_to_floats(const uint16_t* in, float* out, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(out + i,
                     _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))));
  for (; i < n; ++i) out[i] = half_to_float(in[i]);
}
