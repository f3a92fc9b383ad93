// Product quantization (supervised/product_quantizer.h): per sub-quantizer, Lloyd's k-means with
// 256 centroids started from distinct sampled sub-vectors; an empty cluster takes half of the
// largest one (its centroid nudged apart), so all 256 codes stay in use when the data allows.
#include "supervised/product_quantizer.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <numeric>
#include <thread>

#include "core/random.h"
#include "core/threads.h"

namespace embkit::supervised {
namespace {

constexpr size_t kCentroids = ProductQuantizer::kCentroids;

// Centroids stored dimension-major (centroid_soa[j * 256 + c]) so that the distances from one
// point to all centroids are one vectorisable loop per dimension.
size_t nearest(const float* point, size_t d, const float* centroid_soa, float* distances) {
  std::fill(distances, distances + kCentroids, 0.0f);
  for (size_t j = 0; j < d; ++j) {
    const float x = point[j];
    const float* c = centroid_soa + j * kCentroids;
    for (size_t k = 0; k < kCentroids; ++k) {
      const float diff = x - c[k];
      distances[k] += diff * diff;
    }
  }
  size_t best = 0;
  for (size_t k = 1; k < kCentroids; ++k)
    if (distances[k] < distances[best]) best = k;
  return best;
}

// k-means of n points of d floats (contiguous): writes 256 centroids of d floats.
void kmeans(const std::vector<float>& points, size_t n, size_t d, uint32_t iterations, uint64_t seed,
            float* centroids) {
  train::TrainRng rng(seed);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(static_cast<uint32_t>(i))]);
  for (size_t k = 0; k < kCentroids; ++k) {
    const float* source = points.data() + order[k % n] * d;
    std::copy(source, source + d, centroids + k * d);
  }
  std::vector<float> soa(d * kCentroids), distances(kCentroids), sums(d * kCentroids);
  std::vector<uint32_t> assignment(n);
  std::vector<uint64_t> sizes(kCentroids);
  for (uint32_t iteration = 0; iteration < iterations; ++iteration) {
    for (size_t k = 0; k < kCentroids; ++k)
      for (size_t j = 0; j < d; ++j) soa[j * kCentroids + k] = centroids[k * d + j];
    for (size_t i = 0; i < n; ++i)
      assignment[i] = static_cast<uint32_t>(nearest(points.data() + i * d, d, soa.data(), distances.data()));
    std::fill(sums.begin(), sums.end(), 0.0f);
    std::fill(sizes.begin(), sizes.end(), 0);
    for (size_t i = 0; i < n; ++i) {
      ++sizes[assignment[i]];
      for (size_t j = 0; j < d; ++j) sums[assignment[i] * d + j] += points[i * d + j];
    }
    for (size_t k = 0; k < kCentroids; ++k)
      if (sizes[k] > 0)
        for (size_t j = 0; j < d; ++j) centroids[k * d + j] = sums[k * d + j] / static_cast<float>(sizes[k]);
    if (n <= kCentroids) continue;  // every point is its own centroid already
    for (size_t k = 0; k < kCentroids; ++k) {
      if (sizes[k] > 0) continue;
      const size_t largest = static_cast<size_t>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
      constexpr float kNudge = 1.0f / 1024;
      for (size_t j = 0; j < d; ++j) {
        const float c = centroids[largest * d + j];
        const float step = kNudge * (c != 0.0f ? c : 1e-6f);
        centroids[k * d + j] = c + step;
        centroids[largest * d + j] = c - step;
      }
      sizes[k] = sizes[largest] / 2;
      sizes[largest] -= sizes[k];
    }
  }
}

// Learns sub-quantizer m and encodes every row's sub-vector m.
void learn_subquantizer(const Matrix& rows, const ProductQuantizerSettings& settings, size_t m,
                        ProductQuantizer& pq, std::vector<uint8_t>& codes) {
  const size_t n = rows.rows();
  const size_t offset = m * static_cast<size_t>(pq.dsub);
  const size_t d = static_cast<size_t>(m + 1 == static_cast<size_t>(pq.nsubq) ? pq.lastdsub : pq.dsub);
  const size_t sample = std::min(n, kCentroids * settings.points_per_centroid);
  train::TrainRng rng(train::stream_seed(settings.seed, m));
  std::vector<size_t> chosen(n);
  std::iota(chosen.begin(), chosen.end(), size_t{0});
  for (size_t i = 0; i < sample; ++i)
    std::swap(chosen[i], chosen[i + rng.below(static_cast<uint32_t>(n - i))]);
  std::vector<float> points(sample * d);
  for (size_t i = 0; i < sample; ++i) {
    const float* row = rows.row(chosen[i]) + offset;
    std::copy(row, row + d, points.data() + i * d);
  }
  float* centroids = pq.centroids.data() + m * kCentroids * static_cast<size_t>(pq.dsub);
  kmeans(points, sample, d, settings.iterations, rng.next(), centroids);
  std::vector<float> soa(d * kCentroids), distances(kCentroids);
  for (size_t k = 0; k < kCentroids; ++k)
    for (size_t j = 0; j < d; ++j) soa[j * kCentroids + k] = centroids[k * d + j];
  const size_t nsubq = static_cast<size_t>(pq.nsubq);
  for (size_t r = 0; r < n; ++r)
    codes[r * nsubq + m] = static_cast<uint8_t>(nearest(rows.row(r) + offset, d, soa.data(), distances.data()));
}

}  // namespace

void product_quantize(const Matrix& rows, const ProductQuantizerSettings& settings, FastTextMatrix& out) {
  const size_t dim = rows.cols();
  const size_t dsub = std::clamp<size_t>(settings.dsub, 1, dim);
  ProductQuantizer& pq = out.pq;
  pq.dim = static_cast<int32_t>(dim);
  pq.dsub = static_cast<int32_t>(dsub);
  pq.nsubq = static_cast<int32_t>((dim + dsub - 1) / dsub);
  pq.lastdsub = static_cast<int32_t>(dim - (static_cast<size_t>(pq.nsubq) - 1) * dsub);
  pq.centroids.assign(dim * kCentroids, 0.0f);
  out.quantized = true;
  out.rows = static_cast<int64_t>(rows.rows());
  out.cols = static_cast<int64_t>(dim);
  out.codes.assign(rows.rows() * static_cast<size_t>(pq.nsubq), 0);
  if (rows.rows() == 0) return;
  const size_t workers = std::min<size_t>(static_cast<size_t>(resolve_threads(settings.threads)),
                                          static_cast<size_t>(pq.nsubq));
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < workers; ++t)
    pool.emplace_back([&] {
      for (size_t m = next++; m < static_cast<size_t>(pq.nsubq); m = next++)
        learn_subquantizer(rows, settings, m, pq, out.codes);
    });
  for (std::thread& worker : pool) worker.join();
}

void quantize_values(const std::vector<float>& values, const ProductQuantizerSettings& settings,
                     ProductQuantizer& pq, std::vector<uint8_t>& codes) {
  Matrix column(values.size(), 1);
  for (size_t i = 0; i < values.size(); ++i) column.mutable_row(i)[0] = values[i];
  ProductQuantizerSettings one = settings;
  one.dsub = 1;
  one.threads = 1;
  FastTextMatrix out;
  product_quantize(column, one, out);
  pq = std::move(out.pq);
  codes = std::move(out.codes);
}

}  // namespace embkit::supervised
