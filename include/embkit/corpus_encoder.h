// The corpus encoded once as an array of word ids, which is what the trainers read, and the encoder
// that builds it from sentences handed over one at a time — from a file (prepare_corpus.h), a Python
// iterable, or any other source — with one vocabulary rule for all of them: counts >= min_count,
// most frequent first, ties in order of first appearance, at most max_vocab words.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embkit/vocab.h"

namespace embkit {

struct VocabOptions {
  uint64_t min_count = 5;
  size_t max_vocab = 0;  // keep only the most frequent N words (0 = no limit)
};

// The corpus as word ids: sentences of in-vocabulary words, back to back.
struct EncodedCorpus {
  std::vector<uint32_t> ids;
  std::vector<uint64_t> sentence_ends;  // sentence i is ids[sentence_ends[i-1] .. sentence_ends[i])
  uint64_t raw_tokens = 0;              // tokens read, out-of-vocabulary ones included

  size_t sentences() const { return sentence_ends.size(); }
};

struct PreparedCorpus {
  Vocab vocab;  // frequency order (ties: the word seen first comes first), with counts
  EncodedCorpus corpus;
};

// Counts every distinct word (memory grows with the vocabulary, not the corpus) while recording a
// provisional id per token; finish() keeps the words of min_count / max_vocab and rewrites the ids.
// Sentences longer than max_sentence_tokens are cut into pieces of that many tokens, as word2vec
// does; sentences left empty by dropped words are dropped.
class CorpusEncoder {
 public:
  // `source_name` names the corpus in errors (a file path, "<iterable>").
  explicit CorpusEncoder(std::string source_name, size_t max_sentence_tokens = 10000);
  ~CorpusEncoder();
  CorpusEncoder(const CorpusEncoder&) = delete;
  CorpusEncoder& operator=(const CorpusEncoder&) = delete;

  void add_token(std::string_view word);
  void end_sentence();
  void add_sentence(std::span<const std::string_view> tokens);

  // The vocabulary and the encoded corpus. Throws FormatError naming the source for an empty corpus
  // and for one where no word reaches min_count. The encoder is empty afterwards.
  PreparedCorpus finish(const VocabOptions& options);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace embkit
