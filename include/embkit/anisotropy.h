// Anisotropy: the mean cosine similarity between random pairs of distinct vectors (Ethayarajh 2019;
// Mu & Viswanath 2018). Isotropic vectors score about 0; vectors crowded into a narrow cone (a
// large common mean, as raw word embeddings have) score near 1. A pair with a zero vector counts
// as cosine 0.
#pragma once

#include <cstddef>
#include <cstdint>

#include "embkit/matrix.h"

namespace embkit {

struct AnisotropyOptions {
  size_t pairs = 10000;  // random distinct pairs; every pair when n (n - 1) / 2 is not larger
  uint64_t seed = 1;     // the pairs depend on (seed, n) only
  int threads = 0;       // 0 = all cores
};

// 0 when there are fewer than 2 vectors.
double anisotropy(const Matrix& x, const AnisotropyOptions& options = {});

}  // namespace embkit
