#include "embkit/glove.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

#include "core/atomic_file.h"
#include "core/threads.h"
#include "count/glove_kernel.h"
#include "embkit/error.h"
#include "core/random.h"

namespace embkit {
namespace {

using Clock = std::chrono::steady_clock;
using count::GloveEntry;

constexpr size_t kShuffleBucket = 16384;  // entries per shuffle bucket (fits in L2)
constexpr size_t kTrainBlock = 16384;     // entries per unit of work

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs body(i) for i in [0, n) on `threads` threads taking indices in turn.
template <class Body>
void parallel_for(size_t n, int threads, Body body) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) body(i);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& th : pool) th.join();
}

void check_options(const GloveOptions& o) {
  if (o.dim == 0) throw UsageError("glove: dim must be positive");
  if (o.epochs == 0) throw UsageError("glove: epochs must be positive");
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate))
    throw UsageError(fmt::format("glove: learning rate must be positive (got {})", o.learning_rate));
  if (!(o.x_max > 0) || !std::isfinite(o.x_max))
    throw UsageError(fmt::format("glove: x_max must be positive (got {})", o.x_max));
  if (!(o.alpha >= 0) || !std::isfinite(o.alpha))
    throw UsageError(fmt::format("glove: alpha must be non-negative (got {})", o.alpha));
  if (!(o.grad_clip > 0)) throw UsageError("glove: grad_clip must be positive");
}

// The non-zero entries of `counts` with log X and f(X), in a uniformly random order: every entry goes
// to a random bucket, then each bucket is shuffled (Fisher-Yates) — the same distribution as one
// shuffle of the whole array, but with cache-sized random access and buckets shuffled in parallel.
std::vector<GloveEntry> shuffled_entries(const SparseMatrix& counts, const GloveOptions& options) {
  uint64_t nonzero = 0;
  for (size_t r = 0; r < counts.rows(); ++r) {
    auto values = counts.row_values(r);
    for (size_t k = 0; k < values.size(); ++k) {
      float x = values[k];
      if (!std::isfinite(x) || x < 0)
        throw FormatError("co-occurrence counts",
                          fmt::format("entry ({}, {}) is {}; counts must be finite and non-negative",
                                      r, counts.row_columns(r)[k], x));
      nonzero += x > 0;
    }
  }
  const size_t buckets = std::max<size_t>(1, std::min<uint64_t>(nonzero / kShuffleBucket, 1u << 20));
  const uint64_t bucket_seed = train::stream_seed(options.seed, 0x61f3);
  std::vector<uint64_t> starts(buckets + 1, 0);
  {
    train::TrainRng rng(bucket_seed);
    for (uint64_t i = 0; i < nonzero; ++i) ++starts[rng.below(static_cast<uint32_t>(buckets)) + 1];
    for (size_t b = 0; b < buckets; ++b) starts[b + 1] += starts[b];
  }
  std::vector<GloveEntry> entries(nonzero);
  {
    std::vector<uint64_t> fill(starts.begin(), starts.end() - 1);
    train::TrainRng rng(bucket_seed);
    const double inverse_x_max = 1.0 / options.x_max;
    for (size_t r = 0; r < counts.rows(); ++r) {
      auto columns = counts.row_columns(r);
      auto values = counts.row_values(r);
      for (size_t k = 0; k < values.size(); ++k) {
        const double x = values[k];
        if (x <= 0) continue;
        const double weight = x >= options.x_max ? 1.0 : std::pow(x * inverse_x_max, options.alpha);
        entries[fill[rng.below(static_cast<uint32_t>(buckets))]++] = {
            static_cast<uint32_t>(r), columns[k], static_cast<float>(std::log(x)),
            static_cast<float>(weight)};
      }
    }
  }
  parallel_for(buckets, resolve_threads(options.threads), [&](size_t b) {
    train::TrainRng rng(train::stream_seed(options.seed, 0x10000 + b));
    GloveEntry* first = entries.data() + starts[b];
    for (uint64_t n = starts[b + 1] - starts[b]; n > 1; --n)
      std::swap(first[n - 1], first[rng.below(static_cast<uint32_t>(n))]);
  });
  return entries;
}

struct FreeDeleter {
  void operator()(float* p) const { std::free(p); }
};
using Parameters = std::unique_ptr<float[], FreeDeleter>;

// vocab_size rows in the kernel's layout: small random vector and bias, AdaGrad sums at 1.
Parameters initial_parameters(size_t vocab_size, size_t dim, train::TrainRng& rng) {
  const size_t padded = count::glove_padded_dim(dim), stride = count::glove_row_stride(dim);
  const size_t bytes = (vocab_size * stride * sizeof(float) + 63) / 64 * 64;
  Parameters p(static_cast<float*>(std::aligned_alloc(64, std::max<size_t>(bytes, 64))));
  if (!p) throw std::bad_alloc();
  const float scale = 1.0f / static_cast<float>(dim);
  for (size_t r = 0; r < vocab_size; ++r) {
    float* row = p.get() + r * stride;
    std::fill(row, row + stride, 0.0f);
    for (size_t d = 0; d < dim; ++d) row[d] = (rng.uniform_float() - 0.5f) * scale;
    std::fill(row + padded, row + 2 * padded, 1.0f);
    row[2 * padded] = (rng.uniform_float() - 0.5f) * scale;
    row[2 * padded + 1] = 1.0f;
  }
  return p;
}

struct LossRow {
  uint64_t updates;
  size_t epoch;
  double fraction, loss;
};

class GloveRun {
 public:
  GloveRun(const std::vector<GloveEntry>& entries, size_t vocab_size, const GloveOptions& options)
      : entries_(entries), options_(options), threads_(resolve_threads(options.threads)) {
    train::TrainRng rng(train::stream_seed(options.seed, 0));
    words_ = initial_parameters(vocab_size, options.dim, rng);
    contexts_ = initial_parameters(vocab_size, options.dim, rng);
    blocks_ = std::max<size_t>(1, (entries.size() + kTrainBlock - 1) / kTrainBlock);
    // Every epoch visits the blocks in its own random order.
    order_.resize(options.epochs * blocks_);
    for (size_t e = 0; e < options.epochs; ++e) {
      uint32_t* order = order_.data() + e * blocks_;
      for (size_t b = 0; b < blocks_; ++b) order[b] = static_cast<uint32_t>(b);
      train::TrainRng epoch_rng(train::stream_seed(options.seed, 0x20000 + e));
      for (size_t n = blocks_; n > 1; --n)
        std::swap(order[n - 1], order[epoch_rng.below(static_cast<uint32_t>(n))]);
    }
    block_loss_.assign(order_.size(), 0.0);
    epoch_done_ = std::make_unique<std::atomic<size_t>[]>(options.epochs);
    epoch_entries_ = std::make_unique<std::atomic<uint64_t>[]>(options.epochs);
    epoch_sum_ = std::make_unique<std::atomic<double>[]>(options.epochs);
    for (size_t e = 0; e < options.epochs; ++e) epoch_done_[e] = 0, epoch_entries_[e] = 0, epoch_sum_[e] = 0;
  }

  void run(GloveResult& result) {
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads_; ++t) workers.emplace_back([this] { work(); });
    monitor(start);
    for (std::thread& w : workers) w.join();
    result.train_seconds = seconds_since(start);
    result.skipped_updates = skipped_.load();
    result.interrupted = stopped_.load();
    result.updates_per_second = result.train_seconds > 0 ? updates_done() / result.train_seconds : 0;
    for (size_t e = 0; e < options_.epochs && epoch_done_[e].load() == blocks_; ++e)
      result.epoch_losses.push_back(epoch_loss(e));
    result.final_loss = result.epoch_losses.empty() ? 0 : result.epoch_losses.back();
    if (!options_.loss_log_path.empty()) write_loss_log();
    extract(result);
  }

 private:
  void work() {
    count::GloveBlockStats stats;
    const float lr = static_cast<float>(options_.learning_rate);
    const float clip = static_cast<float>(options_.grad_clip);
    for (size_t g; (g = next_.fetch_add(1)) < order_.size();) {
      if (options_.stop != nullptr && options_.stop->load()) {
        stopped_ = true;
        break;
      }
      const size_t epoch = g / blocks_, block = order_[g];
      const size_t begin = block * kTrainBlock, end = std::min(entries_.size(), begin + kTrainBlock);
      stats = {};
      if (begin < end)
        count::glove_block(entries_.data() + begin, end - begin, words_.get(), contexts_.get(),
                           options_.dim, lr, clip, stats);
      block_loss_[g] = stats.loss;
      skipped_ += stats.skipped;
      epoch_sum_[epoch].fetch_add(stats.loss, std::memory_order_relaxed);
      epoch_entries_[epoch].fetch_add(end - begin, std::memory_order_release);
      epoch_done_[epoch].fetch_add(1, std::memory_order_release);
      blocks_done_.fetch_add(1, std::memory_order_release);
    }
    std::lock_guard lock(mutex_);
    ++finished_;
    wakeup_.notify_all();
  }

  uint64_t updates_done() const {
    uint64_t n = 0;
    for (size_t e = 0; e < options_.epochs; ++e) n += epoch_entries_[e].load(std::memory_order_relaxed);
    return n;
  }

  // Mean loss of a completed epoch, summed in block order (deterministic for one thread).
  double epoch_loss(size_t epoch) const {
    double sum = 0;
    for (size_t b = 0; b < blocks_; ++b) sum += block_loss_[epoch * blocks_ + b];
    return entries_.empty() ? 0 : sum / static_cast<double>(entries_.size());
  }

  // Running mean over the blocks finished so far in `epoch`.
  double running_loss(size_t epoch) const {
    const uint64_t n = epoch_entries_[epoch].load(std::memory_order_acquire);
    return n ? epoch_sum_[epoch].load(std::memory_order_relaxed) / static_cast<double>(n) : 0;
  }

  void monitor(Clock::time_point start) {
    const auto tick = std::chrono::duration<double>(
        std::clamp(options_.progress_interval_seconds, 0.01, 1.0));
    size_t epochs_logged = 0;
    auto last_log = start;
    std::unique_lock lock(mutex_);
    while (true) {
      const bool done = wakeup_.wait_for(lock, tick, [&] { return finished_ == threads_; });
      const size_t total = order_.size(), finished_blocks = blocks_done_.load();
      const size_t epoch = std::min(options_.epochs - 1, finished_blocks / blocks_);
      GloveProgress p;
      p.fraction = static_cast<double>(finished_blocks) / static_cast<double>(total);
      p.epoch = epoch;
      p.elapsed_seconds = seconds_since(start);
      p.updates_per_second = p.elapsed_seconds > 0 ? updates_done() / p.elapsed_seconds : 0;
      p.loss = running_loss(epoch);
      p.eta_seconds = p.fraction > 0 ? p.elapsed_seconds * (1 - p.fraction) / p.fraction : 0;
      while (epochs_logged < options_.epochs && epoch_done_[epochs_logged].load() == blocks_) {
        log_.push_back({(epochs_logged + 1) * entries_.size(), epochs_logged,
                        static_cast<double>(epochs_logged + 1) / options_.epochs,
                        epoch_loss(epochs_logged)});
        ++epochs_logged;
        last_log = Clock::now();
      }
      if (!done && seconds_since(last_log) >= 1.0 && p.loss > 0) {
        log_.push_back({updates_done(), epoch, p.fraction, p.loss});
        last_log = Clock::now();
      }
      if (options_.on_progress) {
        lock.unlock();
        options_.on_progress(p);
        lock.lock();
      }
      if (done) break;
    }
  }

  void write_loss_log() const {
    std::string text = "updates,epoch,fraction,loss\n";
    for (const LossRow& row : log_)
      text += fmt::format("{},{},{:.6f},{:.6f}\n", row.updates, row.epoch, row.fraction, row.loss);
    AtomicFile file(options_.loss_log_path);
    file.write(text);
    file.commit();
  }

  void extract(GloveResult& result) const {
    const size_t vocab_size = result.word_biases.size(), dim = options_.dim;
    const size_t padded = count::glove_padded_dim(dim), stride = count::glove_row_stride(dim);
    result.words = Matrix(vocab_size, dim);
    result.contexts = Matrix(vocab_size, dim);
    for (size_t r = 0; r < vocab_size; ++r) {
      const float* w = words_.get() + r * stride;
      const float* c = contexts_.get() + r * stride;
      std::copy(w, w + dim, result.words.mutable_row(r));
      std::copy(c, c + dim, result.contexts.mutable_row(r));
      result.word_biases[r] = w[2 * padded];
      result.context_biases[r] = c[2 * padded];
    }
  }

  const std::vector<GloveEntry>& entries_;
  const GloveOptions& options_;
  const int threads_;
  Parameters words_, contexts_;
  size_t blocks_ = 0;
  std::vector<uint32_t> order_;          // epochs x blocks: the block visited at each step
  std::vector<double> block_loss_;       // per step; read once its epoch_done_ count is complete
  std::unique_ptr<std::atomic<size_t>[]> epoch_done_;        // blocks finished per epoch
  std::unique_ptr<std::atomic<uint64_t>[]> epoch_entries_;  // entries visited per epoch
  std::unique_ptr<std::atomic<double>[]> epoch_sum_;        // their summed loss
  std::atomic<size_t> next_{0}, blocks_done_{0};
  std::atomic<uint64_t> skipped_{0};
  std::atomic<bool> stopped_{false};
  std::mutex mutex_;
  std::condition_variable wakeup_;
  int finished_ = 0;
  std::vector<LossRow> log_;
};

GloveResult fit(const Vocab& vocab, const std::vector<GloveEntry>& entries,
                const GloveOptions& options, GloveResult result) {
  result.word_biases.assign(vocab.size(), 0.0f);
  result.context_biases.assign(vocab.size(), 0.0f);
  GloveRun run(entries, vocab.size(), options);
  run.run(result);
  Matrix output(vocab.size(), options.dim);
  for (size_t r = 0; r < vocab.size(); ++r) {
    const float* w = result.words.row(r);
    const float* c = result.contexts.row(r);
    float* out = output.mutable_row(r);
    for (size_t d = 0; d < options.dim; ++d)
      out[d] = options.output == GloveOutput::Sum ? w[d] + c[d] : w[d];
  }
  result.vectors = KeyedVectors(vocab.head(vocab.size()), std::move(output));
  return result;
}

}  // namespace

GloveResult train_glove_on_counts(const Vocab& vocab, const SparseMatrix& counts,
                                  const GloveOptions& options) {
  check_options(options);
  if (counts.rows() != vocab.size() || counts.cols() != vocab.size())
    throw UsageError(fmt::format("glove: the co-occurrence matrix is {} x {} but the vocabulary has {} words",
                                 counts.rows(), counts.cols(), vocab.size()));
  GloveResult result;
  auto start = Clock::now();
  std::vector<GloveEntry> entries = shuffled_entries(counts, options);
  result.shuffle_seconds = seconds_since(start);
  result.cooccurrence_nnz = entries.size();
  return fit(vocab, entries, options, std::move(result));
}

GloveResult train_glove(const Vocab& vocab, const EncodedCorpus& corpus, const GloveOptions& options) {
  check_options(options);
  GloveResult result;
  std::vector<GloveEntry> entries;
  {
    auto start = Clock::now();
    CooccurrenceOptions counting = options.counting;
    counting.threads = options.threads;
    if (options.on_counting_progress && !counting.on_progress)
      counting.on_progress = options.on_counting_progress;
    SparseMatrix counts = count_cooccurrences(corpus, vocab.size(), counting, &result.counting);
    result.count_seconds = seconds_since(start);
    start = Clock::now();
    entries = shuffled_entries(counts, options);
    result.shuffle_seconds = seconds_since(start);
  }
  result.cooccurrence_nnz = entries.size();
  return fit(vocab, entries, options, std::move(result));
}

}  // namespace embkit
