// The word2vec driver: Hogwild worker threads over interleaved blocks of the encoded corpus, the
// linear learning-rate schedule, subsampling and windows, and a monitor (the calling thread) that
// reports progress, logs the loss, and pauses the workers between sentences to write checkpoints.
//
// Determinism: each thread has its own seeded generator and slice, and the learning rate of a
// sentence depends only on the number of words processed before it; with one thread the run is a
// pure function of its inputs, and a checkpoint (written between sentences) holds everything that
// run depends on, so an interrupted and resumed run ends bit-identical to an uninterrupted one.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/atomic_file.h"
#include "core/threads.h"
#include "embkit/data_error.h"
#include "embkit/error.h"
#include "embkit/word2vec.h"
#include "embkit/kernels.h"
#include "train/checkpoint.h"
#include "train/huffman_tree.h"
#include "train/negative_sampler.h"
#include "core/random.h"
#include "train/subsampling.h"
#include "train/update_kernels.h"

namespace embkit {
namespace {

using train::CheckpointSettings;
using train::CheckpointState;
using train::LossLogRow;
using train::ThreadCursor;
using train::TrainRng;
using Clock = std::chrono::steady_clock;

constexpr double kMinLearningRateFraction = 1e-4;
constexpr uint64_t kWordFlushInterval = 10000;
constexpr size_t kBlocksPerThread = 64;
// The generator stream used to initialise the vectors (threads use streams 0..threads-1).
constexpr uint64_t kInitStream = ~uint64_t{0};

CheckpointSettings settings_of(const Word2VecOptions& options, double learning_rate) {
  CheckpointSettings s;
  s.architecture = static_cast<uint32_t>(options.architecture);
  s.minibatch = options.minibatch ? 1 : 0;
  s.loss = static_cast<uint32_t>(options.loss);
  if (options.subwords.enabled()) {
    s.minn = options.subwords.minn;
    s.maxn = options.subwords.maxn;
    s.bucket = options.subwords.bucket;
  }
  s.dim = options.dim;
  s.window = options.window;
  s.negative = options.negative;
  s.epochs = options.epochs;
  s.sample = options.sample;
  s.learning_rate = learning_rate;
  s.seed = options.seed;
  return s;
}

void validate(const Vocab& vocab, const EncodedCorpus& corpus, const Word2VecOptions& options) {
  if (options.dim == 0) throw UsageError("dim must be at least 1");
  if (options.window == 0) throw UsageError("window must be at least 1");
  if (options.epochs == 0) throw UsageError("epochs must be at least 1");
  if (options.sample < 0) throw UsageError("sample must not be negative");
  if (options.learning_rate < 0) throw UsageError("learning rate must not be negative");
  if (options.subwords.maxn > 0) validate_subword_settings(options.subwords);
  if (vocab.empty()) throw DataError("cannot train on an empty vocabulary");
  if (!vocab.has_counts()) throw UsageError("training needs a vocabulary with word counts");
  if (!corpus.sentence_ends.empty() && corpus.sentence_ends.back() != corpus.ids.size())
    throw UsageError("encoded corpus: the last sentence does not end at the last id");
  for (size_t s = 1; s < corpus.sentence_ends.size(); ++s)
    if (corpus.sentence_ends[s] < corpus.sentence_ends[s - 1])
      throw UsageError("encoded corpus: sentence ends must not decrease");
  for (uint32_t id : corpus.ids)
    if (id >= vocab.size()) throw UsageError(fmt::format("encoded corpus: word id {} out of range", id));
}

// Per-thread figures the monitor reads while the thread runs (owner writes, monitor reads).
struct alignas(64) ThreadMeter {
  std::atomic<double> loss{0};
  std::atomic<uint64_t> pairs{0};
  std::atomic<uint64_t> skipped{0};
};

class Word2VecRun {
 public:
  Word2VecRun(const Vocab& vocab, const EncodedCorpus& corpus, const Word2VecOptions& options)
      : vocab_(vocab), corpus_(corpus), options_(options) {
    learning_rate_ = options.learning_rate > 0 ? options.learning_rate
                                               : default_learning_rate(options.architecture);
    std::vector<uint64_t> counts(vocab.counts_data(), vocab.counts_data() + vocab.size());
    if (options.loss == Word2VecLoss::HierarchicalSoftmax) tree_ = train::HuffmanTree(counts);
    else sampler_ = train::NegativeSampler(counts, 0.75);
    general_ = options.subwords.enabled() || options.loss != Word2VecLoss::NegativeSampling;
    subsampler_ = train::Subsampler(counts, options.sample);
    total_words_ = corpus.ids.size() * options.epochs;
    state_.settings = settings_of(options, learning_rate_);
    state_.vocab_size = vocab.size();
    state_.vocab_hash = train::vocabulary_hash(vocab);
    state_.corpus_tokens = corpus.ids.size();
    state_.corpus_sentences = corpus.sentences();
  }

  void start_fresh(const KeyedVectors* init) {
    int threads = resolve_threads(options_.threads);
    input_ = Matrix(vocab_.size(), options_.dim);
    output_ = Matrix(output_rows(), options_.dim);
    if (options_.subwords.enabled()) ngrams_ = Matrix(options_.subwords.bucket, options_.dim);
    TrainRng rng(train::stream_seed(options_.seed, kInitStream));
    const float scale = 1.0f / static_cast<float>(options_.dim);
    for (Matrix* m : {&input_, &ngrams_})
      for (size_t r = 0; r < m->rows(); ++r) {
        float* row = m->mutable_row(r);
        for (size_t d = 0; d < options_.dim; ++d) row[d] = (rng.uniform_float() - 0.5f) * scale;
      }
    if (init != nullptr) copy_known_words(*init);
    build_subword_rows();
    state_.cursors.resize(static_cast<size_t>(threads));
    make_blocks();
    for (size_t t = 0; t < state_.cursors.size(); ++t)
      state_.cursors[t].rng_state = train::stream_seed(options_.seed, t);
  }

  void start_from(const std::string& path) {
    Matrix input, output, ngrams;
    CheckpointState saved = train::read_checkpoint(path, input, output, ngrams);
    const CheckpointSettings& want = state_.settings;
    const CheckpointSettings& got = saved.settings;
    auto mismatch = [&](std::string_view what, auto a, auto b) {
      throw FormatError(path, fmt::format("checkpoint was written with {} {}, this run has {}", what,
                                          a, b));
    };
    if (got.architecture != want.architecture)
      mismatch("architecture", got.architecture == 0 ? "skip-gram" : "cbow",
               want.architecture == 0 ? "skip-gram" : "cbow");
    if (got.minibatch != want.minibatch) mismatch("minibatch", got.minibatch, want.minibatch);
    if (got.loss != want.loss) mismatch("loss", loss_name(got.loss), loss_name(want.loss));
    if (got.minn != want.minn || got.maxn != want.maxn || got.bucket != want.bucket)
      throw FormatError(path, fmt::format("checkpoint was written with subwords minn {} maxn {} "
                                          "bucket {}, this run has minn {} maxn {} bucket {}",
                                          got.minn, got.maxn, got.bucket, want.minn, want.maxn,
                                          want.bucket));
    if (got.dim != want.dim) mismatch("dim", got.dim, want.dim);
    if (got.window != want.window) mismatch("window", got.window, want.window);
    if (got.negative != want.negative) mismatch("negative", got.negative, want.negative);
    if (got.epochs != want.epochs) mismatch("epochs", got.epochs, want.epochs);
    if (got.sample != want.sample) mismatch("sample", got.sample, want.sample);
    if (got.learning_rate != want.learning_rate)
      mismatch("learning rate", got.learning_rate, want.learning_rate);
    if (saved.vocab_size != state_.vocab_size || saved.vocab_hash != state_.vocab_hash)
      throw FormatError(path, "checkpoint was written for a different vocabulary");
    if (saved.corpus_tokens != state_.corpus_tokens ||
        saved.corpus_sentences != state_.corpus_sentences)
      throw FormatError(path, "checkpoint was written for a different corpus");
    state_.settings.seed = got.seed;
    state_.cursors = std::move(saved.cursors);
    state_.words_processed = saved.words_processed;
    state_.skipped = saved.skipped;
    words_done_.store(saved.words_processed);
    if (output.rows() != output_rows())
      throw FormatError(path, "checkpoint output matrix does not match its loss and vocabulary");
    input_ = std::move(input);
    output_ = std::move(output);
    ngrams_ = std::move(ngrams);
    build_subword_rows();
    state_.next_block = saved.next_block;
    loss_log_ = std::move(saved.loss_log);
    make_blocks();
    next_block_.store(saved.next_block);
    if (saved.next_block > total_blocks())
      throw FormatError(path, "checkpoint position is outside the corpus");
    for (const ThreadCursor& c : state_.cursors)
      if (c.epoch > options_.epochs ||
          (c.sentence != train::kNoSentence && c.sentence >= corpus_.sentence_ends.size()))
        throw FormatError(path, "checkpoint position is outside the corpus");
  }

  TrainResult run() {
    const size_t threads = state_.cursors.size();
    meters_ = std::vector<ThreadMeter>(threads);
    const uint64_t words_at_start = words_done_.load();
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    workers.reserve(threads);
    for (size_t t = 0; t < threads; ++t) workers.emplace_back([this, t] { work(t); });
    bool interrupted = monitor(start, words_at_start);
    for (std::thread& w : workers) w.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!options_.loss_log_path.empty()) write_loss_log();

    TrainResult result;
    result.interrupted = interrupted;
    result.seconds = seconds;
    const double done_fraction =
        total_words_ ? static_cast<double>(words_done_.load() - words_at_start) / total_words_ : 0;
    result.words_per_second =
        seconds > 0 ? done_fraction * corpus_.raw_tokens * options_.epochs / seconds : 0;
    double loss = 0;
    uint64_t pairs = 0;
    for (const ThreadCursor& c : state_.cursors) {
      loss += c.epoch_loss;
      pairs += c.epoch_pairs;
    }
    result.final_loss = pairs ? loss / pairs : 0;
    result.skipped_updates = state_.skipped;
    for (const ThreadMeter& m : meters_) result.skipped_updates += m.skipped.load();
    if (options_.subwords.enabled()) {
      result.vectors = KeyedVectors(copy_vocabulary(), composed_vectors());
      auto table = std::make_shared<SubwordTable>();
      table->settings = options_.subwords;
      table->rows = std::move(ngrams_);
      result.vectors.set_subwords(std::move(table));
    } else {
      result.vectors = KeyedVectors(copy_vocabulary(), std::move(input_));
    }
    result.contexts = std::move(output_);
    return result;
  }

 private:
  static const char* loss_name(uint32_t loss) {
    switch (static_cast<Word2VecLoss>(loss)) {
      case Word2VecLoss::NegativeSampling: return "ns";
      case Word2VecLoss::HierarchicalSoftmax: return "hs";
      case Word2VecLoss::Softmax: return "softmax";
    }
    return "unknown";
  }

  size_t output_rows() const {
    return options_.loss == Word2VecLoss::HierarchicalSoftmax ? tree_.inner_nodes() : vocab_.size();
  }

  // Each word's input rows: its own row, then its n-gram rows (fastText's getSubwords order).
  void build_subword_rows() {
    if (!options_.subwords.enabled()) return;
    sub_offsets_.assign(vocab_.size() + 1, 0);
    sub_rows_.clear();
    std::vector<uint32_t> ids;
    for (size_t w = 0; w < vocab_.size(); ++w) {
      ids.clear();
      append_subword_ids(vocab_.word(w), options_.subwords, 0, ids);
      sub_rows_.push_back(input_.mutable_row(w));
      for (uint32_t id : ids) sub_rows_.push_back(ngrams_.mutable_row(id));
      sub_offsets_[w + 1] = sub_rows_.size();
    }
  }

  // fastText's word vectors: the mean of each word's input rows.
  Matrix composed_vectors() const {
    Matrix out(vocab_.size(), options_.dim);
    const size_t width = input_.stride();
#pragma omp parallel for schedule(static)
    for (size_t w = 0; w < vocab_.size(); ++w) {
      float* row = out.mutable_row(w);
      const uint64_t b = sub_offsets_[w], e = sub_offsets_[w + 1];
      for (uint64_t k = b; k < e; ++k) kernels::axpy(1.0f, sub_rows_[k], row, width);
      const float scale = 1.0f / static_cast<float>(e - b);
      for (size_t d = 0; d < options_.dim; ++d) row[d] *= scale;
    }
    return out;
  }

  void copy_known_words(const KeyedVectors& init) {
    if (init.dim() != options_.dim)
      throw UsageError(fmt::format("initial vectors have dimension {}, training uses {}", init.dim(),
                                   options_.dim));
    for (size_t r = 0; r < vocab_.size(); ++r) {
      auto found = init.vocab().find(vocab_.word(r));
      if (!found) continue;
      const float* source = init.vectors().row(*found);
      std::copy(source, source + options_.dim, input_.mutable_row(r));
    }
  }

  // An owned copy with counts. Built word by word so its word index is complete (Vocab::head
  // reserves first, which builds an empty index that the copied words never enter).
  Vocab copy_vocabulary() const {
    Vocab copy;
    copy.reserve(vocab_.size(), vocab_.total_bytes());
    for (size_t i = 0; i < vocab_.size(); ++i) copy.add(vocab_.word(i), vocab_.count(i));
    return copy;
  }

  // The corpus is cut into kBlocksPerThread x threads blocks of about equal token counts; a thread
  // that runs out of work claims the next block (over all epochs, in order), so threads on a busy
  // core do less of the work and all of them finish together.
  void make_blocks() {
    const size_t threads = state_.cursors.size();
    const auto& ends = corpus_.sentence_ends;
    const size_t count = threads * kBlocksPerThread;
    blocks_.clear();
    uint64_t previous = 0;
    for (size_t b = 1; b <= count; ++b) {
      uint64_t boundary = ends.size();
      if (b < count) {
        const uint64_t target = corpus_.ids.size() * b / count;
        boundary = static_cast<uint64_t>(std::upper_bound(ends.begin(), ends.end(), target) - ends.begin());
        boundary = std::max(boundary, previous);
      }
      if (boundary > previous) blocks_.push_back({previous, boundary});
      previous = boundary;
    }
  }

  uint64_t total_blocks() const { return blocks_.size() * options_.epochs; }

  // End of the block that holds sentence s.
  uint64_t block_end(uint64_t s) const {
    auto it = std::upper_bound(blocks_.begin(), blocks_.end(), s,
                               [](uint64_t v, const auto& block) { return v < block.second; });
    return it == blocks_.end() ? s : it->second;
  }

  uint64_t sentence_begin(uint64_t s) const { return s == 0 ? 0 : corpus_.sentence_ends[s - 1]; }

  float learning_rate_at(uint64_t words) const {
    double remaining = 1.0 - static_cast<double>(words) / static_cast<double>(total_words_ + 1);
    return static_cast<float>(learning_rate_ * std::max(kMinLearningRateFraction, remaining));
  }

  // --- worker side -------------------------------------------------------------------------------

  struct WorkerContext {
    TrainRng rng;
    std::vector<uint32_t> kept;
    std::vector<float*> inputs;
    std::vector<float*> outputs;
    std::vector<float*> next_outputs;
    std::vector<float> scratch;
    std::vector<float> labels;
    std::vector<float> softmax;  // softmax loss: one score per word, then two rows
    std::vector<uint32_t> targets, all_targets;
    train::UpdateStats stats;
  };

  void work(size_t t) {
    ThreadCursor cursor = state_.cursors[t];
    uint64_t end_of_block = cursor.sentence == train::kNoSentence ? 0 : block_end(cursor.sentence);
    WorkerContext context{TrainRng(cursor.rng_state), {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
    const size_t width = input_.stride();
    context.inputs.reserve(2 * options_.window);
    context.outputs.reserve(options_.negative + 1);
    context.next_outputs.reserve(options_.negative + 1);
    size_t per_target = options_.loss == Word2VecLoss::HierarchicalSoftmax ? tree_.max_depth()
                                                                           : options_.negative + 1;
    const size_t max_outputs = per_target * (options_.subwords.enabled() ? 2 * options_.window : 1);
    context.scratch.assign(train::update_scratch_floats(2 * options_.window, max_outputs, width),
                           0.0f);
    if (options_.loss == Word2VecLoss::Softmax)
      context.softmax.assign(output_.rows() + 2 * width, 0.0f);
    uint64_t pending_words = 0;
    double reported_loss = 0;
    uint64_t reported_pairs = 0;
    auto flush = [&] {
      words_done_.fetch_add(pending_words, std::memory_order_relaxed);
      pending_words = 0;
      cursor.epoch_loss += context.stats.loss - reported_loss;
      cursor.epoch_pairs += context.stats.pairs - reported_pairs;
      reported_loss = context.stats.loss;
      reported_pairs = context.stats.pairs;
      meters_[t].loss.store(context.stats.loss, std::memory_order_relaxed);
      meters_[t].pairs.store(context.stats.pairs, std::memory_order_relaxed);
      meters_[t].skipped.store(context.stats.skipped, std::memory_order_relaxed);
    };
    while (true) {
      if (cursor.sentence == train::kNoSentence && cursor.epoch < options_.epochs) {
        const uint64_t claimed = next_block_.fetch_add(1, std::memory_order_relaxed);
        const uint64_t epoch = claimed < total_blocks() ? claimed / blocks_.size() : options_.epochs;
        if (epoch != cursor.epoch) {
          flush();
          // The loss reported at the end is that of the last epoch; a thread that got no block of
          // it contributes nothing.
          if (epoch < options_.epochs || cursor.epoch + 1 < options_.epochs) {
            cursor.epoch_loss = 0;
            cursor.epoch_pairs = 0;
          }
          cursor.epoch = epoch;
        }
        if (epoch < options_.epochs) {
          const auto& block = blocks_[claimed % blocks_.size()];
          cursor.sentence = block.first;
          end_of_block = block.second;
        }
      }
      const bool finished = cursor.epoch >= options_.epochs;
      if (finished || pause_requested_.load(std::memory_order_relaxed) ||
          (options_.stop != nullptr && options_.stop->load(std::memory_order_relaxed))) {
        flush();
        cursor.rng_state = context.rng.state();
        if (finished) {
          std::lock_guard lock(mutex_);
          state_.cursors[t] = cursor;
          ++finished_;
          monitor_wakeup_.notify_all();
          return;
        }
        if (!wait_while_paused(t, cursor)) return;
        continue;
      }
      const uint64_t begin = sentence_begin(cursor.sentence);
      const uint64_t end = corpus_.sentence_ends[cursor.sentence];
      const float rate = learning_rate_at(words_done_.load(std::memory_order_relaxed) + pending_words);
      train_sentence(begin, end, rate, context);
      pending_words += end - begin;
      if (++cursor.sentence == end_of_block) cursor.sentence = train::kNoSentence;
      if (pending_words >= kWordFlushInterval) flush();
    }
  }

  // Parks the worker until the monitor lets it go on; false when the run is being abandoned.
  bool wait_while_paused(size_t t, const ThreadCursor& cursor) {
    std::unique_lock lock(mutex_);
    state_.cursors[t] = cursor;
    if (options_.stop != nullptr && options_.stop->load()) stop_seen_ = true;
    ++paused_;
    monitor_wakeup_.notify_all();
    workers_wakeup_.wait(lock, [&] { return abandon_ || (!pause_active_ && !stop_seen_); });
    --paused_;
    return !abandon_;
  }

  void train_sentence(uint64_t begin, uint64_t end, float rate, WorkerContext& context) {
    std::vector<uint32_t>& kept = context.kept;
    kept.clear();
    for (uint64_t i = begin; i < end; ++i) {
      uint32_t word = corpus_.ids[i];
      if (subsampler_.keep(word, context.rng)) kept.push_back(word);
    }
    const size_t n = kept.size();
    if (n == 0) return;
    if (general_) {
      train_sentence_general(rate, context);
      return;
    }
    const size_t window = options_.window;
    const size_t width = input_.stride();
    float* scratch = context.scratch.data();
    const bool cbow = options_.architecture == Word2VecArchitecture::Cbow;
    const bool shared_outputs = cbow || options_.minibatch;
    // The rows a step touches are scattered over the matrices, so the next target's output rows
    // (drawn one step ahead) and the word entering the window are prefetched while this step runs.
    if (shared_outputs) draw_outputs(kept[0], context.rng, context.next_outputs);
    for (size_t i = 0; i < n; ++i) {
      const size_t reach = window - context.rng.below(static_cast<uint32_t>(window));
      const size_t lo = i >= reach ? i - reach : 0;
      const size_t hi = std::min(n - 1, i + reach);
      const uint32_t centre = kept[i];
      if (shared_outputs) {
        std::swap(context.outputs, context.next_outputs);
        if (i + 1 < n) {
          draw_outputs(kept[i + 1], context.rng, context.next_outputs);
          for (float* row : context.next_outputs) prefetch_row(row, width);
          if (i + 1 + window < n) prefetch_row(input_.row(kept[i + 1 + window]), width);
        }
        context.inputs.clear();
        for (size_t j = lo; j <= hi; ++j)
          if (j != i) context.inputs.push_back(input_.mutable_row(kept[j]));
        if (context.inputs.empty()) continue;
        if (cbow) {
          train::cbow_update(context.inputs.data(), context.inputs.size(), context.outputs.data(),
                             context.outputs.size(), width, rate, !options_.minibatch, scratch,
                             context.stats);
        } else {
          train::skipgram_minibatch_update(context.inputs.data(), context.inputs.size(),
                                           context.outputs.data(), context.outputs.size(), width,
                                           rate, scratch, context.stats);
        }
      } else {
        for (size_t j = lo; j <= hi; ++j) {
          if (j == i) continue;
          draw_outputs(centre, context.rng, context.outputs);
          train::skipgram_pair_update(input_.mutable_row(kept[j]), context.outputs.data(),
                                      context.outputs.size(), width, rate, scratch, context.stats);
        }
      }
    }
  }

  // Appends the input rows of word w: its row, or its own and its n-gram rows with subwords.
  void append_inputs(uint32_t w, std::vector<float*>& inputs) {
    if (!options_.subwords.enabled()) {
      inputs.push_back(input_.mutable_row(w));
      return;
    }
    inputs.insert(inputs.end(), sub_rows_.begin() + static_cast<std::ptrdiff_t>(sub_offsets_[w]),
                  sub_rows_.begin() + static_cast<std::ptrdiff_t>(sub_offsets_[w + 1]));
  }

  // Appends the output rows and labels that score `target`: the target and its negatives (ns), or
  // the inner nodes of its Huffman path (hs).
  void append_targets(uint32_t target, TrainRng& rng, std::vector<float*>& outputs,
                      std::vector<float>& labels) {
    if (options_.loss == Word2VecLoss::HierarchicalSoftmax) {
      for (uint32_t node : tree_.path(target)) outputs.push_back(output_.mutable_row(node));
      auto l = tree_.labels(target);
      labels.insert(labels.end(), l.begin(), l.end());
      return;
    }
    outputs.push_back(output_.mutable_row(target));
    labels.push_back(1.0f);
    for (size_t k = 0; k < options_.negative; ++k) {
      uint32_t negative = sampler_.sample(rng);
      if (negative == target) continue;
      outputs.push_back(output_.mutable_row(negative));
      labels.push_back(0.0f);
    }
  }

  // Subwords, hierarchical softmax or the full softmax: one step per centre word. Skip-gram with
  // subwords scores the centre's rows (its mean) against all context words of the window at once
  // (minibatch) or one after another (classic, fastText's order); without subwords every context
  // row is scored against the centre's outputs. CBOW scores the mean of all the window's input rows.
  void train_sentence_general(float rate, WorkerContext& c) {
    const std::vector<uint32_t>& kept = c.kept;
    const size_t n = kept.size();
    const size_t window = options_.window;
    const size_t width = input_.stride();
    const bool cbow = options_.architecture == Word2VecArchitecture::Cbow;
    const bool softmax = options_.loss == Word2VecLoss::Softmax;
    const bool subwords = options_.subwords.enabled();
    float* scratch = c.scratch.data();
    std::vector<uint32_t>& targets = c.targets;
    for (size_t i = 0; i < n; ++i) {
      const size_t reach = window - c.rng.below(static_cast<uint32_t>(window));
      const size_t lo = i >= reach ? i - reach : 0;
      const size_t hi = std::min(n - 1, i + reach);
      if (lo == hi) continue;
      const uint32_t centre = kept[i];
      if (cbow) {
        c.inputs.clear();
        for (size_t j = lo; j <= hi; ++j)
          if (j != i) append_inputs(kept[j], c.inputs);
        if (softmax) {
          targets.assign(1, centre);
          softmax_step(c.inputs, targets, rate, c);
          continue;
        }
        c.outputs.clear();
        c.labels.clear();
        append_targets(centre, c.rng, c.outputs, c.labels);
        train::cbow_update(c.inputs.data(), c.inputs.size(), c.outputs.data(), c.outputs.size(),
                           width, rate, !options_.minibatch, scratch, c.stats, c.labels.data());
        continue;
      }
      if (subwords) {
        c.inputs.clear();
        append_inputs(centre, c.inputs);
        if (softmax) {
          targets.clear();
          for (size_t j = lo; j <= hi; ++j)
            if (j != i) targets.push_back(kept[j]);
          if (options_.minibatch) {
            softmax_step(c.inputs, targets, rate, c);
          } else {
            c.all_targets = targets;
            for (uint32_t t : c.all_targets) {
              targets.assign(1, t);
              softmax_step(c.inputs, targets, rate, c);
            }
          }
          continue;
        }
        if (options_.minibatch) {
          c.outputs.clear();
          c.labels.clear();
          for (size_t j = lo; j <= hi; ++j)
            if (j != i) append_targets(kept[j], c.rng, c.outputs, c.labels);
          train::cbow_update(c.inputs.data(), c.inputs.size(), c.outputs.data(), c.outputs.size(),
                             width, rate, false, scratch, c.stats, c.labels.data());
        } else {
          for (size_t j = lo; j <= hi; ++j) {
            if (j == i) continue;
            c.outputs.clear();
            c.labels.clear();
            append_targets(kept[j], c.rng, c.outputs, c.labels);
            train::cbow_update(c.inputs.data(), c.inputs.size(), c.outputs.data(),
                               c.outputs.size(), width, rate, true, scratch, c.stats,
                               c.labels.data());
          }
        }
        continue;
      }
      // Skip-gram without subwords (hs or softmax): context rows against the centre's outputs.
      if (softmax) {
        targets.assign(1, centre);
        for (size_t j = lo; j <= hi; ++j) {
          if (j == i) continue;
          c.inputs.assign(1, input_.mutable_row(kept[j]));
          softmax_step(c.inputs, targets, rate, c);
        }
        continue;
      }
      c.outputs.clear();
      c.labels.clear();
      append_targets(centre, c.rng, c.outputs, c.labels);
      if (options_.minibatch) {
        c.inputs.clear();
        for (size_t j = lo; j <= hi; ++j)
          if (j != i) c.inputs.push_back(input_.mutable_row(kept[j]));
        train::skipgram_minibatch_update(c.inputs.data(), c.inputs.size(), c.outputs.data(),
                                         c.outputs.size(), width, rate, scratch, c.stats,
                                         c.labels.data());
      } else {
        for (size_t j = lo; j <= hi; ++j) {
          if (j == i) continue;
          train::skipgram_pair_update(input_.mutable_row(kept[j]), c.outputs.data(),
                                      c.outputs.size(), width, rate, scratch, c.stats,
                                      c.labels.data());
        }
      }
    }
  }

  // One full-softmax step: h = mean of the input rows, p = softmax(U h) over every word; the loss is
  // -sum_t log p_t over the targets, each output row moves by lr (count_k - T p_k) h and each input
  // row by the sum of those coefficients times the output rows. Skipped when a score is not finite.
  void softmax_step(const std::vector<float*>& inputs, const std::vector<uint32_t>& targets,
                    float rate, WorkerContext& c) {
    if (inputs.empty() || targets.empty()) return;
    const size_t width = input_.stride();
    const size_t words = output_.rows();
    float* scores = c.softmax.data();
    float* hidden = scores + words;
    float* hidden_delta = hidden + width;
    std::fill(hidden, hidden + width, 0.0f);
    for (float* row : inputs) kernels::axpy(1.0f, row, hidden, width);
    const float inverse = 1.0f / static_cast<float>(inputs.size());
    for (size_t d = 0; d < width; ++d) hidden[d] *= inverse;
    float top = -std::numeric_limits<float>::infinity();
    for (size_t k = 0; k < words; ++k) {
      scores[k] = kernels::dot(hidden, output_.row(k), width);
      if (!std::isfinite(scores[k])) {
        ++c.stats.skipped;
        return;
      }
      top = std::max(top, scores[k]);
    }
    double total = 0;
    for (size_t k = 0; k < words; ++k) {
      scores[k] = std::exp(scores[k] - top);
      total += scores[k];
    }
    const float inverse_total = static_cast<float>(1.0 / total);
    double loss = 0;
    for (uint32_t t : targets) loss -= std::log(std::max(1e-30, scores[t] * (1.0 / total)));
    const float count = static_cast<float>(targets.size());
    for (size_t k = 0; k < words; ++k) scores[k] = -rate * count * scores[k] * inverse_total;
    for (uint32_t t : targets) scores[t] += rate;
    std::fill(hidden_delta, hidden_delta + width, 0.0f);
    for (size_t k = 0; k < words; ++k) {
      float* row = output_.mutable_row(k);
      kernels::axpy(scores[k], row, hidden_delta, width);
      kernels::axpy(scores[k], hidden, row, width);
    }
    for (size_t d = 0; d < width; ++d)
      if (!std::isfinite(hidden_delta[d])) {
        ++c.stats.skipped;
        return;
      }
    for (float* row : inputs) kernels::axpy(1.0f, hidden_delta, row, width);
    c.stats.loss += loss;
    c.stats.pairs += targets.size();
  }

  static void prefetch_row(const float* row, size_t width) {
    for (size_t f = 0; f < width; f += 16) __builtin_prefetch(row + f, 1, 3);
  }

  // outputs = the target's output row, then one row per negative drawn (a draw equal to the target
  // is dropped, as word2vec does).
  void draw_outputs(uint32_t target, TrainRng& rng, std::vector<float*>& outputs) {
    outputs.clear();
    outputs.push_back(output_.mutable_row(target));
    for (size_t k = 0; k < options_.negative; ++k) {
      uint32_t negative = sampler_.sample(rng);
      if (negative != target) outputs.push_back(output_.mutable_row(negative));
    }
  }

  // --- monitor side ------------------------------------------------------------------------------

  // Runs on the calling thread until the workers finish; returns true when stopped by `stop`.
  bool monitor(Clock::time_point start, uint64_t words_at_start) {
    const size_t threads = state_.cursors.size();
    const double interval = std::max(1e-3, options_.progress_interval_seconds);
    double tick_seconds = std::min(interval, 0.05);
    if (options_.checkpoint_every_seconds > 0)
      tick_seconds = std::min(tick_seconds, std::max(1e-3, options_.checkpoint_every_seconds));
    const auto tick = std::chrono::duration<double>(tick_seconds);
    auto last_progress = start, last_checkpoint = start, last_log = start;
    double last_loss = 0;
    uint64_t last_pairs = 0;
    bool report_now = true;
    std::unique_lock lock(mutex_);
    while (true) {
      monitor_wakeup_.wait_for(lock, tick, [&] { return finished_ == threads || stop_seen_; });
      if (finished_ == threads) break;
      const auto now = Clock::now();
      const bool stop = stop_seen_ || (options_.stop != nullptr && options_.stop->load());
      const bool checkpoint_due =
          options_.checkpoint_every_seconds > 0 && !options_.checkpoint_path.empty() &&
          std::chrono::duration<double>(now - last_checkpoint).count() >=
              options_.checkpoint_every_seconds;
      if (stop || checkpoint_due) {
        pause_all(lock);
        if (finished_ == threads && !stop) {
          release(lock, false);
          break;
        }
        if (!options_.checkpoint_path.empty()) {
          snapshot_words();
          write_checkpoint_locked();
        }
        last_checkpoint = Clock::now();
        if (stop && finished_ < threads) {
          release(lock, true);
          return true;
        }
        release(lock, false);
        if (finished_ == threads) break;
      }
      if (report_now || std::chrono::duration<double>(now - last_progress).count() >= interval) {
        report_now = false;
        last_progress = now;
        TrainProgress progress = measure(start, words_at_start, last_loss, last_pairs);
        bool log_due = std::chrono::duration<double>(now - last_log).count() >= 1.0 ||
                       loss_log_.empty();
        if (log_due && progress.loss > 0) {
          last_log = now;
          loss_log_.push_back({words_done_.load(), progress.epoch, progress.fraction,
                               progress.learning_rate, progress.loss});
        }
        if (options_.on_progress) {
          lock.unlock();
          options_.on_progress(progress);
          lock.lock();
        }
      }
    }
    snapshot_words();
    TrainProgress progress = measure(start, words_at_start, last_loss, last_pairs);
    progress.fraction = 1.0;
    progress.eta_seconds = 0;
    if (progress.loss > 0)
      loss_log_.push_back({words_done_.load(), progress.epoch, 1.0, progress.learning_rate,
                           progress.loss});
    if (options_.on_progress) {
      lock.unlock();
      options_.on_progress(progress);
    }
    return false;
  }

  TrainProgress measure(Clock::time_point start, uint64_t words_at_start, double& last_loss,
                        uint64_t& last_pairs) const {
    double loss = 0;
    uint64_t pairs = 0;
    for (const ThreadMeter& m : meters_) {
      loss += m.loss.load(std::memory_order_relaxed);
      pairs += m.pairs.load(std::memory_order_relaxed);
    }
    TrainProgress p;
    const uint64_t words = words_done_.load(std::memory_order_relaxed);
    p.fraction = total_words_ ? std::min(1.0, static_cast<double>(words) / total_words_) : 1.0;
    p.epoch = corpus_.ids.empty()
                  ? 0
                  : std::min<size_t>(options_.epochs - 1, words / corpus_.ids.size());
    p.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double session_words = static_cast<double>(words - words_at_start);
    if (p.elapsed_seconds > 0) {
      p.words_per_second_per_thread =
          session_words / p.elapsed_seconds / static_cast<double>(state_.cursors.size());
      const double rate = session_words / p.elapsed_seconds;
      p.eta_seconds = rate > 0 ? static_cast<double>(total_words_ - std::min(total_words_, words)) / rate : 0;
    }
    p.learning_rate = learning_rate_at(words);
    if (pairs > last_pairs) {
      p.loss = (loss - last_loss) / static_cast<double>(pairs - last_pairs);
      last_loss = loss;
      last_pairs = pairs;
    } else if (pairs > 0) {
      p.loss = loss / static_cast<double>(pairs);
    }
    return p;
  }

  // Asks every worker to stop at its next sentence boundary and waits until all have.
  void pause_all(std::unique_lock<std::mutex>& lock) {
    pause_active_ = true;
    pause_requested_.store(true);
    monitor_wakeup_.wait(lock, [&] { return paused_ + finished_ == state_.cursors.size(); });
  }

  void release(std::unique_lock<std::mutex>&, bool abandon) {
    abandon_ = abandon;
    pause_active_ = false;
    pause_requested_.store(false);
    workers_wakeup_.notify_all();
  }

  void snapshot_words() {
    state_.words_processed = words_done_.load();
    state_.next_block = std::min(next_block_.load(), total_blocks());
    uint64_t skipped = 0;
    for (const ThreadMeter& m : meters_) skipped += m.skipped.load();
    checkpoint_skipped_ = skipped;
  }

  void write_checkpoint_locked() {
    CheckpointState saved = state_;
    saved.skipped = state_.skipped + checkpoint_skipped_;
    saved.loss_log = loss_log_;
    train::write_checkpoint(options_.checkpoint_path, saved, input_, output_, ngrams_);
  }

  void write_loss_log() const {
    std::string text = "words,epoch,fraction,lr,loss\n";
    for (const LossLogRow& row : loss_log_)
      text += fmt::format("{},{},{:.6f},{:.6g},{:.6f}\n", row.words, row.epoch, row.fraction,
                          row.learning_rate, row.loss);
    AtomicFile file(options_.loss_log_path);
    file.write(text);
    file.commit();
  }

  const Vocab& vocab_;
  const EncodedCorpus& corpus_;
  const Word2VecOptions& options_;
  double learning_rate_ = 0;
  uint64_t total_words_ = 0;
  train::NegativeSampler sampler_;
  train::HuffmanTree tree_;
  train::Subsampler subsampler_;
  bool general_ = false;  // subwords, hs or softmax: train_sentence_general
  Matrix input_, output_, ngrams_;
  std::vector<uint64_t> sub_offsets_;  // with subwords: word w's input rows are
  std::vector<float*> sub_rows_;       // sub_rows_[sub_offsets_[w] .. sub_offsets_[w + 1])

  CheckpointState state_;
  std::vector<std::pair<uint64_t, uint64_t>> blocks_;  // [begin, end) sentence ranges
  std::atomic<uint64_t> next_block_{0};
  std::vector<ThreadMeter> meters_;
  std::atomic<uint64_t> words_done_{0};
  std::vector<LossLogRow> loss_log_;
  uint64_t checkpoint_skipped_ = 0;

  // Pause protocol (guarded by mutex_, except the relaxed flag workers poll between sentences).
  std::mutex mutex_;
  std::condition_variable monitor_wakeup_, workers_wakeup_;
  std::atomic<bool> pause_requested_{false};
  bool pause_active_ = false;
  bool stop_seen_ = false;
  bool abandon_ = false;
  size_t paused_ = 0;
  size_t finished_ = 0;
};

}  // namespace

TrainResult train_word2vec(const Vocab& vocab, const EncodedCorpus& corpus,
                           const Word2VecOptions& options, const KeyedVectors* init) {
  validate(vocab, corpus, options);
  Word2VecRun run(vocab, corpus, options);
  run.start_fresh(init);
  return run.run();
}

TrainResult resume_word2vec(const std::string& checkpoint_path, const Vocab& vocab,
                            const EncodedCorpus& corpus, const Word2VecOptions& options) {
  validate(vocab, corpus, options);
  Word2VecRun run(vocab, corpus, options);
  run.start_from(checkpoint_path);
  return run.run();
}

double default_learning_rate(Word2VecArchitecture architecture) {
  return architecture == Word2VecArchitecture::Cbow ? 0.05 : 0.025;
}

}  // namespace embkit
