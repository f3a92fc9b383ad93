// Character n-gram subwords as fastText computes them (Bojanowski et al. 2017, "Enriching Word
// Vectors with Subword Information"): a word w is represented by the rows of "<w>"'s n-grams of
// minn..maxn UTF-8 characters, each hashed with 32-bit FNV-1a over its bytes *as signed chars* (the
// hash fastText's released models use) into one of `bucket` rows placed after the word rows, plus the
// word's own row when it is in the vocabulary. The vector of any word, seen or not, is the mean of
// those rows; an unseen word has only its n-gram rows.
//
// The same hashing gives supervised models their word n-gram features (`--word-ngrams`): the token
// hashes of a line combined as h = h * 116049371 + h_next, modulo `bucket`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace embkit {

struct SubwordSettings {
  uint32_t minn = 3;
  uint32_t maxn = 6;
  uint32_t bucket = 2000000;
  // No n-grams when maxn == 0 (fastText's -maxn 0) or there are no buckets.
  bool enabled() const { return maxn > 0 && bucket > 0; }
};

// Throws UsageError when the settings are inconsistent for a subword model: minn > maxn, minn == 0,
// maxn above 64, or bucket 0 while maxn > 0.
void validate_subword_settings(const SubwordSettings& settings);

// A pruned bucket table (fastText's pruneidx, written by `quantize --cutoff`): bucket -> kept row
// (0-based, after the word rows); n-grams whose bucket is absent are dropped.
using PruneMap = std::unordered_map<int32_t, int32_t>;

// 32-bit FNV-1a over the bytes of `text`, each byte sign-extended first (fastText's hash).
uint32_t fasttext_hash(std::string_view text);

// Appends nwords + (hash(g) % bucket) for every n-gram g of "<word>", in fastText's order (by start
// character, then length); a start on a UTF-8 continuation byte is skipped and the lone "<" or ">"
// is not an n-gram. With `prune`, buckets are mapped through it (absent ones dropped). Nothing is
// appended when the settings are not enabled() or `word` is "</s>".
void append_subword_ids(std::string_view word, const SubwordSettings& settings, uint32_t nwords,
                        std::vector<uint32_t>& out, const PruneMap* prune = nullptr);

// The n-gram strings of "<word>", in the same order as append_subword_ids.
std::vector<std::string> subword_strings(std::string_view word, const SubwordSettings& settings);

// Appends the word n-gram features of a line of token hashes (fastText's addWordNgrams): for every
// start i and 2 <= length <= n, nwords + (combined hash % bucket), mapped through `prune` when given.
void append_word_ngram_ids(std::span<const uint32_t> token_hashes, uint32_t n, uint32_t bucket,
                           uint32_t nwords, std::vector<uint32_t>& out,
                           const PruneMap* prune = nullptr);

}  // namespace embkit
