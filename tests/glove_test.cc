// GloVe: one AdaGrad step against the formula, fitting a planted log-bilinear model, the loss curve,
// planted structure in a synthetic corpus, determinism, output modes, stopping and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "count/glove_kernel.h"
#include "embkit/error.h"
#include "embkit/glove.h"
#include "core/random.h"
#include "train_synthetic_corpus.h"

namespace embkit {
namespace {

namespace fs = std::filesystem;

const testing::SyntheticCorpus& corpus() { return testing::shared_synthetic_corpus(); }

GloveOptions small_options() {
  GloveOptions o;
  o.dim = 16;
  o.counting.window = 5;
  o.epochs = 40;
  o.x_max = 10;
  o.threads = 1;
  o.seed = 5;
  return o;
}

Vocab numbered_vocab(size_t n) {
  Vocab v;
  for (size_t i = 0; i < n; ++i) v.add("w" + std::to_string(i), 1000 - i);
  return v;
}

bool same_matrix(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (size_t r = 0; r < a.rows(); ++r)
    for (size_t d = 0; d < a.cols(); ++d)
      if (a.row(r)[d] != b.row(r)[d]) return false;
  return true;
}

double cosine(const Matrix& m, size_t a, size_t b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t d = 0; d < m.cols(); ++d) {
    dot += double(m.row(a)[d]) * m.row(b)[d];
    na += double(m.row(a)[d]) * m.row(a)[d];
    nb += double(m.row(b)[d]) * m.row(b)[d];
  }
  return dot / std::sqrt(na * nb + 1e-30);
}

TEST(GloveKernel, OneStepFollowsTheAdaGradFormulaWithClipping) {
  const size_t dim = 3, padded = count::glove_padded_dim(dim), stride = count::glove_row_stride(dim);
  ASSERT_EQ(padded, 16u);
  std::vector<float> words(2 * stride, 0.0f), contexts(2 * stride, 0.0f);
  float* w = words.data() + stride;  // row 1
  float* c = contexts.data();        // row 0
  const float wv[3] = {0.5f, -0.25f, 2.0f}, cv[3] = {1.0f, 0.5f, -0.5f};
  for (size_t d = 0; d < dim; ++d) w[d] = wv[d], c[d] = cv[d];
  for (size_t d = 0; d < padded; ++d) w[padded + d] = 1.0f, c[padded + d] = 4.0f;
  w[2 * padded] = 0.1f, w[2 * padded + 1] = 1.0f;
  c[2 * padded] = -0.2f, c[2 * padded + 1] = 9.0f;
  const float log_x = std::log(3.0f), weight = 0.5f, lr = 0.1f, clip = 0.3f;
  count::GloveEntry entry{1, 0, log_x, weight};
  count::GloveBlockStats stats;
  count::glove_block(&entry, 1, words.data(), contexts.data(), dim, lr, clip, stats);

  const double dot = 0.5 * 1.0 + -0.25 * 0.5 + 2.0 * -0.5;  // -0.625
  const double error = dot + 0.1 - 0.2 - std::log(3.0), g = weight * error;
  EXPECT_NEAR(stats.loss, 0.5 * g * error, 1e-6);
  EXPECT_EQ(stats.skipped, 0u);
  for (size_t d = 0; d < dim; ++d) {
    const double sw = std::clamp(g * cv[d], -double(clip), double(clip)) * lr;
    const double sc = std::clamp(g * wv[d], -double(clip), double(clip)) * lr;
    EXPECT_NEAR(w[d], wv[d] - sw / 1.0, 1e-6) << d;
    EXPECT_NEAR(c[d], cv[d] - sc / 2.0, 1e-6) << d;
    EXPECT_NEAR(w[padded + d], 1.0 + sw * sw, 1e-6) << d;
    EXPECT_NEAR(c[padded + d], 4.0 + sc * sc, 1e-6) << d;
  }
  const double sb = std::clamp(g, -double(clip), double(clip)) * lr;
  EXPECT_NEAR(w[2 * padded], 0.1 - sb, 1e-6);
  EXPECT_NEAR(c[2 * padded], -0.2 - sb / 3.0, 1e-6);
  EXPECT_NEAR(c[2 * padded + 1], 9.0 + sb * sb, 1e-6);
  for (size_t d = dim; d < padded; ++d) EXPECT_EQ(w[d], 0.0f) << "padding stays zero";
  for (size_t d = 0; d < stride; ++d) EXPECT_EQ(words[d], 0.0f) << "other rows untouched";

  // A non-finite error skips the step and leaves every value as it was.
  std::vector<float> before = words;
  count::GloveEntry bad{1, 0, std::nanf(""), 1.0f};
  count::glove_block(&bad, 1, words.data(), contexts.data(), dim, lr, clip, stats);
  EXPECT_EQ(stats.skipped, 1u);
  EXPECT_EQ(words, before);
}

// Counts drawn from a planted log-bilinear model, all above x_max so every weight is 1: GloVe must
// fit log X closely with the true rank.
TEST(Glove, FitsAPlantedLogBilinearModel) {
  const size_t n = 40, rank = 4;
  train::TrainRng rng(3);
  std::vector<std::vector<double>> u(n, std::vector<double>(rank)), v = u;
  std::vector<double> bu(n), bv(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < rank; ++k) u[i][k] = rng.uniform_float() - 0.5, v[i][k] = rng.uniform_float() - 0.5;
    bu[i] = 5 + rng.uniform_float(), bv[i] = 5 + rng.uniform_float();
  }
  std::vector<uint64_t> starts = {0};
  std::vector<uint32_t> columns;
  std::vector<float> values;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      double log_x = bu[i] + bv[j];
      for (size_t k = 0; k < rank; ++k) log_x += u[i][k] * v[j][k];
      columns.push_back(static_cast<uint32_t>(j));
      values.push_back(static_cast<float>(std::exp(log_x)));
    }
    starts.push_back(columns.size());
  }
  SparseMatrix counts(n, n, starts, columns, values);
  GloveOptions o = small_options();
  o.dim = 8;
  o.epochs = 400;
  o.x_max = 1;  // every entry at full weight
  o.learning_rate = 0.1;
  GloveResult r = train_glove_on_counts(numbered_vocab(n), counts, o);
  ASSERT_EQ(r.epoch_losses.size(), o.epochs);
  EXPECT_EQ(r.cooccurrence_nnz, n * n);
  double worst = 0;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) {
      double fit = r.word_biases[i] + r.context_biases[j];
      for (size_t d = 0; d < o.dim; ++d) fit += double(r.words.row(i)[d]) * r.contexts.row(j)[d];
      worst = std::max(worst, std::abs(fit - std::log(double(values[i * n + j]))));
    }
  EXPECT_LT(worst, 0.05) << "largest error in log X";
  EXPECT_LT(r.final_loss, 1e-4);
  EXPECT_LT(r.final_loss, r.epoch_losses.front() / 100);
}

TEST(Glove, LossFallsAndTheLogRecordsEveryEpoch) {
  const fs::path log = fs::temp_directory_path() / ("embkit_glove_loss_" + std::to_string(::getpid()) + ".csv");
  GloveOptions o = small_options();
  o.epochs = 12;
  o.loss_log_path = log.string();
  std::vector<GloveProgress> seen;
  o.on_progress = [&](const GloveProgress& p) { seen.push_back(p); };
  o.progress_interval_seconds = 0.01;
  GloveResult r = train_glove(corpus().vocab, corpus().corpus, o);
  ASSERT_EQ(r.epoch_losses.size(), 12u);
  for (size_t e = 1; e < r.epoch_losses.size(); ++e)
    EXPECT_LT(r.epoch_losses[e], r.epoch_losses[e - 1]) << "epoch " << e;
  EXPECT_LT(r.epoch_losses.back(), r.epoch_losses.front() / 3);
  EXPECT_DOUBLE_EQ(r.final_loss, r.epoch_losses.back());
  EXPECT_EQ(r.skipped_updates, 0u);
  EXPECT_GT(r.cooccurrence_nnz, 100u);
  ASSERT_FALSE(seen.empty());
  EXPECT_DOUBLE_EQ(seen.back().fraction, 1.0);

  std::ifstream in(log);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "updates,epoch,fraction,loss");
  std::vector<double> epoch_rows;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string updates, epoch, fraction, loss;
    std::getline(fields, updates, ',');
    std::getline(fields, epoch, ',');
    std::getline(fields, fraction, ',');
    std::getline(fields, loss, ',');
    if (std::stoull(updates) % r.cooccurrence_nnz == 0) epoch_rows.push_back(std::stod(loss));
  }
  ASSERT_EQ(epoch_rows.size(), 12u);
  for (size_t e = 0; e < 12; ++e) EXPECT_NEAR(epoch_rows[e], r.epoch_losses[e], 1e-6);
  fs::remove(log);
}

// Topics with disjoint vocabularies: sentences draw all their words from one topic, so a trained
// word's nearest neighbours must be the other words of its topic (random vectors score 1/6).
TEST(Glove, RecoversPlantedTopicsWithHogwildThreads) {
  const size_t topics = 6, per_topic = 8;
  train::TrainRng rng(17);
  Vocab vocab;
  for (size_t t = 0; t < topics; ++t)
    for (size_t k = 0; k < per_topic; ++k) vocab.add("t" + std::to_string(t) + "w" + std::to_string(k), 100);
  EncodedCorpus text;
  for (size_t s = 0; s < 3000; ++s) {
    const uint32_t topic = rng.below(topics);
    for (size_t i = 0; i < 10; ++i) text.ids.push_back(topic * per_topic + rng.below(per_topic));
    text.sentence_ends.push_back(text.ids.size());
  }
  text.raw_tokens = text.ids.size();
  GloveOptions o = small_options();
  o.threads = 2;
  o.epochs = 30;
  GloveResult r = train_glove(vocab, text, o);
  EXPECT_LT(r.final_loss, r.epoch_losses.front() / 3);
  const Matrix& m = r.vectors.vectors();
  size_t same_topic = 0, total = 0;
  for (size_t w = 0; w < vocab.size(); ++w) {
    std::vector<std::pair<double, size_t>> scored;
    for (size_t v = 0; v < vocab.size(); ++v)
      if (v != w) scored.emplace_back(-cosine(m, w, v), v);
    std::sort(scored.begin(), scored.end());
    for (size_t k = 0; k + 1 < per_topic; ++k) same_topic += scored[k].second / per_topic == w / per_topic;
    total += per_topic - 1;
  }
  EXPECT_GE(static_cast<double>(same_topic) / total, 0.95) << same_topic << " of " << total;
}

TEST(Glove, OneThreadIsBitIdenticalAndTheSeedMatters) {
  GloveOptions o = small_options();
  o.epochs = 3;
  GloveResult a = train_glove(corpus().vocab, corpus().corpus, o);
  GloveResult b = train_glove(corpus().vocab, corpus().corpus, o);
  EXPECT_TRUE(same_matrix(a.vectors.vectors(), b.vectors.vectors()));
  EXPECT_TRUE(same_matrix(a.contexts, b.contexts));
  EXPECT_EQ(a.word_biases, b.word_biases);
  EXPECT_EQ(a.final_loss, b.final_loss);
  o.seed = 6;
  GloveResult c = train_glove(corpus().vocab, corpus().corpus, o);
  EXPECT_FALSE(same_matrix(a.vectors.vectors(), c.vectors.vectors()));
}

TEST(Glove, OutputIsWordPlusContextOrWordAlone) {
  GloveOptions o = small_options();
  o.epochs = 2;
  GloveResult sum = train_glove(corpus().vocab, corpus().corpus, o);
  o.output = GloveOutput::Word;
  GloveResult word = train_glove(corpus().vocab, corpus().corpus, o);
  EXPECT_TRUE(same_matrix(word.vectors.vectors(), word.words));
  EXPECT_TRUE(same_matrix(sum.words, word.words));
  for (size_t r = 0; r < sum.words.rows(); ++r)
    for (size_t d = 0; d < o.dim; ++d)
      EXPECT_EQ(sum.vectors.vectors().row(r)[d], sum.words.row(r)[d] + sum.contexts.row(r)[d]);
  EXPECT_EQ(sum.vectors.size(), corpus().vocab.size());
  EXPECT_EQ(sum.vectors.vocab().count(0), corpus().vocab.count(0)) << "counts carried over";
}

TEST(Glove, StopsWhenAsked) {
  std::atomic<bool> stop{true};
  GloveOptions o = small_options();
  o.stop = &stop;
  GloveResult r = train_glove(corpus().vocab, corpus().corpus, o);
  EXPECT_TRUE(r.interrupted);
  EXPECT_TRUE(r.epoch_losses.empty());
}

TEST(Glove, RejectsBadCountsAndOptions) {
  SparseMatrix ok(2, 2, {0, 1, 2}, {1, 0}, {3.0f, 3.0f});
  EXPECT_THROW(train_glove_on_counts(numbered_vocab(3), ok, small_options()), UsageError);
  SparseMatrix negative(2, 2, {0, 1, 2}, {1, 0}, {-3.0f, 3.0f});
  EXPECT_THROW(train_glove_on_counts(numbered_vocab(2), negative, small_options()), FormatError);
  SparseMatrix nan(2, 2, {0, 1, 2}, {1, 0}, {std::nanf(""), 3.0f});
  EXPECT_THROW(train_glove_on_counts(numbered_vocab(2), nan, small_options()), FormatError);
  SparseMatrix with_zero(2, 2, {0, 1, 2}, {1, 0}, {0.0f, 3.0f});
  GloveOptions o = small_options();
  o.epochs = 1;
  EXPECT_EQ(train_glove_on_counts(numbered_vocab(2), with_zero, o).cooccurrence_nnz, 1u)
      << "explicit zeros are not fitted (log 0)";
  for (auto change : std::vector<void (*)(GloveOptions&)>{
           [](GloveOptions& b) { b.dim = 0; }, [](GloveOptions& b) { b.epochs = 0; },
           [](GloveOptions& b) { b.learning_rate = 0; }, [](GloveOptions& b) { b.x_max = -1; },
           [](GloveOptions& b) { b.alpha = std::nan(""); }, [](GloveOptions& b) { b.grad_clip = 0; }}) {
    GloveOptions bad = small_options();
    change(bad);
    EXPECT_THROW(train_glove_on_counts(numbered_vocab(2), ok, bad), UsageError);
  }
  // An empty matrix trains nothing and still returns vectors for every word.
  SparseMatrix empty(2, 2, {0, 0, 0}, {}, {});
  GloveResult r = train_glove_on_counts(numbered_vocab(2), empty, o);
  EXPECT_EQ(r.vectors.size(), 2u);
  EXPECT_EQ(r.cooccurrence_nnz, 0u);
}

}  // namespace
}  // namespace embkit
