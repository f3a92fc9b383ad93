// Training text: a streaming reader for corpora (plain UTF-8, or .gz / .xz / .zst recognised by their
// magic bytes), one sentence or document per line, whitespace tokenisation (optionally lowercasing and
// splitting punctuation off words); vocabulary counting with min_count / max_vocab in frequency order;
// and the corpus encoded once as an array of word ids, which is what the trainers read.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "embkit/vocab.h"

namespace embkit {

struct CorpusOptions {
  // Lowercase ASCII and Unicode letters and split punctuation into tokens of their own
  // ("Hello, world!" -> "hello , world !"); off: split on whitespace only.
  bool lowercase_and_split_punctuation = false;
  // Lines with more tokens are cut into pieces of this many tokens, as word2vec does.
  size_t max_sentence_tokens = 10000;
};

// Reads sentences one at a time; memory stays bounded whatever the line length (a 200 MB line
// without a newline is streamed, never held whole).
class CorpusReader {
 public:
  // Throws IoError when the file cannot be opened.
  CorpusReader(const std::string& path, const CorpusOptions& options = {});
  ~CorpusReader();
  CorpusReader(const CorpusReader&) = delete;
  CorpusReader& operator=(const CorpusReader&) = delete;

  // The next sentence (a line, or a max_sentence_tokens piece of one); false at the end of the file.
  // The views stay valid until the next call. Throws FormatError (file and line) on corrupt
  // compressed data.
  bool next(std::vector<std::string_view>& tokens);
  size_t line() const;            // 1-based line of the last sentence returned
  uint64_t bytes_consumed() const;  // of the file on disk (compressed bytes), for progress
  uint64_t file_bytes() const;
  // Memory held by the reader's buffers: bounded by the options, whatever the file (tokens longer
  // than 1,000 bytes keep their first 1,000 bytes, cut at a UTF-8 character boundary).
  size_t buffered_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

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

// One pass over the file: counts every distinct word (memory grows with the vocabulary, not the
// corpus) while recording provisional ids, then keeps the words of min_count / max_vocab and maps the
// ids. `on_progress(fraction)` is called now and then. Throws FormatError for an empty corpus, for a
// corpus where no word reaches min_count, and for binary junk (NUL bytes / invalid UTF-8), naming the
// file and line.
PreparedCorpus prepare_corpus(const std::string& path, const VocabOptions& vocab_options,
                              const CorpusOptions& corpus_options = {},
                              const std::function<void(double)>& on_progress = {});

}  // namespace embkit
