// The exact t-SNE gradient row (geometry/tsne_kernel.h), written once and compiled once per
// instruction-set level: geometry/tsne_kernel.cc includes it for the portable level and
// kernels/tsne_kernel_avx2.cc for AVX2, each inside an anonymous namespace after
// geometry/tsne_kernel.h. No #include and no include guard on purpose (see
// kernels/simd_kernels_impl.h).

RowSums exact_row_kernel(const float* p, const float* xs, const float* ys, float xi, float yi,
                         size_t n) {
  float z = 0, ax = 0, ay = 0, rx = 0, ry = 0;
#pragma omp simd reduction(+ : z, ax, ay, rx, ry)
  for (size_t j = 0; j < n; ++j) {
    const float dx = xi - xs[j], dy = yi - ys[j];
    const float w = 1.0f / (1.0f + dx * dx + dy * dy);
    const float pw = p[j] * w, ww = w * w;
    z += w;
    ax += pw * dx;
    ay += pw * dy;
    rx += ww * dx;
    ry += ww * dy;
  }
  return {z, ax, ay, rx, ry};
}
