// CorpusEncoder (embkit/corpus_encoder.h): tokens get provisional ids in order of first appearance
// (sentence ends as a marker id), stored in fixed-size blocks; finish() chooses the vocabulary and
// rewrites the blocks into final ids one by one, each block freed as soon as it is read, so peak
// memory is about 4 bytes per token plus the vocabulary.
#include "embkit/corpus_encoder.h"

#include <fmt/format.h>

#include <algorithm>

#include "embkit/error.h"
#include "text/id_blocks.h"
#include "text/word_counter.h"

namespace embkit {

namespace {

constexpr uint32_t kSentenceEnd = UINT32_MAX;
constexpr uint32_t kDropped = UINT32_MAX;

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

struct CorpusEncoder::Impl {
  std::string source_name;
  size_t max_sentence_tokens;
  std::unique_ptr<WordCounter> counter = std::make_unique<WordCounter>();
  std::unique_ptr<IdBlocks> provisional = std::make_unique<IdBlocks>();
  size_t in_sentence = 0;
};

CorpusEncoder::CorpusEncoder(std::string source_name, size_t max_sentence_tokens)
    : impl_(std::make_unique<Impl>(Impl{std::move(source_name), std::max<size_t>(max_sentence_tokens, 1)})) {}

CorpusEncoder::~CorpusEncoder() = default;

void CorpusEncoder::add_token(std::string_view word) {
  Impl& s = *impl_;
  if (s.in_sentence == s.max_sentence_tokens) end_sentence();
  s.provisional->push(s.counter->add(word, s.source_name));
  ++s.in_sentence;
}

void CorpusEncoder::end_sentence() {
  impl_->provisional->push(kSentenceEnd);
  impl_->in_sentence = 0;
}

void CorpusEncoder::add_sentence(std::span<const std::string_view> tokens) {
  for (std::string_view token : tokens) add_token(token);
  end_sentence();
}

PreparedCorpus CorpusEncoder::finish(const VocabOptions& options) {
  Impl& s = *impl_;
  if (s.in_sentence > 0) end_sentence();
  WordCounter& counter = *s.counter;
  const std::vector<uint32_t> kept = choose_vocabulary(counter, options, s.source_name);
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
  s.counter = std::make_unique<WordCounter>();  // the counting table is not needed for the rewrite

  EncodedCorpus& corpus = prepared.corpus;
  corpus.raw_tokens = raw_tokens;
  corpus.ids.reserve(kept_tokens);
  IdBlocks& provisional = *s.provisional;
  for (size_t block = 0; block < provisional.block_count(); ++block) {
    const uint32_t* ids = provisional.block(block);
    const size_t size = provisional.block_size(block);
    for (size_t i = 0; i < size; ++i) {
      const uint32_t id = ids[i];
      if (id == kSentenceEnd) {
        if (corpus.ids.size() > (corpus.sentence_ends.empty() ? 0 : corpus.sentence_ends.back()))
          corpus.sentence_ends.push_back(corpus.ids.size());
      } else if (final_id[id] != kDropped) {
        corpus.ids.push_back(final_id[id]);
      }
    }
    provisional.release(block);
  }
  s.provisional = std::make_unique<IdBlocks>();
  return prepared;
}

}  // namespace embkit
