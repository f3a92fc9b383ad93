// The word2vec update kernels against finite differences of the negative-sampling loss, their
// non-finite guards, the unigram^0.75 alias sampler and word2vec's subsampling formula.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "train/negative_sampler.h"
#include "core/random.h"
#include "train/sigmoid_table.h"
#include "train/subsampling.h"
#include "train/update_kernels.h"

namespace embkit::train {
namespace {

constexpr size_t kDim = 16;  // one padded chunk: the kernels' row width

using Rows = std::vector<std::vector<float>>;

Rows random_rows(size_t count, uint64_t seed, float scale) {
  TrainRng rng(seed);
  Rows rows(count, std::vector<float>(kDim));
  for (auto& row : rows)
    for (float& x : row) x = (rng.uniform_float() * 2 - 1) * scale;
  return rows;
}

std::vector<float*> pointers(Rows& rows) {
  std::vector<float*> p;
  for (auto& row : rows) p.push_back(row.data());
  return p;
}

double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t d = 0; d < kDim; ++d) s += static_cast<double>(a[d]) * b[d];
  return s;
}

// Negative-sampling loss of input rows against outputs (row 0 the true word, the rest negatives).
double skipgram_loss(const Rows& inputs, const Rows& outputs) {
  double loss = 0;
  for (const auto& v : inputs)
    for (size_t k = 0; k < outputs.size(); ++k)
      loss += k == 0 ? softplus(-dot(v, outputs[k])) : softplus(dot(v, outputs[k]));
  return loss;
}

double cbow_loss(const Rows& inputs, const Rows& outputs) {
  std::vector<float> hidden(kDim, 0.0f);
  for (const auto& v : inputs)
    for (size_t d = 0; d < kDim; ++d) hidden[d] += v[d] / static_cast<float>(inputs.size());
  return skipgram_loss(Rows{hidden}, outputs);
}

// Central finite difference of `loss` with respect to every coordinate of `rows`.
template <typename Loss>
Rows numeric_gradient(Rows& rows, Loss loss) {
  Rows gradient = rows;
  const float h = 1e-2f;
  for (size_t r = 0; r < rows.size(); ++r)
    for (size_t d = 0; d < kDim; ++d) {
      float saved = rows[r][d];
      rows[r][d] = saved + h;
      double up = loss();
      rows[r][d] = saved - h;
      double down = loss();
      rows[r][d] = saved;
      gradient[r][d] = static_cast<float>((up - down) / (2.0 * h));
    }
  return gradient;
}

// The kernel moved `after` from `before` by -learning_rate * scale * gradient.
void expect_step(const Rows& before, const Rows& after, const Rows& gradient, float learning_rate,
                 float scale) {
  double largest = 0;
  for (size_t r = 0; r < before.size(); ++r)
    for (size_t d = 0; d < kDim; ++d) {
      double step = (static_cast<double>(after[r][d]) - before[r][d]) / -learning_rate;
      EXPECT_NEAR(step, scale * gradient[r][d], 2e-3) << "row " << r << " coordinate " << d;
      largest = std::max(largest, std::fabs(step));
    }
  EXPECT_GT(largest, 0.05);  // the comparison is not between zeros
}

TEST(TrainKernels, SkipGramMinibatchFollowsTheLossGradient) {
  Rows inputs = random_rows(3, 1, 0.8f), outputs = random_rows(4, 2, 0.8f);
  Rows grad_in = numeric_gradient(inputs, [&] { return skipgram_loss(inputs, outputs); });
  Rows grad_out = numeric_gradient(outputs, [&] { return skipgram_loss(inputs, outputs); });
  const double loss = skipgram_loss(inputs, outputs);
  Rows new_in = inputs, new_out = outputs;
  auto in_ptr = pointers(new_in), out_ptr = pointers(new_out);
  std::vector<float> scratch(update_scratch_floats(3, 4, kDim));
  UpdateStats stats;
  const float lr = 0.01f;
  skipgram_minibatch_update(in_ptr.data(), 3, out_ptr.data(), 4, kDim, lr, scratch.data(), stats);
  expect_step(inputs, new_in, grad_in, lr, 1.0f);
  expect_step(outputs, new_out, grad_out, lr, 1.0f);
  EXPECT_NEAR(stats.loss, loss, 1e-4);
  EXPECT_EQ(stats.pairs, 12u);
  EXPECT_EQ(stats.skipped, 0u);
}

TEST(TrainKernels, SkipGramPairFollowsTheLossGradient) {
  Rows input = random_rows(1, 3, 0.8f), outputs = random_rows(6, 4, 0.8f);
  Rows grad_in = numeric_gradient(input, [&] { return skipgram_loss(input, outputs); });
  Rows grad_out = numeric_gradient(outputs, [&] { return skipgram_loss(input, outputs); });
  const double loss = skipgram_loss(input, outputs);
  Rows new_in = input, new_out = outputs;
  auto out_ptr = pointers(new_out);
  std::vector<float> scratch(update_scratch_floats(1, 6, kDim));
  UpdateStats stats;
  const float lr = 0.01f;
  skipgram_pair_update(new_in[0].data(), out_ptr.data(), 6, kDim, lr, scratch.data(), stats);
  expect_step(input, new_in, grad_in, lr, 1.0f);
  expect_step(outputs, new_out, grad_out, lr, 1.0f);
  EXPECT_NEAR(stats.loss, loss, 1e-4);
  EXPECT_EQ(stats.pairs, 6u);
}

TEST(TrainKernels, CbowFollowsTheLossGradientInBothOrders) {
  for (bool sequential : {false, true}) {
    SCOPED_TRACE(sequential ? "sequential" : "batched");
    Rows inputs = random_rows(4, 5, 0.8f), outputs = random_rows(3, 6, 1.5f);
    Rows grad_in = numeric_gradient(inputs, [&] { return cbow_loss(inputs, outputs); });
    Rows grad_out = numeric_gradient(outputs, [&] { return cbow_loss(inputs, outputs); });
    const double loss = cbow_loss(inputs, outputs);
    Rows new_in = inputs, new_out = outputs;
    auto in_ptr = pointers(new_in), out_ptr = pointers(new_out);
    std::vector<float> scratch(update_scratch_floats(4, 3, kDim));
    UpdateStats stats;
    const float lr = 0.01f;
    cbow_update(in_ptr.data(), 4, out_ptr.data(), 3, kDim, lr, sequential, scratch.data(), stats);
    // word2vec.c's convention: every context row takes the hidden vector's whole step, i.e. B
    // times the gradient of the loss with respect to that row.
    expect_step(inputs, new_in, grad_in, lr, 4.0f);
    expect_step(outputs, new_out, grad_out, lr, 1.0f);
    EXPECT_NEAR(stats.loss, loss, 1e-4);
    EXPECT_EQ(stats.pairs, 3u);
  }
}

TEST(TrainKernels, NonFiniteScoresAreSkippedAndCounted) {
  Rows inputs(2, std::vector<float>(kDim, 1e30f)), outputs(2, std::vector<float>(kDim, 1e30f));
  Rows before_in = inputs, before_out = outputs;
  auto in_ptr = pointers(inputs), out_ptr = pointers(outputs);
  std::vector<float> scratch(update_scratch_floats(2, 2, kDim));
  UpdateStats stats;
  skipgram_minibatch_update(in_ptr.data(), 2, out_ptr.data(), 2, kDim, 0.1f, scratch.data(), stats);
  EXPECT_EQ(stats.skipped, 1u);
  cbow_update(in_ptr.data(), 2, out_ptr.data(), 2, kDim, 0.1f, false, scratch.data(), stats);
  EXPECT_EQ(stats.skipped, 2u);
  skipgram_pair_update(in_ptr[0], out_ptr.data(), 2, kDim, 0.1f, scratch.data(), stats);
  EXPECT_EQ(stats.skipped, 4u);  // each pair's score is infinite
  EXPECT_EQ(inputs, before_in);
  EXPECT_EQ(outputs, before_out);
  EXPECT_EQ(stats.pairs, 0u);
}

TEST(TrainKernels, UpdatesThatWouldOverflowLeaveTheRowUnchanged) {
  // The score is exactly 0 (3e8 - 3e8), so g = 10 * (1 - 0.5) = 5, and the output row's step
  // 5 * 3e38 overflows; the input row's step 5 * 1e-30 is fine.
  Rows inputs(1, std::vector<float>(kDim, 0.0f)), outputs(1, std::vector<float>(kDim, 0.0f));
  inputs[0][0] = inputs[0][1] = 3e38f;
  outputs[0][0] = 1e-30f;
  outputs[0][1] = -1e-30f;
  Rows before_out = outputs;
  auto in_ptr = pointers(inputs), out_ptr = pointers(outputs);
  std::vector<float> scratch(update_scratch_floats(1, 1, kDim));
  UpdateStats stats;
  skipgram_minibatch_update(in_ptr.data(), 1, out_ptr.data(), 1, kDim, 10.0f, scratch.data(), stats);
  EXPECT_EQ(outputs, before_out);
  EXPECT_EQ(stats.skipped, 1u);
  EXPECT_FLOAT_EQ(inputs[0][0], 3e38f);
  EXPECT_EQ(stats.pairs, 1u);
}

TEST(TrainKernels, SigmoidTableIsAccurateAndSoftplusStable) {
  const SigmoidTable& table = sigmoid_table();
  for (double x = -7.9; x < 7.9; x += 0.037)
    EXPECT_NEAR(table.sigmoid(static_cast<float>(x)), 1.0 / (1.0 + std::exp(-x)), 2e-6) << x;
  for (double x = -40; x < 40; x += 0.13)
    EXPECT_NEAR(table.softplus(static_cast<float>(x)), softplus(x), 2e-6 * std::max(1.0, std::fabs(x)))
        << x;
  EXPECT_FLOAT_EQ(table.softplus(1e30f), 1e30f);
  EXPECT_EQ(table.softplus(-1e30f), 0.0f);
  EXPECT_GT(table.sigmoid(100.0f), 0.999f);
  EXPECT_LT(table.sigmoid(-100.0f), 0.001f);
}

TEST(TrainNegativeSampler, DrawsFromTheUnigramToThePowerThreeQuarters) {
  // 1, 16, 81 and 0 raised to 0.75 are 1, 8, 27 and 0.
  std::vector<uint64_t> counts = {1, 16, 81, 0};
  NegativeSampler sampler(counts);
  const double expected[] = {1.0 / 36, 8.0 / 36, 27.0 / 36, 0.0};
  for (uint32_t w = 0; w < 4; ++w) EXPECT_NEAR(sampler.probability(w), expected[w], 1e-9);
  TrainRng rng(7);
  std::vector<size_t> seen(4, 0);
  const size_t draws = 360000;
  for (size_t i = 0; i < draws; ++i) ++seen[sampler.sample(rng)];
  for (uint32_t w = 0; w < 4; ++w)
    EXPECT_NEAR(static_cast<double>(seen[w]) / draws, expected[w], 0.004) << w;
  EXPECT_EQ(seen[3], 0u);
}

TEST(TrainNegativeSampler, RejectsAnEmptyOrAllZeroVocabulary) {
  EXPECT_ANY_THROW(NegativeSampler(std::vector<uint64_t>{}));
  EXPECT_ANY_THROW(NegativeSampler(std::vector<uint64_t>{0, 0}));
}

TEST(TrainSubsampling, UsesWord2vecsKeepProbability) {
  // threshold s*T = 1e-4 * 1e6 = 100; f = 1e5: (sqrt(1000) + 1) * 100 / 1e5.
  EXPECT_NEAR(Subsampler::keep_probability(100000, 1000000, 1e-4),
              (std::sqrt(1000.0) + 1.0) * 100.0 / 100000.0, 1e-12);
  EXPECT_DOUBLE_EQ(Subsampler::keep_probability(100, 1000000, 1e-4), 2.0);  // rare: always kept
  EXPECT_DOUBLE_EQ(Subsampler::keep_probability(100000, 1000000, 0), 1.0);  // off
  // Empirically: word 0 holds 90% of a corpus of 1e6 tokens.
  std::vector<uint64_t> counts = {900000, 100000};
  Subsampler subsampler(counts, 1e-4);
  TrainRng rng(3);
  size_t kept = 0;
  for (int i = 0; i < 100000; ++i) kept += subsampler.keep(0, rng);
  EXPECT_NEAR(kept / 100000.0, Subsampler::keep_probability(900000, 1000000, 1e-4), 0.003);
}

TEST(TrainRng, IsReproducibleAndStreamsDiffer) {
  TrainRng a(42), b(42);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next(), b.next());
  EXPECT_NE(stream_seed(1, 0), stream_seed(1, 1));
  EXPECT_NE(stream_seed(1, 0), stream_seed(2, 0));
  TrainRng c(5);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_LT(c.below(7), 7u);
    float u = c.uniform_float();
    EXPECT_GE(u, 0.0f);
    EXPECT_LT(u, 1.0f);
  }
}

}  // namespace
}  // namespace embkit::train
