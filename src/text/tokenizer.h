// Splits the text of a ChunkPrefetcher into sentences of tokens, the way word2vec reads a corpus:
// tokens are separated by space, tab, \r, \v and \f; a newline ends a sentence; a line with more
// than max_sentence_tokens tokens is cut into pieces of that many tokens; empty lines give no
// sentence. With lowercase_and_split_punctuation, every ASCII punctuation character is a token of
// its own and words are lowercased (text/lowercase.h).
//
// Memory is bounded whatever the input: a token longer than kMaxTokenBytes bytes keeps only its
// first kMaxTokenBytes bytes (cut back to a UTF-8 character boundary) and the rest of it is
// skipped, so a 200 MB run of bytes without whitespace is one token of kMaxTokenBytes bytes. Every
// byte is still validated: NUL bytes or invalid UTF-8 throw FormatError "path:line: not UTF-8 text
// (binary file?)" once the sentences before the bad byte have been returned.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "embkit/corpus_reader.h"
#include "text/chunk_prefetcher.h"
#include "text/utf8_validator.h"

namespace embkit {

class Tokenizer {
 public:
  static constexpr size_t kMaxTokenBytes = 1000;

  // Throws UsageError when options.max_sentence_tokens is 0.
  Tokenizer(ChunkPrefetcher& source, const CorpusOptions& options, std::string path);

  // Passes the tokens of the next sentence to sink.token(std::string_view) (each view is valid
  // during that call only) and returns true; returns false at the end of the text.
  template <class Sink>
  bool next_sentence(Sink& sink);

  size_t sentence_line() const { return sentence_line_; }  // 1-based line of the last sentence
  // Lines read so far: newlines, plus a last line without one (once the text has ended). Blank
  // lines give no sentences, so this is how a reader learns of blank lines at the end.
  size_t lines() const { return line_ - 1 + (open_line_ ? 1 : 0); }
  size_t buffered_bytes() const { return carry_.capacity() + scratch_.capacity(); }

 private:
  enum ByteClass : uint8_t { kWordByte, kSpace, kNewline, kPunctuation, kEnd };

  // Loads the next chunk; false at the end of the text. Converts decoding errors to FormatError.
  bool load_chunk();
  [[noreturn]] void throw_not_utf8() const;
  // Appends bytes of a token that continues into the next chunk (only the first bytes are kept).
  void carry(const char* bytes, size_t size);
  // The token as the sink sees it: truncated and, with the option, lowercased.
  std::string_view finish_token(std::string_view token);

  // Hands a token to the sink; true when it completes a sentence of max_sentence_tokens.
  template <class Sink>
  bool emit(Sink& sink, std::string_view token) {
    if (sentence_tokens_ == 0) sentence_line_ = line_;
    sink.token(finish_token(token));
    if (++sentence_tokens_ < max_sentence_tokens_) return false;
    sentence_tokens_ = 0;
    return true;
  }

  ChunkPrefetcher& source_;
  std::string path_;
  size_t max_sentence_tokens_;
  bool lowercase_;
  std::array<uint8_t, 256> classes_{};

  Utf8Validator validator_;
  const char* chunk_ = nullptr;
  size_t position_ = 0;
  size_t end_ = 0;               // scanning stops here: the chunk's end or its first invalid byte
  bool invalid_at_end_ = false;  // the byte at end_ is not valid UTF-8
  bool text_ended_ = false;

  std::string carry_;  // the start of a token cut by a chunk boundary
  bool carrying_ = false;
  std::string scratch_;
  size_t line_ = 1;
  bool open_line_ = false;  // the last byte loaded is not a newline
  size_t sentence_line_ = 0;
  size_t sentence_tokens_ = 0;
};

template <class Sink>
bool Tokenizer::next_sentence(Sink& sink) {
  // Hot loop: one table lookup per byte; chunk_[end_] holds a kEnd sentinel so the scan of a word
  // needs no bounds check.
  for (;;) {
    if (position_ == end_) {
      if (invalid_at_end_) throw_not_utf8();
      if (!load_chunk()) {
        if (text_ended_) return false;
        text_ended_ = true;
        if (validator_.in_character()) throw_not_utf8();
        bool full = false;
        if (carrying_) {
          carrying_ = false;
          full = emit(sink, carry_);
        }
        if (full || sentence_tokens_ > 0) {
          sentence_tokens_ = 0;
          return true;
        }
        return false;
      }
    }
    const auto* bytes = reinterpret_cast<const uint8_t*>(chunk_);
    if (carrying_) {
      size_t start = position_;
      while (classes_[bytes[position_]] == kWordByte) ++position_;
      carry(chunk_ + start, position_ - start);
      if (position_ == end_) continue;
      carrying_ = false;
      if (emit(sink, carry_)) return true;
    }
    while (position_ < end_) {
      const uint8_t byte = bytes[position_];
      switch (classes_[byte]) {
        case kSpace:
          ++position_;
          break;
        case kNewline:
          ++position_;
          ++line_;
          if (sentence_tokens_ > 0) {
            sentence_tokens_ = 0;
            return true;
          }
          break;
        case kPunctuation:
          ++position_;
          if (emit(sink, std::string_view(chunk_ + position_ - 1, 1))) return true;
          break;
        default: {
          const size_t start = position_++;
          while (classes_[bytes[position_]] == kWordByte) ++position_;
          if (position_ == end_) {
            carry_.clear();
            carry(chunk_ + start, position_ - start);
            carrying_ = true;
            break;
          }
          if (emit(sink, std::string_view(chunk_ + start, position_ - start))) return true;
          break;
        }
      }
    }
  }
}

}  // namespace embkit
