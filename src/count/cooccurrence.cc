// Co-occurrence counting. Weights are counted exactly as integers in units of 1/L, L = lcm(1..window)
// (1/d = (L/d)/L), so sums do not depend on the order in which threads, tables, runs and shards add
// them up; the division by L happens once, when the matrix is built. Windows above 20 (L would
// overflow 64-bit sums) count in units of 1/2^20 instead, rounding each 1/d.
#include "embkit/cooccurrence.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <numeric>
#include <queue>
#include <thread>
#include <utility>
#include <vector>

#include "core/threads.h"
#include "embkit/error.h"

namespace embkit {
namespace {

namespace fs = std::filesystem;

struct Entry {  // one buffered addition
  uint64_t key;  // row << 32 | column
  uint64_t value;
};

constexpr size_t kMaxExactWindow = 20;
constexpr uint64_t kInexactUnits = uint64_t{1} << 20;
constexpr uint64_t kSentencesPerBlock = 256;
constexpr size_t kMaxFanIn = 128;  // shards open at once in a merge

uint64_t weight_units(size_t window, CooccurrenceWeighting weighting) {
  if (weighting == CooccurrenceWeighting::Uniform) return 1;
  if (window > kMaxExactWindow) return kInexactUnits;
  uint64_t l = 1;
  for (uint64_t d = 2; d <= window; ++d) l = std::lcm(l, d);
  return l;
}

// Sorts entries by key: an LSD radix sort, 11 bits a pass, over the bits the keys actually use
// (row << 32 | column with rows and columns below the vocabulary size, so a 68k-word vocabulary
// needs 4 passes instead of a comparison sort's log2(n) ones). `scratch` is resized to match.
void radix_sort(std::vector<Entry>& entries, std::vector<Entry>& scratch) {
  if (entries.size() < 256) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
    return;
  }
  uint64_t rows = 0, columns = 0;
  for (const Entry& e : entries) rows |= e.key >> 32, columns |= e.key & 0xffffffffu;
  const int column_bits = std::bit_width(columns), bits = column_bits + std::bit_width(rows);
  auto compact = [column_bits](uint64_t key) { return ((key >> 32) << column_bits) | (key & 0xffffffffu); };
  constexpr int kDigit = 11;
  constexpr size_t kBuckets = size_t{1} << kDigit;
  scratch.resize(entries.size());
  std::vector<size_t> counts(kBuckets);
  for (int shift = 0; shift < bits; shift += kDigit) {
    std::fill(counts.begin(), counts.end(), 0);
    for (const Entry& e : entries) ++counts[(compact(e.key) >> shift) & (kBuckets - 1)];
    size_t sum = 0;
    for (size_t& c : counts) sum += std::exchange(c, sum);
    for (const Entry& e : entries) scratch[counts[(compact(e.key) >> shift) & (kBuckets - 1)]++] = e;
    entries.swap(scratch);
  }
}

// Sorts by key and adds up equal keys, in place.
void combine(std::vector<Entry>& entries, std::vector<Entry>& scratch) {
  radix_sort(entries, scratch);
  size_t out = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (out > 0 && entries[out - 1].key == entries[i].key) {
      entries[out - 1].value += entries[i].value;
    } else {
      entries[out++] = entries[i];
    }
  }
  entries.resize(out);
}

// Pairs (w, c) with (w + 1) x (c + 1) <= bound, stored densely: row w holds columns
// [first(w), min(vocab, bound / (w + 1))), first(w) = w for a triangular table (symmetric counting
// keeps only pairs with w <= c) and 0 otherwise. Ids are in frequency order, so this holds the
// frequent pairs. Cells are 32 bits, twice as many as 64-bit ones in the same memory (the table is
// bound by cache misses); a cell that would overflow hands its sum back to the caller, which buffers
// it.
class DenseTable {
 public:
  DenseTable(size_t vocab, size_t max_entries, bool triangular) {
    if (vocab == 0 || max_entries == 0) return;
    auto row_end = [vocab](uint64_t bound, uint64_t w) { return std::min<uint64_t>(vocab, bound / (w + 1)); };
    auto total_for = [&](uint64_t bound) {
      uint64_t total = 0;
      for (uint64_t w = 0; w < vocab; ++w) {
        const uint64_t first = triangular ? w : 0, end = row_end(bound, w);
        if (end <= first) break;
        total += end - first;
      }
      return total;
    };
    uint64_t lo = 0, hi = uint64_t{vocab} * vocab;
    while (lo < hi) {  // the largest bound whose table fits
      const uint64_t mid = lo + (hi - lo + 1) / 2;
      if (total_for(mid) <= max_entries) lo = mid;
      else hi = mid - 1;
    }
    for (uint64_t w = 0; w < vocab; ++w) {
      const uint64_t first = triangular ? w : 0, end = row_end(lo, w);
      if (end <= first) break;
      starts_.push_back(cells_ - first);  // cell of (w, c) = starts_[w] + c
      firsts_.push_back(static_cast<uint32_t>(first));
      ends_.push_back(static_cast<uint32_t>(end));
      cells_ += end - first;
    }
    data_.assign(cells_, 0);
  }

  enum class Added { Outside, Stored, Overflow };
  // Adds v (< 2^32) to cell (w, c) when the table holds it. On Overflow the cell is reset to 0 and
  // `overflow` receives the sum it would have had.
  Added add(uint32_t w, uint32_t c, uint32_t v, uint64_t& overflow) {
    if (!holds(w, c)) return Added::Outside;
    uint32_t& cell = data_[starts_[w] + c];
    if (__builtin_add_overflow(cell, v, &cell)) [[unlikely]] {
      overflow = uint64_t{cell} + (uint64_t{1} << 32);
      cell = 0;
      return Added::Overflow;
    }
    return Added::Stored;
  }
  void prefetch(uint32_t w, uint32_t c) const {
    if (holds(w, c)) __builtin_prefetch(&data_[starts_[w] + c], 1);
  }
  size_t rows() const { return ends_.size(); }
  uint32_t first(size_t w) const { return firsts_[w]; }
  uint32_t end(size_t w) const { return ends_[w]; }
  uint32_t at(size_t w, size_t c) const { return data_[starts_[w] + c]; }

 private:
  bool holds(uint32_t w, uint32_t c) const { return w < ends_.size() && c < ends_[w] && c >= firsts_[w]; }

  uint64_t cells_ = 0;
  std::vector<uint64_t> starts_;
  std::vector<uint32_t> firsts_, ends_;
  std::vector<uint32_t> data_;
};

class Shards {
 public:
  explicit Shards(std::string dir) : dir_(std::move(dir)) {
    if (dir_.empty()) dir_ = fs::temp_directory_path().string();
  }
  Shards(const Shards&) = delete;
  Shards& operator=(const Shards&) = delete;
  ~Shards() {
    std::error_code ignored;
    for (const std::string& p : paths_) fs::remove(p, ignored);
  }

  // A new shard path (registered for removal).
  std::string reserve() {
    std::lock_guard lock(mutex_);
    std::string path =
        (fs::path(dir_) / fmt::format("embkit-cooccur-{}-{}.bin", ::getpid(), paths_.size())).string();
    paths_.push_back(path);
    live_.push_back(path);
    return path;
  }
  // Shards merged into a bigger one: deleted now.
  void retire(const std::vector<std::string>& merged) {
    std::error_code ignored;
    for (const std::string& p : merged) {
      fs::remove(p, ignored);
      live_.erase(std::find(live_.begin(), live_.end(), p));
    }
  }
  void count_bytes(uint64_t bytes) { bytes_ += bytes; }

  size_t written() const { return paths_.size(); }
  const std::vector<std::string>& live() const { return live_; }
  uint64_t bytes() const { return bytes_; }

 private:
  std::string dir_;
  std::mutex mutex_;
  std::vector<std::string> paths_;  // every shard ever written (removed at the end)
  std::vector<std::string> live_;   // shards still to merge
  std::atomic<uint64_t> bytes_{0};
};

// Streams sorted entries into a new shard.
class ShardWriter {
 public:
  explicit ShardWriter(Shards& shards) : path_(shards.reserve()) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) throw IoError("create shard", path_, errno);
    buffer_.reserve(kChunk);
  }
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;
  ~ShardWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  void add(const Entry& e) {
    buffer_.push_back(e);
    if (buffer_.size() == kChunk) drain();
  }
  void finish() {
    drain();
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) throw IoError("write shard", path_, errno ? errno : EIO);
  }

 private:
  static constexpr size_t kChunk = size_t{1} << 13;
  void drain() {
    if (buffer_.empty()) return;
    if (std::fwrite(buffer_.data(), sizeof(Entry), buffer_.size(), file_) != buffer_.size())
      throw IoError("write shard", path_, errno ? errno : EIO);
    buffer_.clear();
  }
  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<Entry> buffer_;
};

// A sorted source of entries for the final merge: an in-memory run or a shard read in chunks.
class Source {
 public:
  explicit Source(const std::vector<Entry>* run) : run_(run) {}
  explicit Source(const std::string& path) : path_(path) {
    file_ = std::fopen(path.c_str(), "rb");
    if (file_ == nullptr) throw IoError("open shard", path, errno);
    buffer_.resize(kChunk);
  }
  Source(Source&& other) noexcept { *this = std::move(other); }
  Source& operator=(Source&& other) noexcept {
    std::swap(run_, other.run_);
    std::swap(path_, other.path_);
    std::swap(file_, other.file_);
    std::swap(buffer_, other.buffer_);
    std::swap(position_, other.position_);
    std::swap(filled_, other.filled_);
    return *this;
  }
  ~Source() {
    if (file_ != nullptr) std::fclose(file_);
  }

  // The next entry, or false at the end.
  bool next(Entry& e) {
    if (run_ != nullptr) {
      if (position_ == run_->size()) return false;
      e = (*run_)[position_++];
      return true;
    }
    if (position_ == filled_) {
      filled_ = std::fread(buffer_.data(), sizeof(Entry), buffer_.size(), file_);
      position_ = 0;
      if (filled_ == 0) {
        if (std::ferror(file_)) throw IoError("read shard", path_, errno ? errno : EIO);
        return false;
      }
    }
    e = buffer_[position_++];
    return true;
  }

 private:
  static constexpr size_t kChunk = size_t{1} << 13;
  const std::vector<Entry>* run_ = nullptr;
  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<Entry> buffer_;
  size_t position_ = 0, filled_ = 0;
};

// Merges sorted sources, adding up equal keys, and hands each (key, sum) to `sink` in key order.
template <typename Sink>
void merge_sources(std::vector<Source>& sources, Sink&& sink) {
  using Head = std::pair<uint64_t, size_t>;  // key, source
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heap;
  std::vector<Entry> heads(sources.size());
  for (size_t s = 0; s < sources.size(); ++s)
    if (sources[s].next(heads[s])) heap.push({heads[s].key, s});
  bool open = false;
  Entry current{0, 0};
  while (!heap.empty()) {
    const auto [key, s] = heap.top();
    heap.pop();
    if (!open || key != current.key) {
      if (open) sink(current);
      current = {key, 0};
      open = true;
    }
    current.value += heads[s].value;
    if (sources[s].next(heads[s])) heap.push({heads[s].key, s});
  }
  if (open) sink(current);
}

class Counter {
 public:
  Counter(const EncodedCorpus& corpus, size_t vocab, const CooccurrenceOptions& options)
      : corpus_(corpus), vocab_(vocab), options_(options), shards_(options.temp_dir) {
    threads_ = static_cast<size_t>(resolve_threads(options.threads));
    units_ = weight_units(options.window, options.weighting);
    for (size_t d = 1; d <= options.window; ++d)
      step_units_.push_back(options.weighting == CooccurrenceWeighting::Uniform
                                ? 1
                                : (units_ == kInexactUnits ? (units_ + d / 2) / d : units_ / d));
    const double budget = std::max(1.0, options.memory_gb * double(1 << 30));
    // A quarter of the budget for the dense tables (at most 64 MB a thread), a tenth for the
    // per-thread buffers and their sorting scratch, the rest for combined runs kept in memory.
    const size_t table_bytes = std::min<size_t>(size_t{64} << 20, size_t(budget / 4 / threads_));
    table_entries_ = table_bytes / sizeof(uint32_t);
    buffer_entries_ = std::clamp<size_t>(size_t(budget / 20 / threads_ / sizeof(Entry)),
                                         size_t{1} << 14, size_t{8} << 20);
    run_budget_ = budget * 0.65;
  }

  SparseMatrix count(CooccurrenceStats* stats) {
    const auto start = std::chrono::steady_clock::now();
    const uint64_t sentences = corpus_.sentences();
    blocks_ = (sentences + kSentencesPerBlock - 1) / kSentencesPerBlock;
    tables_.reserve(threads_);
    for (size_t t = 0; t < threads_; ++t)
      tables_.emplace_back(vocab_, table_entries_, options_.symmetric);
    runs_.resize(threads_);
    std::vector<std::thread> workers;
    std::exception_ptr failure;
    std::mutex failure_mutex;
    for (size_t t = 0; t < threads_; ++t)
      workers.emplace_back([&, t] {
        try {
          work(t);
        } catch (...) {
          std::lock_guard lock(failure_mutex);
          if (!failure) failure = std::current_exception();
          abort_ = true;
        }
        finished_.fetch_add(1);
      });
    while (options_.on_progress) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const uint64_t done = tokens_done_.load();
      if (finished_.load() == threads_) break;
      options_.on_progress(corpus_.ids.empty() ? 1.0 : 0.99 * double(done) / double(corpus_.ids.size()));
    }
    for (std::thread& w : workers) w.join();
    if (failure) std::rethrow_exception(failure);
    SparseMatrix result = merge();
    if (options_.on_progress) options_.on_progress(1.0);
    if (stats != nullptr) {
      stats->pairs_emitted = emitted_.load();
      stats->shards = shards_.written();
      stats->spilled_bytes = shards_.bytes();
      stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    return result;
  }

 private:
  void work(size_t t) {
    DenseTable& table = tables_[t];
    std::vector<Entry> buffer;
    buffer.reserve(buffer_entries_);
    uint64_t emitted = 0;
    const uint64_t additions = options_.symmetric ? 2 : 1;  // what the pair adds to the full matrix
    auto add = [&](uint32_t w, uint32_t c, uint32_t v) {
      emitted += additions;
      uint64_t value = v;
      if (table.add(w, c, v, value) == DenseTable::Added::Stored) return;
      buffer.push_back({(uint64_t{w} << 32) | c, value});
      if (buffer.size() == buffer_entries_) flush(t, buffer);
    };
    const auto& ids = corpus_.ids;
    const size_t window = options_.window;
    const bool symmetric = options_.symmetric;
    // The table's cells are cache misses: fetch those of the token kAhead positions on while
    // adding this token's pairs.
    constexpr uint64_t kAhead = 4;
    // Symmetric counting adds each pair once, to (min, max): the matrix is assembled from that
    // triangle at the end, and half the additions is half the counting time. (w, w) gets both
    // halves at once.
    auto prefetch = [&](uint64_t j, uint64_t begin) {
      const uint32_t w = ids[j];
      const uint64_t reach = std::min<uint64_t>(window, j - begin);
      for (uint64_t d = 1; d <= reach; ++d) {
        const uint32_t c = ids[j - d];
        if (symmetric) table.prefetch(std::min(w, c), std::max(w, c));
        else table.prefetch(w, c);
      }
    };
    while (!abort_) {
      const uint64_t block = next_block_.fetch_add(1);
      if (block >= blocks_) break;
      const uint64_t first = block * kSentencesPerBlock;
      const uint64_t last = std::min<uint64_t>(corpus_.sentences(), first + kSentencesPerBlock);
      uint64_t tokens = 0;
      for (uint64_t s = first; s < last; ++s) {
        const uint64_t begin = s == 0 ? 0 : corpus_.sentence_ends[s - 1];
        const uint64_t end = corpus_.sentence_ends[s];
        tokens += end - begin;
        for (uint64_t i = begin; i < end; ++i) {
          if (i + kAhead < end) prefetch(i + kAhead, begin);
          const uint32_t w = ids[i];
          const uint64_t reach = std::min<uint64_t>(window, i - begin);
          for (uint64_t d = 1; d <= reach; ++d) {
            const uint32_t c = ids[i - d];
            const uint32_t v = step_units_[d - 1];
            if (!symmetric) add(w, c, v);
            else if (w == c) add(w, w, 2 * v);
            else add(std::min(w, c), std::max(w, c), v);
          }
        }
      }
      tokens_done_.fetch_add(tokens);
    }
    if (!buffer.empty()) flush(t, buffer);
    emitted_.fetch_add(emitted);
  }

  // Sorts and combines the buffer into a run, kept in memory while the budget allows, else written
  // to a shard.
  void flush(size_t t, std::vector<Entry>& buffer) {
    thread_local std::vector<Entry> scratch;
    combine(buffer, scratch);
    const double bytes = double(buffer.size() * sizeof(Entry));
    bool keep;
    {
      std::lock_guard lock(runs_mutex_);
      keep = run_bytes_ + bytes <= run_budget_;
      if (keep) run_bytes_ += bytes;
    }
    if (keep) {
      runs_[t].emplace_back(buffer.begin(), buffer.end());
    } else {
      ShardWriter writer(shards_);
      for (const Entry& e : buffer) writer.add(e);
      writer.finish();
      shards_.count_bytes(buffer.size() * sizeof(Entry));
    }
    buffer.clear();
  }

  // Keeps the final merge's fan-in (open files) bounded: merges shards kMaxFanIn at a time into
  // bigger shards until few enough remain.
  void compact_shards() {
    while (shards_.live().size() > kMaxFanIn) {
      std::vector<std::string> group(shards_.live().end() - kMaxFanIn, shards_.live().end());
      std::vector<Source> sources;
      for (const std::string& path : group) sources.emplace_back(path);
      ShardWriter writer(shards_);
      merge_sources(sources, [&](const Entry& e) { writer.add(e); });
      sources.clear();
      writer.finish();
      shards_.retire(group);
    }
  }

  SparseMatrix merge() {
    // The dense table as one more sorted run.
    std::vector<Entry> dense;
    const DenseTable& table = tables_[0];  // every thread's table has the same shape
    for (size_t w = 0; w < table.rows(); ++w)
      for (size_t c = table.first(w); c < table.end(w); ++c) {
        uint64_t v = 0;
        for (const DenseTable& t : tables_) v += t.at(w, c);
        if (v) dense.push_back({(uint64_t{w} << 32) | c, v});
      }
    tables_.clear();
    std::vector<Source> sources;
    sources.emplace_back(&dense);
    for (const auto& thread_runs : runs_)
      for (const auto& run : thread_runs) sources.emplace_back(&run);
    compact_shards();
    for (const std::string& path : shards_.live()) sources.emplace_back(path);

    std::vector<uint64_t> row_starts(vocab_ + 1, 0);
    std::vector<uint32_t> rows, columns;
    std::vector<float> values;
    const double scale = 1.0 / double(units_);
    merge_sources(sources, [&](const Entry& e) {
      const uint32_t row = uint32_t(e.key >> 32), column = uint32_t(e.key & 0xffffffffu);
      ++row_starts[row + 1];
      if (options_.symmetric) {
        rows.push_back(row);
        if (column != row) ++row_starts[column + 1];
      }
      columns.push_back(column);
      values.push_back(float(double(e.value) * scale));
    });
    std::partial_sum(row_starts.begin(), row_starts.end(), row_starts.begin());
    if (options_.symmetric) mirror_triangle(rows, columns, values, row_starts);
    return SparseMatrix(vocab_, vocab_, std::move(row_starts), std::move(columns), std::move(values));
  }

  // The full symmetric matrix from its upper triangle (entries (r, c), r <= c, in key order) and the
  // final row starts. Entries are visited in row order, so each row receives its columns below the
  // diagonal (from earlier rows) in increasing order before its own, also increasing: rows come out
  // sorted.
  static void mirror_triangle(std::vector<uint32_t>& rows, std::vector<uint32_t>& columns,
                              std::vector<float>& values, const std::vector<uint64_t>& row_starts) {
    std::vector<uint32_t> full_columns(row_starts.back());
    std::vector<float> full_values(row_starts.back());
    std::vector<uint64_t> cursor(row_starts.begin(), row_starts.end() - 1);
    for (size_t e = 0; e < rows.size(); ++e) {
      const uint32_t r = rows[e], c = columns[e];
      full_columns[cursor[r]] = c;
      full_values[cursor[r]++] = values[e];
      if (c != r) {
        full_columns[cursor[c]] = r;
        full_values[cursor[c]++] = values[e];
      }
    }
    rows = {};
    columns.swap(full_columns);
    values.swap(full_values);
  }

  const EncodedCorpus& corpus_;
  const size_t vocab_;
  const CooccurrenceOptions& options_;
  size_t threads_ = 1;
  uint64_t units_ = 1;
  std::vector<uint32_t> step_units_;  // lcm(1..20) < 2^32, so one step always fits a cell
  size_t table_entries_ = 0, buffer_entries_ = 0;
  double run_budget_ = 0;
  Shards shards_;
  std::vector<DenseTable> tables_;
  std::vector<std::vector<std::vector<Entry>>> runs_;  // per thread
  std::mutex runs_mutex_;
  double run_bytes_ = 0;
  uint64_t blocks_ = 0;
  std::atomic<uint64_t> next_block_{0}, tokens_done_{0}, emitted_{0};
  std::atomic<size_t> finished_{0};
  std::atomic<bool> abort_{false};
};

}  // namespace

SparseMatrix count_cooccurrences(const EncodedCorpus& corpus, size_t vocab_size,
                                 const CooccurrenceOptions& options, CooccurrenceStats* stats) {
  if (options.window == 0) throw UsageError("co-occurrence window must be at least 1");
  if (vocab_size > (size_t{1} << 32)) throw UsageError("vocabulary too large for 32-bit ids");
  for (uint32_t id : corpus.ids)
    if (id >= vocab_size)
      throw UsageError(fmt::format("encoded corpus: word id {} out of range ({} words)", id, vocab_size));
  if (!options.temp_dir.empty() && !fs::is_directory(options.temp_dir))
    throw IoError(fmt::format("temporary directory '{}' does not exist", options.temp_dir));
  Counter counter(corpus, vocab_size, options);
  return counter.count(stats);
}

}  // namespace embkit
