// Row loops shared by the kernels written once per instruction-set level (train/update_kernels_impl.h,
// supervised/classifier_kernels_impl.h): included by those files at their top, inside the same
// anonymous namespace and target region. Every loop runs over 16-float chunks so that GCC vectorises
// it without reassociating, which also makes sums independent of the vector width. Defines
// EMBKIT_INLINE; the including file #undefs it at its end. No #include and no include guard on
// purpose (each level's translation unit includes it once).

#define EMBKIT_INLINE inline __attribute__((always_inline))

constexpr size_t kChunk = 16;

EMBKIT_INLINE float dot_row(const float* __restrict a, const float* __restrict b, size_t width) {
  float acc[kChunk] = {};
  for (size_t i = 0; i < width; i += kChunk)
    for (size_t j = 0; j < kChunk; ++j) acc[j] += a[i + j] * b[i + j];
  for (size_t half = kChunk / 2; half > 0; half /= 2)
    for (size_t j = 0; j < half; ++j) acc[j] += acc[j + half];
  return acc[0];
}
