#include "text/tokenizer.h"

#include <algorithm>

#include "embkit/error.h"
#include "text/lowercase.h"

namespace embkit {

Tokenizer::Tokenizer(ChunkPrefetcher& source, const CorpusOptions& options, std::string path)
    : source_(source),
      path_(std::move(path)),
      max_sentence_tokens_(options.max_sentence_tokens),
      lowercase_(options.lowercase_and_split_punctuation) {
  if (max_sentence_tokens_ == 0) throw UsageError("max_sentence_tokens must be at least 1");
  classes_.fill(kWordByte);
  for (unsigned char space : {' ', '\t', '\r', '\v', '\f'}) classes_[space] = kSpace;
  classes_['\n'] = kNewline;
  classes_[0] = kEnd;
  if (lowercase_) {
    for (int c = 0x21; c < 0x7F; ++c) {
      const bool alphanumeric =
          (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alphanumeric) classes_[c] = kPunctuation;
    }
  }
  carry_.reserve(kMaxTokenBytes + 4);
  if (lowercase_) scratch_.reserve(kMaxTokenBytes + 4);
}

bool Tokenizer::load_chunk() {
  ChunkPrefetcher::Chunk chunk;
  try {
    chunk = source_.next();
  } catch (const CorruptStreamError& error) {
    throw FormatError(path_, line_, error.what());
  }
  if (chunk.size == 0) return false;
  const size_t valid = validator_.validate(chunk.data, chunk.size);
  invalid_at_end_ = valid < chunk.size;
  if (valid > 0) open_line_ = chunk.data[valid - 1] != '\n';
  chunk.data[valid] = 0;  // the kEnd sentinel (over the bad byte if there is one)
  chunk_ = chunk.data;
  position_ = 0;
  end_ = valid;
  return true;
}

void Tokenizer::throw_not_utf8() const {
  throw FormatError(path_, line_, "not UTF-8 text (binary file?)");
}

void Tokenizer::carry(const char* bytes, size_t size) {
  // Three bytes beyond the limit are enough to find the character boundary at the cut.
  const size_t keep = kMaxTokenBytes + 3;
  if (carry_.size() < keep) carry_.append(bytes, std::min(size, keep - carry_.size()));
}

std::string_view Tokenizer::finish_token(std::string_view token) {
  if (token.size() > kMaxTokenBytes) {
    size_t cut = kMaxTokenBytes;
    while (cut > 0 && (static_cast<uint8_t>(token[cut]) & 0xC0) == 0x80) --cut;
    token = token.substr(0, cut);
  }
  if (!lowercase_) return token;
  scratch_.assign(token);
  lowercase_utf8_in_place(scratch_.data(), scratch_.size());
  return scratch_;
}

}  // namespace embkit
