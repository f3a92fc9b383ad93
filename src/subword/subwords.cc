// fastText's subword and word n-gram hashing (embkit/subwords.h).
#include "embkit/subwords.h"

#include <fmt/format.h>

#include "embkit/error.h"

namespace embkit {
namespace {

constexpr std::string_view kEndOfSentence = "</s>";

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Calls emit(ngram bytes) for every n-gram of "<word>" in fastText's order.
template <typename Emit>
void for_each_ngram(std::string_view word, const SubwordSettings& settings, Emit&& emit) {
  std::string bounded;
  bounded.reserve(word.size() + 2);
  bounded.push_back('<');
  bounded.append(word);
  bounded.push_back('>');
  const size_t size = bounded.size();
  for (size_t i = 0; i < size; ++i) {
    if (is_continuation(bounded[i])) continue;
    size_t j = i;
    for (uint32_t n = 1; j < size && n <= settings.maxn; ++n) {
      ++j;
      while (j < size && is_continuation(bounded[j])) ++j;
      if (n >= settings.minn && !(n == 1 && (i == 0 || j == size)))
        emit(std::string_view(bounded).substr(i, j - i));
    }
  }
}

void push_bucket(int64_t bucket, uint32_t nwords, std::vector<uint32_t>& out,
                 const PruneMap* prune) {
  if (prune != nullptr) {
    auto it = prune->find(static_cast<int32_t>(bucket));
    if (it == prune->end()) return;
    bucket = it->second;
  }
  out.push_back(nwords + static_cast<uint32_t>(bucket));
}

}  // namespace

void validate_subword_settings(const SubwordSettings& settings) {
  if (settings.maxn == 0) return;
  if (settings.minn == 0) throw UsageError("minn must be at least 1 when maxn is set");
  if (settings.minn > settings.maxn)
    throw UsageError(fmt::format("minn ({}) must not exceed maxn ({})", settings.minn, settings.maxn));
  if (settings.maxn > 64) throw UsageError(fmt::format("maxn {} is above 64", settings.maxn));
  if (settings.bucket == 0)
    throw UsageError("bucket must be at least 1 when subwords are on (maxn > 0); use --maxn 0 for none");
}

uint32_t fasttext_hash(std::string_view text) {
  uint32_t h = 2166136261u;
  for (char c : text) {
    h ^= static_cast<uint32_t>(static_cast<int32_t>(static_cast<signed char>(c)));
    h *= 16777619u;
  }
  return h;
}

void append_subword_ids(std::string_view word, const SubwordSettings& settings, uint32_t nwords,
                        std::vector<uint32_t>& out, const PruneMap* prune) {
  if (!settings.enabled() || word == kEndOfSentence) return;
  for_each_ngram(word, settings, [&](std::string_view ngram) {
    push_bucket(fasttext_hash(ngram) % settings.bucket, nwords, out, prune);
  });
}

std::vector<std::string> subword_strings(std::string_view word, const SubwordSettings& settings) {
  std::vector<std::string> out;
  if (!settings.enabled() || word == kEndOfSentence) return out;
  for_each_ngram(word, settings, [&](std::string_view ngram) { out.emplace_back(ngram); });
  return out;
}

void append_word_ngram_ids(std::span<const uint32_t> token_hashes, uint32_t n, uint32_t bucket,
                           uint32_t nwords, std::vector<uint32_t>& out, const PruneMap* prune) {
  if (bucket == 0) return;
  for (size_t i = 0; i < token_hashes.size(); ++i) {
    // fastText widens the first hash from a signed 32-bit value to 64 bits (sign extension).
    uint64_t h = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(token_hashes[i])));
    for (size_t j = i + 1; j < token_hashes.size() && j < i + n; ++j) {
      h = h * 116049371u + static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(token_hashes[j])));
      push_bucket(static_cast<int64_t>(h % bucket), nwords, out, prune);
    }
  }
}

}  // namespace embkit
