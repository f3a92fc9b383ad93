// Training a classifier (embkit/classifier.h): Hogwild worker threads, each over its own slice of
// the examples in file order every epoch (as fastText's threads each read their part of the file),
// the learning rate decaying linearly with the tokens processed by all threads, and the calling
// thread reporting progress and logging the loss.
//
// Determinism: a thread's random draws (the target of a multi-label line, ns negatives) come from
// its own seeded generator, and with one thread the learning rate of an example depends only on the
// tokens before it, so `threads = 1` gives the same model for the same data, options and seed.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/atomic_file.h"
#include "core/random.h"
#include "core/threads.h"
#include "embkit/classifier.h"
#include "embkit/error.h"
#include "embkit/io.h"
#include "supervised/classifier_kernels.h"
#include "supervised/classifier_state.h"
#include "supervised/classifier_training.h"
#include "supervised/labelled_data.h"
#include "train/negative_sampler.h"

namespace embkit {
namespace supervised {
namespace {

using Clock = std::chrono::steady_clock;
using train::TrainRng;

constexpr uint64_t kTokenFlushInterval = 4096;

struct alignas(64) ThreadMeter {
  std::atomic<double> loss{0};
  std::atomic<uint64_t> examples{0};
  std::atomic<double> epoch_loss{0};
  std::atomic<uint64_t> epoch_examples{0};
};

struct LossRow {
  uint64_t tokens;
  uint32_t epoch;
  double fraction, learning_rate, loss;
};

class TrainingRun {
 public:
  TrainingRun(Classifier::State& state, const LabelledExamples& examples, const TrainSchedule& schedule)
      : s_(state), examples_(examples), schedule_(schedule) {
    const FastTextModel& m = s_.model;
    labels_ = static_cast<size_t>(m.nlabels);
    for (uint32_t i = 0; i < examples.size(); ++i) epoch_tokens_ += examples.tokens[i];
    total_tokens_ = epoch_tokens_ * schedule.epochs;
    if (s_.loss == ClassifierLoss::NegativeSampling) {
      std::vector<uint64_t> counts;
      for (size_t l = 0; l < labels_; ++l)
        counts.push_back(static_cast<uint64_t>(
            std::max<int64_t>(1, m.entries[static_cast<size_t>(m.nwords) + l].count)));
      sampler_ = train::NegativeSampler(counts, 0.5);
    }
  }

  ClassifierTrainStats run() {
    const size_t threads = std::max<size_t>(
        1, std::min<size_t>(static_cast<size_t>(resolve_threads(schedule_.threads)), examples_.size()));
    meters_ = std::vector<ThreadMeter>(threads);
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (size_t t = 0; t < threads; ++t) workers.emplace_back([this, t, threads] { work(t, threads); });
    monitor(start, threads);
    for (std::thread& w : workers) w.join();
    ClassifierTrainStats stats;
    stats.train_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const uint64_t done = tokens_done_.load();
    stats.tokens_per_second = stats.train_seconds > 0 ? static_cast<double>(done) / stats.train_seconds : 0;
    double loss = 0;
    uint64_t count = 0;
    for (const ThreadMeter& m : meters_) {
      loss += m.epoch_loss.load();
      count += m.epoch_examples.load();
    }
    stats.final_loss = count ? loss / static_cast<double>(count) : 0;
    stats.interrupted = interrupted_.load();
    if (!schedule_.loss_log_path.empty()) write_loss_log();
    return stats;
  }

 private:
  float learning_rate_at(uint64_t tokens) const {
    const double progress = total_tokens_ ? static_cast<double>(tokens) / static_cast<double>(total_tokens_) : 1.0;
    return static_cast<float>(schedule_.lr * std::max(0.0, 1.0 - progress));
  }

  void work(size_t t, size_t threads) {
    const ClassifierKernelTable& k = classifier_kernels();
    FastTextModel& m = s_.model;
    Matrix& input = m.input.dense;
    Matrix& output = m.output.dense;
    const size_t width = input.stride();
    float* in = input.mutable_data();
    float* out = output.mutable_data();
    TrainRng rng(train::stream_seed(schedule_.seed, t));
    std::vector<float> hidden(width), grad(width), scores(labels_);
    std::vector<float> targets(std::max<size_t>(labels_, schedule_.negative + 1));
    std::vector<uint32_t> rows(schedule_.negative + 1);
    const size_t begin = examples_.size() * t / threads;
    const size_t end = examples_.size() * (t + 1) / threads;
    uint64_t pending = 0;
    double loss = 0;
    uint64_t count = 0;
    ThreadMeter& meter = meters_[t];
    auto flush = [&] {
      tokens_done_.fetch_add(pending, std::memory_order_relaxed);
      pending = 0;
      meter.loss.store(loss, std::memory_order_relaxed);
      meter.examples.store(count, std::memory_order_relaxed);
    };
    for (uint32_t epoch = 0; epoch < schedule_.epochs; ++epoch) {
      const double loss_at_epoch = loss;
      const uint64_t count_at_epoch = count;
      for (size_t i = begin; i < end; ++i) {
        if (i + 1 < end) prefetch(in, width, examples_.features_of(i + 1));
        const auto features = examples_.features_of(i);
        const auto labels = examples_.labels_of(i);
        const float lr = learning_rate_at(tokens_done_.load(std::memory_order_relaxed) + pending);
        k.mean_rows(in, width, features.data(), features.size(), hidden.data());
        std::fill(grad.begin(), grad.end(), 0.0f);
        const uint32_t target =
            labels.size() == 1 ? labels[0] : labels[rng.below(static_cast<uint32_t>(labels.size()))];
        switch (s_.loss) {
          case ClassifierLoss::Softmax:
            loss += k.softmax_step(out, width, labels_, target, hidden.data(), grad.data(), lr, scores.data());
            break;
          case ClassifierLoss::NegativeSampling: {
            size_t n = 0;
            rows[n] = target;
            targets[n++] = 1.0f;
            if (labels_ > 1)
              for (uint32_t j = 0; j < schedule_.negative; ++j) {
                uint32_t negative;
                do negative = sampler_.sample(rng);
                while (negative == target);
                rows[n] = negative;
                targets[n++] = 0.0f;
              }
            loss += k.binary_steps(out, width, rows.data(), targets.data(), n, hidden.data(), grad.data(), lr);
            break;
          }
          case ClassifierLoss::HierarchicalSoftmax: {
            const auto path = s_.tree.path(target);
            const auto codes = s_.tree.codes(target);
            loss += k.binary_steps(out, width, path.data(), codes.data(), path.size(), hidden.data(),
                                   grad.data(), lr);
            break;
          }
          case ClassifierLoss::OneVsAll: {
            std::fill(targets.begin(), targets.begin() + static_cast<ptrdiff_t>(labels_), 0.0f);
            for (uint32_t l : labels) targets[l] = 1.0f;
            loss += k.binary_steps(out, width, nullptr, targets.data(), labels_, hidden.data(),
                                   grad.data(), lr);
            break;
          }
        }
        const float inverse = 1.0f / static_cast<float>(features.size());
        for (size_t j = 0; j < width; ++j) grad[j] *= inverse;
        k.add_to_rows(in, width, features.data(), features.size(), grad.data());
        ++count;
        pending += examples_.tokens[i];
        if (pending >= kTokenFlushInterval) {
          flush();
          if (schedule_.stop != nullptr && schedule_.stop->load(std::memory_order_relaxed)) {
            interrupted_.store(true);
            finish_thread();
            return;
          }
        }
      }
      flush();
      meter.epoch_loss.store(loss - loss_at_epoch);
      meter.epoch_examples.store(count - count_at_epoch);
    }
    finish_thread();
  }

  static void prefetch(const float* base, size_t width, std::span<const uint32_t> features) {
    for (uint32_t f : features) {
      const float* row = base + static_cast<size_t>(f) * width;
      for (size_t j = 0; j < width; j += 16) __builtin_prefetch(row + j, 1, 3);
    }
  }

  void finish_thread() {
    std::lock_guard lock(mutex_);
    ++finished_;
    wakeup_.notify_all();
  }

  void monitor(Clock::time_point start, size_t threads) {
    const auto tick = std::chrono::duration<double>(std::max(1e-3, schedule_.progress_interval_seconds));
    auto last_log = start;
    double last_loss = 0;
    uint64_t last_count = 0;
    std::unique_lock lock(mutex_);
    while (true) {
      const bool done = wakeup_.wait_for(lock, tick, [&] { return finished_ == threads; });
      const auto now = Clock::now();
      ClassifierProgress p = measure(start, threads, last_loss, last_count);
      if (done) p.fraction = interrupted_.load() ? p.fraction : 1.0;
      const bool log_due = done || std::chrono::duration<double>(now - last_log).count() >= 1.0;
      if (log_due && p.loss > 0) {
        last_log = now;
        loss_log_.push_back({tokens_done_.load(), p.epoch, p.fraction, p.learning_rate, p.loss});
      }
      if (schedule_.on_progress) {
        lock.unlock();
        schedule_.on_progress(p);
        lock.lock();
      }
      if (done) return;
    }
  }

  ClassifierProgress measure(Clock::time_point start, size_t threads, double& last_loss,
                             uint64_t& last_count) const {
    double loss = 0;
    uint64_t count = 0;
    for (const ThreadMeter& m : meters_) {
      loss += m.loss.load(std::memory_order_relaxed);
      count += m.examples.load(std::memory_order_relaxed);
    }
    ClassifierProgress p;
    const uint64_t tokens = tokens_done_.load(std::memory_order_relaxed);
    p.fraction = total_tokens_ ? std::min(1.0, static_cast<double>(tokens) / static_cast<double>(total_tokens_)) : 1.0;
    p.epoch = epoch_tokens_ ? static_cast<uint32_t>(std::min<uint64_t>(schedule_.epochs - 1, tokens / epoch_tokens_)) : 0;
    p.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (p.elapsed_seconds > 0) {
      const double rate = static_cast<double>(tokens) / p.elapsed_seconds;
      p.tokens_per_second_per_thread = rate / static_cast<double>(threads);
      p.eta_seconds = rate > 0 ? static_cast<double>(total_tokens_ - std::min(total_tokens_, tokens)) / rate : 0;
    }
    p.learning_rate = learning_rate_at(tokens);
    if (count > last_count) {
      p.loss = (loss - last_loss) / static_cast<double>(count - last_count);
      last_loss = loss;
      last_count = count;
    } else if (count > 0) {
      p.loss = loss / static_cast<double>(count);
    }
    return p;
  }

  void write_loss_log() const {
    std::string text = "words,epoch,fraction,lr,loss\n";
    for (const LossRow& row : loss_log_)
      text += fmt::format("{},{},{:.6f},{:.6g},{:.6f}\n", row.tokens, row.epoch, row.fraction,
                          row.learning_rate, row.loss);
    AtomicFile file(schedule_.loss_log_path);
    file.write(text);
    file.commit();
  }

  Classifier::State& s_;
  const LabelledExamples& examples_;
  const TrainSchedule& schedule_;
  size_t labels_ = 0;
  uint64_t epoch_tokens_ = 0, total_tokens_ = 0;
  train::NegativeSampler sampler_;
  std::vector<ThreadMeter> meters_;
  std::atomic<uint64_t> tokens_done_{0};
  std::atomic<bool> interrupted_{false};
  std::vector<LossRow> loss_log_;
  std::mutex mutex_;
  std::condition_variable wakeup_;
  size_t finished_ = 0;
};

void validate(const ClassifierOptions& o) {
  if (o.dim == 0 || o.dim > 100000) throw UsageError("dim must be 1..100000");
  if (o.epochs == 0) throw UsageError("epochs must be at least 1");
  if (!(o.lr > 0) || !std::isfinite(o.lr)) throw UsageError("lr must be positive");
  if (o.word_ngrams == 0) throw UsageError("word-ngrams must be at least 1");
  if (o.label_prefix.empty()) throw UsageError("the label prefix must not be empty");
  if (o.loss == ClassifierLoss::NegativeSampling && o.negative == 0)
    throw UsageError("ns needs at least one negative (--neg)");
  if (o.maxn > 0) validate_subword_settings(SubwordSettings{o.minn, o.maxn, o.bucket});
  if (o.word_ngrams > 1 && o.bucket == 0)
    throw UsageError("word n-grams need hash rows: --bucket must be at least 1");
}

}  // namespace

void initialise_rows(Matrix& rows, uint64_t seed, int threads) {
  const size_t blocks = (rows.rows() + kInitBlockRows - 1) / kInitBlockRows;
  const size_t workers = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(resolve_threads(threads)), blocks));
  const float scale = 2.0f / static_cast<float>(rows.cols());
  std::atomic<size_t> next{0};
  auto fill = [&] {
    for (size_t b = next++; b < blocks; b = next++) {
      TrainRng rng(train::stream_seed(seed, kInitStreamId - b));
      const size_t end = std::min(rows.rows(), (b + 1) * kInitBlockRows);
      for (size_t r = b * kInitBlockRows; r < end; ++r) {
        float* row = rows.mutable_row(r);
        for (size_t d = 0; d < rows.cols(); ++d) row[d] = (rng.uniform_float() - 0.5f) * scale;
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < workers; ++t) pool.emplace_back(fill);
  fill();
  for (std::thread& worker : pool) worker.join();
}

ClassifierTrainStats train_rows(Classifier::State& state, const LabelledExamples& examples,
                                const TrainSchedule& schedule) {
  TrainingRun run(state, examples, schedule);
  return run.run();
}

}  // namespace supervised

Classifier train_classifier(const std::string& path, const ClassifierOptions& options,
                            ClassifierTrainStats* stats) {
  supervised::validate(options);
  KeyedVectors pretrained;
  if (!options.pretrained_vectors.empty()) {
    pretrained = load(options.pretrained_vectors);
    if (pretrained.dim() != options.dim)
      throw UsageError(fmt::format("pretrained vectors {} have dimension {}, --dim is {}",
                                   options.pretrained_vectors, pretrained.dim(), options.dim));
  }
  supervised::TrainingData data = supervised::read_training_data(path, options);

  FastTextModel model;
  model.args.dim = static_cast<int32_t>(options.dim);
  model.args.ws = 5;
  model.args.epoch = static_cast<int32_t>(options.epochs);
  model.args.min_count = static_cast<int32_t>(std::min<uint64_t>(options.min_count, INT32_MAX));
  model.args.neg = static_cast<int32_t>(options.negative);
  model.args.word_ngrams = static_cast<int32_t>(data.features.word_ngrams);
  model.args.loss = supervised::fasttext_loss_of(options.loss);
  model.args.model = FastTextKind::Supervised;
  model.args.bucket = static_cast<int32_t>(data.features.bucket);
  model.args.minn = static_cast<int32_t>(options.minn);
  model.args.maxn = static_cast<int32_t>(options.maxn);
  model.args.lr_update_rate = 100;
  model.args.t = 1e-4;
  model.entries = std::move(data.entries);
  model.nwords = static_cast<int32_t>(data.nwords);
  model.nlabels = static_cast<int32_t>(data.nlabels);
  model.ntokens = static_cast<int64_t>(data.ntokens);
  model.prune_size = -1;
  const size_t input_rows = static_cast<size_t>(data.nwords) + data.features.bucket;
  model.input.dense = Matrix(input_rows, options.dim);
  model.output.dense = Matrix(data.nlabels, options.dim);
  const auto init_start = std::chrono::steady_clock::now();
  supervised::initialise_rows(model.input.dense, options.seed, options.threads);
  uint64_t pretrained_words = 0;
  if (!options.pretrained_vectors.empty()) {
    for (int32_t w = 0; w < model.nwords; ++w) {
      auto found = pretrained.vocab().find(model.entries[static_cast<size_t>(w)].word);
      if (!found) continue;
      const float* source = pretrained.vectors().row(*found);
      std::copy(source, source + options.dim, model.input.dense.mutable_row(static_cast<size_t>(w)));
      ++pretrained_words;
    }
  }
  Classifier classifier(std::move(model), options.label_prefix);
  const double init_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - init_start).count();

  supervised::TrainSchedule schedule;
  schedule.epochs = options.epochs;
  schedule.lr = options.lr;
  schedule.negative = options.negative;
  schedule.threads = options.threads;
  schedule.seed = options.seed;
  schedule.loss_log_path = options.loss_log_path;
  schedule.progress_interval_seconds = options.progress_interval_seconds;
  schedule.on_progress = options.on_progress;
  schedule.stop = options.stop;
  ClassifierTrainStats run = supervised::train_rows(classifier.state(), data.examples, schedule);
  if (stats != nullptr) {
    *stats = data.stats;
    stats->pretrained_words = pretrained_words;
    stats->init_seconds = init_seconds;
    stats->train_seconds = run.train_seconds;
    stats->tokens_per_second = run.tokens_per_second;
    stats->final_loss = run.final_loss;
    stats->interrupted = run.interrupted;
  }
  return classifier;
}

}  // namespace embkit
