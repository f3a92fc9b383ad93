// CorpusReader: training text streamed one sentence at a time: plain UTF-8, or .gz / .xz / .zst
// recognised by their magic bytes; one sentence or document per line, whitespace tokenisation
// (optionally lowercasing and splitting punctuation off words).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

}  // namespace embkit
