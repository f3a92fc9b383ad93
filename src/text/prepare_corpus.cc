// prepare_corpus: one pass over the text counts the words and records a provisional id per token
// (ids in order of first appearance, sentence ends as a marker id) in fixed-size blocks; then the
// vocabulary is chosen and the blocks are rewritten into final ids one by one, each block freed as
// soon as it is read, so peak memory is about 4 bytes per token plus the vocabulary.
#include <fmt/format.h>
#include <sys/mman.h>

#include <algorithm>
#include <memory>
#include <new>
#include <numeric>

#include "embkit/corpus.h"
#include "embkit/error.h"
#include "text/chunk_prefetcher.h"
#include "text/tokenizer.h"
#include "text/word_counter.h"

namespace embkit {

namespace {

constexpr uint32_t kSentenceEnd = UINT32_MAX;
constexpr uint32_t kDropped = UINT32_MAX;

// A growing sequence of ids stored in fixed 4 MB blocks: no reallocation copies, no 2x overshoot.
// Each block is its own anonymous mapping (not heap memory, which the allocator may keep after a
// free), so releasing a block while the final ids are written returns its memory at once.
class IdBlocks {
 public:
  static constexpr size_t kBlockIds = size_t{1} << 20;
  static constexpr size_t kBlockBytes = kBlockIds * sizeof(uint32_t);

  IdBlocks() = default;
  IdBlocks(const IdBlocks&) = delete;
  IdBlocks& operator=(const IdBlocks&) = delete;
  ~IdBlocks() {
    for (size_t block = 0; block < blocks_.size(); ++block) release(block);
  }

  void push(uint32_t id) {
    if (fill_ == kBlockIds) add_block();
    blocks_.back()[fill_++] = id;
  }
  size_t block_count() const { return blocks_.size(); }
  size_t block_size(size_t block) const { return block + 1 == blocks_.size() ? fill_ : kBlockIds; }
  const uint32_t* block(size_t block) const { return blocks_[block]; }
  void release(size_t block) {
    if (blocks_[block]) ::munmap(blocks_[block], kBlockBytes);
    blocks_[block] = nullptr;
  }

 private:
  void add_block() {
    void* memory =
        ::mmap(nullptr, kBlockBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    blocks_.push_back(static_cast<uint32_t*>(memory));
    fill_ = 0;
  }

  std::vector<uint32_t*> blocks_;
  size_t fill_ = kBlockIds;
};

struct CountingSink {
  WordCounter& counter;
  IdBlocks& ids;
  std::string_view path;
  void token(std::string_view word) { ids.push(counter.add(word, path)); }
};

// Ids of the kept words: count >= min_count, most frequent first, ties in order of first
// appearance, at most max_vocab. Throws FormatError when no word qualifies.
std::vector<uint32_t> choose_vocabulary(const WordCounter& counter, const VocabOptions& options,
                                        const std::string& path) {
  if (counter.size() == 0) throw FormatError(path, "the corpus has no words");
  const uint64_t min_count = std::max<uint64_t>(options.min_count, 1);
  std::vector<uint32_t> kept;
  uint64_t highest_count = 0;
  for (uint32_t id = 0; id < counter.size(); ++id) {
    highest_count = std::max(highest_count, counter.count(id));
    if (counter.count(id) >= min_count) kept.push_back(id);
  }
  if (kept.empty())
    throw FormatError(path, fmt::format("no word occurs at least {} times (min_count); {} distinct "
                                        "words, the most frequent occurs {} times",
                                        min_count, counter.size(), highest_count));
  std::stable_sort(kept.begin(), kept.end(),
                   [&](uint32_t a, uint32_t b) { return counter.count(a) > counter.count(b); });
  if (options.max_vocab > 0 && kept.size() > options.max_vocab) kept.resize(options.max_vocab);
  return kept;
}

}  // namespace

PreparedCorpus prepare_corpus(const std::string& path, const VocabOptions& vocab_options,
                              const CorpusOptions& corpus_options,
                              const std::function<void(double)>& on_progress) {
  auto counter_owner = std::make_unique<WordCounter>();
  WordCounter& counter = *counter_owner;
  IdBlocks provisional;
  {
    ChunkPrefetcher source(path);
    Tokenizer tokenizer(source, corpus_options, path);
    CountingSink sink{counter, provisional, path};
    uint64_t reported_bytes = 0;
    while (tokenizer.next_sentence(sink)) {
      provisional.push(kSentenceEnd);
      if (on_progress && source.bytes_consumed() != reported_bytes) {
        reported_bytes = source.bytes_consumed();
        on_progress(source.file_bytes() ? double(reported_bytes) / double(source.file_bytes()) : 1);
      }
    }
  }

  const std::vector<uint32_t> kept = choose_vocabulary(counter, vocab_options, path);
  PreparedCorpus prepared;
  std::vector<uint32_t> final_id(counter.size(), kDropped);
  size_t kept_bytes = 0;
  uint64_t kept_tokens = 0;
  for (uint32_t id : kept) {
    kept_bytes += counter.word(id).size();
    kept_tokens += counter.count(id);
  }
  prepared.vocab.reserve(kept.size(), kept_bytes);
  for (size_t rank = 0; rank < kept.size(); ++rank) {
    final_id[kept[rank]] = static_cast<uint32_t>(rank);
    prepared.vocab.add(counter.word(kept[rank]), counter.count(kept[rank]));
  }
  uint64_t raw_tokens = 0;
  for (uint32_t id = 0; id < counter.size(); ++id) raw_tokens += counter.count(id);
  counter_owner.reset();  // the counting table is not needed for the rewrite: free it first

  EncodedCorpus& corpus = prepared.corpus;
  corpus.raw_tokens = raw_tokens;
  corpus.ids.reserve(kept_tokens);
  for (size_t block = 0; block < provisional.block_count(); ++block) {
    const uint32_t* ids = provisional.block(block);
    const size_t size = provisional.block_size(block);
    for (size_t i = 0; i < size; ++i) {
      const uint32_t id = ids[i];
      if (id == kSentenceEnd) {
        // Sentences left empty by dropped words are dropped.
        if (corpus.ids.size() > (corpus.sentence_ends.empty() ? 0 : corpus.sentence_ends.back()))
          corpus.sentence_ends.push_back(corpus.ids.size());
      } else if (final_id[id] != kDropped) {
        corpus.ids.push_back(final_id[id]);
      }
    }
    provisional.release(block);
  }
  if (on_progress) on_progress(1.0);
  return prepared;
}

}  // namespace embkit
