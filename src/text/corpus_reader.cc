// CorpusReader: sentences from the tokenizer, their tokens copied into one reused buffer so the
// views outlive the chunk they came from.
#include <utility>

#include "embkit/corpus_reader.h"
#include "text/chunk_prefetcher.h"
#include "text/tokenizer.h"

namespace embkit {

struct CorpusReader::Impl {
  ChunkPrefetcher source;
  Tokenizer tokenizer;
  std::string token_bytes;
  std::vector<std::pair<size_t, size_t>> token_spans;  // offset and size in token_bytes

  Impl(const std::string& path, const CorpusOptions& options)
      : source(path), tokenizer(source, options, path) {}

  void token(std::string_view word) {
    token_spans.emplace_back(token_bytes.size(), word.size());
    token_bytes.append(word);
  }
};

CorpusReader::CorpusReader(const std::string& path, const CorpusOptions& options)
    : impl_(std::make_unique<Impl>(path, options)) {}

CorpusReader::~CorpusReader() = default;

bool CorpusReader::next(std::vector<std::string_view>& tokens) {
  impl_->token_bytes.clear();
  impl_->token_spans.clear();
  tokens.clear();
  if (!impl_->tokenizer.next_sentence(*impl_)) return false;
  tokens.reserve(impl_->token_spans.size());
  for (auto [offset, size] : impl_->token_spans)
    tokens.emplace_back(impl_->token_bytes.data() + offset, size);
  return true;
}

size_t CorpusReader::line() const { return impl_->tokenizer.sentence_line(); }
uint64_t CorpusReader::bytes_consumed() const { return impl_->source.bytes_consumed(); }
uint64_t CorpusReader::file_bytes() const { return impl_->source.file_bytes(); }

size_t CorpusReader::buffered_bytes() const {
  return impl_->source.buffered_bytes() + impl_->tokenizer.buffered_bytes() +
         impl_->token_bytes.capacity() +
         impl_->token_spans.capacity() * sizeof(impl_->token_spans[0]);
}

}  // namespace embkit
