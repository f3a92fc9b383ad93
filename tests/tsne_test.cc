// t-SNE: perplexity calibration (row entropies), the Barnes-Hut quadtree against brute-force sums,
// map quality on planted blobs (trustworthiness, as scikit-learn defines it), KL decreasing,
// determinism, and bad input.
#include "embkit/tsne.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "embkit/error.h"
#include "geometry/quadtree.h"

namespace embkit {
namespace {

// `per_blob` points around each of `blobs` centres 10 apart in `dim` dimensions, noise sd 1.
Matrix make_blobs(size_t blobs, size_t per_blob, size_t dim, uint32_t seed,
                  std::vector<int>* label = nullptr) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0, 1);
  std::vector<std::vector<float>> centres(blobs, std::vector<float>(dim));
  for (auto& c : centres)
    for (float& v : c) v = 10 * noise(rng);
  Matrix m(blobs * per_blob, dim);
  for (size_t i = 0; i < m.rows(); ++i) {
    for (size_t d = 0; d < dim; ++d) m.mutable_row(i)[d] = centres[i % blobs][d] + noise(rng);
    if (label) label->push_back(static_cast<int>(i % blobs));
  }
  return m;
}

// scikit-learn's trustworthiness: 1 - 2 / (n k (2n - 3k - 1)) * sum over each point's k nearest
// map neighbours of max(0, rank in the input space - k).
double trustworthiness(const Matrix& data, const std::vector<double>& map, size_t k) {
  const size_t n = data.rows();
  double penalty = 0;
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> input(n), output(n);
    for (size_t j = 0; j < n; ++j) {
      double s = 0;
      for (size_t d = 0; d < data.cols(); ++d)
        s += std::pow(double(data.row(i)[d]) - data.row(j)[d], 2);
      input[j] = j == i ? -1 : s;
      output[j] = j == i ? -1
                         : std::pow(map[2 * i] - map[2 * j], 2) +
                               std::pow(map[2 * i + 1] - map[2 * j + 1], 2);
    }
    std::vector<size_t> by_input(n), by_output(n), rank(n);
    std::iota(by_input.begin(), by_input.end(), 0);
    std::iota(by_output.begin(), by_output.end(), 0);
    std::stable_sort(by_input.begin(), by_input.end(),
                     [&](size_t a, size_t b) { return input[a] < input[b]; });
    std::stable_sort(by_output.begin(), by_output.end(),
                     [&](size_t a, size_t b) { return output[a] < output[b]; });
    for (size_t r = 0; r < n; ++r) rank[by_input[r]] = r;  // self has rank 0
    for (size_t r = 1; r <= k; ++r)
      penalty += std::max<double>(0, double(rank[by_output[r]]) - double(k));
  }
  const double nn = static_cast<double>(n), kk = static_cast<double>(k);
  return 1 - 2 / (nn * kk * (2 * nn - 3 * kk - 1)) * penalty;
}

// Share of points whose nearest map neighbour is in the same blob.
double same_blob_neighbour(const std::vector<double>& map, const std::vector<int>& label) {
  const size_t n = label.size();
  size_t same = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t best = i;
    double best_d = INFINITY;
    for (size_t j = 0; j < n; ++j) {
      const double d =
          std::pow(map[2 * i] - map[2 * j], 2) + std::pow(map[2 * i + 1] - map[2 * j + 1], 2);
      if (j != i && d < best_d) best_d = d, best = j;
    }
    same += label[best] == label[i];
  }
  return double(same) / n;
}

double row_entropy(const TsneAffinities& a, size_t i) {
  double h = 0;
  for (size_t e = a.offsets[i]; e < a.offsets[i + 1]; ++e)
    if (a.values[e] > 0) h -= a.values[e] * std::log(a.values[e]);
  return h;
}

TEST(TsneTest, RowEntropiesEqualLogPerplexity) {
  const Matrix data = make_blobs(3, 40, 8, 7);
  for (size_t neighbors : {size_t(0), size_t(45)}) {
    for (double perplexity : {5.0, 15.0, 30.0}) {
      const TsneAffinities a = tsne_conditional_affinities(data, perplexity, neighbors, 2);
      ASSERT_EQ(a.offsets.size(), data.rows() + 1);
      for (size_t i = 0; i < data.rows(); ++i) {
        EXPECT_NEAR(row_entropy(a, i), std::log(perplexity), 1e-4) << "row " << i;
        double sum = 0;
        for (size_t e = a.offsets[i]; e < a.offsets[i + 1]; ++e) {
          sum += a.values[e];
          EXPECT_NE(a.columns[e], i);
        }
        EXPECT_NEAR(sum, 1.0, 1e-12);
        EXPECT_GT(a.betas[i], 0);
      }
    }
  }
}

TEST(TsneTest, NearestNeighbourRowsHoldTheNearestRows) {
  const Matrix data = make_blobs(2, 30, 4, 3);
  const TsneAffinities a = tsne_conditional_affinities(data, 5, 10, 1);
  for (size_t i = 0; i < data.rows(); ++i) {
    std::vector<std::pair<double, uint32_t>> all;
    for (size_t j = 0; j < data.rows(); ++j) {
      if (j == i) continue;
      double s = 0;
      for (size_t d = 0; d < 4; ++d) s += std::pow(double(data.row(i)[d]) - data.row(j)[d], 2);
      all.emplace_back(s, static_cast<uint32_t>(j));
    }
    std::sort(all.begin(), all.end());
    std::vector<uint32_t> want,
        got(a.columns.begin() + a.offsets[i], a.columns.begin() + a.offsets[i + 1]);
    for (size_t k = 0; k < 10; ++k) want.push_back(all[k].second);
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want) << "row " << i;
  }
}

TEST(TsneTest, QuadtreeWithThetaZeroEqualsBruteForce) {
  std::mt19937 rng(5);
  std::normal_distribution<double> g(0, 3);
  std::vector<double> xy(2 * 300);
  for (double& v : xy) v = g(rng);
  xy[2] = xy[0], xy[3] = xy[1];  // a coincident pair
  const Quadtree tree(xy);
  for (size_t i : {size_t(0), size_t(1), size_t(17), size_t(299)}) {
    double z = 0, fx = 0, fy = 0, bz = 0, bx = 0, by = 0;
    tree.repulsion(i, 0.0, z, fx, fy);
    for (size_t j = 0; j < 300; ++j) {
      if (j == i) continue;
      const double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
      const double w = 1 / (1 + dx * dx + dy * dy);
      bz += w, bx += w * w * dx, by += w * w * dy;
    }
    EXPECT_NEAR(z, bz, 1e-9 * bz);
    EXPECT_NEAR(fx, bx, 1e-9);
    EXPECT_NEAR(fy, by, 1e-9);
    // theta 0.5 approximates within a few percent.
    tree.repulsion(i, 0.5, z, fx, fy);
    EXPECT_NEAR(z, bz, 0.03 * bz);
  }
}

struct BlobRun {
  Matrix data;
  std::vector<int> label;
  TsneResult result;
};

BlobRun run_blobs(bool barnes_hut, int threads = 2, uint64_t seed = 1) {
  BlobRun run;
  run.data = make_blobs(4, 60, 20, 11, &run.label);
  TsneOptions options;
  options.perplexity = 20;
  options.iterations = 600;
  options.seed = seed;
  options.threads = threads;
  if (barnes_hut) options.exact_max_points = 0;
  run.result = tsne(run.data, options);
  return run;
}

TEST(TsneTest, ExactSeparatesBlobs) {
  const BlobRun run = run_blobs(false);
  EXPECT_FALSE(run.result.barnes_hut);
  EXPECT_DOUBLE_EQ(run.result.learning_rate, 50.0);  // 240 / 12 / 4 = 5 -> at least 50
  EXPECT_GE(trustworthiness(run.data, run.result.embedding, 5), 0.9);
  EXPECT_GE(same_blob_neighbour(run.result.embedding, run.label), 0.99);
}

TEST(TsneTest, BarnesHutSeparatesBlobs) {
  const BlobRun run = run_blobs(true);
  EXPECT_TRUE(run.result.barnes_hut);
  EXPECT_GE(trustworthiness(run.data, run.result.embedding, 5), 0.9);
  EXPECT_GE(same_blob_neighbour(run.result.embedding, run.label), 0.99);
}

TEST(TsneTest, KlDecreasesAfterExaggeration) {
  for (bool bh : {false, true}) {
    const BlobRun run = run_blobs(bh);
    const auto& h = run.result.kl_history;
    ASSERT_EQ(h.size(), 12u);  // every 50 of 600
    EXPECT_EQ(h.back().first, 600u);
    // Right after exaggeration ends (iteration 300) versus the end; and non-increasing within
    // a small tolerance for the Barnes-Hut estimate.
    EXPECT_LT(h.back().second, h[5].second) << "barnes_hut " << bh;
    for (size_t k = 6; k < h.size(); ++k) EXPECT_LE(h[k].second, h[k - 1].second * 1.01) << k;
    EXPECT_GT(h.back().second, 0);
    EXPECT_LT(h.back().second, 2.0);
  }
}

TEST(TsneTest, SameSeedSameMapAcrossThreadCounts) {
  for (bool bh : {false, true}) {
    const BlobRun a = run_blobs(bh, 1, 9), b = run_blobs(bh, 1, 9), c = run_blobs(bh, 2, 9);
    EXPECT_EQ(a.result.embedding, b.result.embedding);
    EXPECT_EQ(a.result.embedding, c.result.embedding);
    const BlobRun d = run_blobs(bh, 1, 10);
    EXPECT_NE(a.result.embedding, d.result.embedding);
  }
}

TEST(TsneTest, BadInputIsUsageError) {
  EXPECT_THROW(tsne(Matrix(1, 3)), UsageError);
  Matrix five = make_blobs(1, 5, 3, 1);
  TsneOptions options;
  options.perplexity = 5;
  EXPECT_THROW(tsne(five, options), UsageError);
  options.perplexity = 2;
  five.mutable_row(2)[1] = NAN;
  EXPECT_THROW(tsne(five, options), UsageError);
  EXPECT_THROW(tsne_conditional_affinities(make_blobs(1, 5, 3, 1), 10, 0), UsageError);
}

TEST(TsneTest, TwoPointsAndDuplicates) {
  Matrix m(6, 2);  // three copies each of two points
  for (size_t i = 3; i < 6; ++i) m.mutable_row(i)[0] = 5;
  TsneOptions options;
  options.perplexity = 1.5;
  options.iterations = 300;
  const TsneResult r = tsne(m, options);
  for (double v : r.embedding) EXPECT_TRUE(std::isfinite(v));
  options.exact_max_points = 0;
  const TsneResult bh = tsne(m, options);
  for (double v : bh.embedding) EXPECT_TRUE(std::isfinite(v));
}

}  // namespace
}  // namespace embkit
