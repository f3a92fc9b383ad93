#include "embkit/anisotropy.h"

#include <cmath>
#include <utility>
#include <vector>

#include "core/threads.h"
#include "embkit/kernels.h"
#include "core/random.h"

namespace embkit {
namespace {

std::vector<std::pair<size_t, size_t>> choose_pairs(size_t n, const AnisotropyOptions& options) {
  std::vector<std::pair<size_t, size_t>> pairs;
  if (n * (n - 1) / 2 <= options.pairs) {
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i + 1; j < n; ++j) pairs.emplace_back(i, j);
    return pairs;
  }
  train::TrainRng rng(options.seed);
  auto below = [&](size_t bound) {
    return static_cast<size_t>((static_cast<unsigned __int128>(rng.next()) * bound) >> 64);
  };
  pairs.reserve(options.pairs);
  while (pairs.size() < options.pairs) {
    const size_t i = below(n), j = below(n);
    if (i != j) pairs.emplace_back(i, j);
  }
  return pairs;
}

}  // namespace

double anisotropy(const Matrix& x, const AnisotropyOptions& options) {
  const size_t n = x.rows(), dim = x.cols();
  if (n < 2) return 0.0;
  const auto pairs = choose_pairs(n, options);
  std::vector<double> cosines(pairs.size());
  const long count = static_cast<long>(pairs.size());
#pragma omp parallel for schedule(static) num_threads(resolve_threads(options.threads))
  for (long p = 0; p < count; ++p) {
    const float* a = x.row(pairs[p].first);
    const float* b = x.row(pairs[p].second);
    double dot = 0;
    for (size_t c = 0; c < dim; ++c) dot += double(a[c]) * b[c];
    const double norms = std::sqrt(kernels::sum_squares(a, dim) * kernels::sum_squares(b, dim));
    cosines[p] = norms > 0 ? dot / norms : 0.0;
  }
  double sum = 0;  // in pair order: the same for any thread count
  for (double c : cosines) sum += c;
  return sum / static_cast<double>(cosines.size());
}

}  // namespace embkit
