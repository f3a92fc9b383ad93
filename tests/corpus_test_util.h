// Helpers shared by the corpus_*_test.cc files: compressing text with the zlib / liblzma / libzstd
// APIs (gzip, xz and zstd files made in the test itself), an independent whitespace tokenizer to
// compare the reader against, and reading every sentence of a file (temporary directories and error
// capture come from io_test_util.h).
#pragma once

#include <gtest/gtest.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <string>
#include <string_view>
#include <vector>

#include "embkit/corpus_reader.h"
#include "io_test_util.h"

namespace embkit::testing {

using Sentences = std::vector<std::vector<std::string>>;

inline std::string gzip_bytes(std::string_view text) {
  z_stream stream{};
  // 15 + 16: a gzip header and trailer rather than zlib's.
  EXPECT_EQ(deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, text.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

inline std::string xz_bytes(std::string_view text) {
  std::string out(lzma_stream_buffer_bound(text.size()), '\0');
  size_t used = 0;
  EXPECT_EQ(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, nullptr,
                                    reinterpret_cast<const uint8_t*>(text.data()), text.size(),
                                    reinterpret_cast<uint8_t*>(out.data()), &used, out.size()),
            LZMA_OK);
  out.resize(used);
  return out;
}

inline std::string zstd_bytes(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  size_t used = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  EXPECT_FALSE(ZSTD_isError(used));
  out.resize(used);
  return out;
}

// The reference: word2vec's rules written as plainly as possible (no truncation, no options).
inline Sentences reference_sentences(std::string_view text, size_t max_tokens = 10000) {
  Sentences sentences;
  std::vector<std::string> current;
  std::string token;
  auto end_token = [&] {
    if (token.empty()) return;
    current.push_back(token);
    token.clear();
    if (current.size() == max_tokens) sentences.push_back(std::move(current)), current.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
      end_token();
    } else if (c == '\n') {
      end_token();
      if (!current.empty()) sentences.push_back(std::move(current)), current.clear();
    } else {
      token += c;
    }
  }
  end_token();
  if (!current.empty()) sentences.push_back(std::move(current));
  return sentences;
}

inline Sentences read_sentences(const std::string& path, const CorpusOptions& options = {}) {
  CorpusReader reader(path, options);
  Sentences sentences;
  std::vector<std::string_view> tokens;
  while (reader.next(tokens)) sentences.emplace_back(tokens.begin(), tokens.end());
  return sentences;
}

}  // namespace embkit::testing
