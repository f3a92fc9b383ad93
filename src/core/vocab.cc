#include "embkit/vocab.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "embkit/error.h"

namespace embkit {

uint64_t hash_word(std::string_view word) {
  // FNV-1a followed by a 64-bit finaliser (from MurmurHash3's fmix64) so that the low bits used for
  // the table slot depend on every byte.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : word) h = (h ^ c) * 1099511628211ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

Vocab::Vocab(Vocab&& other) noexcept { *this = std::move(other); }

Vocab& Vocab::operator=(Vocab&& other) noexcept {
  if (this == &other) return *this;
  owned_bytes_ = std::move(other.owned_bytes_);
  owned_offsets_ = std::move(other.owned_offsets_);
  owned_counts_ = std::move(other.owned_counts_);
  keep_alive_ = std::move(other.keep_alive_);
  size_ = other.size_;
  borrowed_ = other.borrowed_;
  slots_ = std::move(other.slots_);
  index_once_ = std::move(other.index_once_);
  if (borrowed_) {
    bytes_ = other.bytes_;
    offsets_ = other.offsets_;
    counts_ = other.counts_;
  } else {
    counts_ = other.counts_ ? owned_counts_.data() : nullptr;
    sync_pointers();
  }
  other.owned_offsets_.assign(1, 0);
  other.owned_bytes_.clear();
  other.owned_counts_.clear();
  other.size_ = 0;
  other.borrowed_ = false;
  other.bytes_ = nullptr;
  other.counts_ = nullptr;
  other.sync_pointers();
  other.slots_.clear();
  other.index_once_ = std::make_unique<std::once_flag>();
  return *this;
}

Vocab::~Vocab() = default;

void Vocab::sync_pointers() {
  bytes_ = owned_bytes_.data();
  offsets_ = owned_offsets_.data();
  if (counts_) counts_ = owned_counts_.data();
}

Vocab Vocab::borrow(const char* bytes, const uint64_t* offsets, const uint64_t* counts, size_t size,
                    std::shared_ptr<const void> keep_alive) {
  Vocab v;
  v.keep_alive_ = std::move(keep_alive);
  v.bytes_ = bytes;
  v.offsets_ = offsets;
  v.counts_ = counts;
  v.size_ = size;
  v.borrowed_ = true;
  return v;
}

void Vocab::reserve(size_t words, size_t bytes) {
  assert(!borrowed_);
  owned_offsets_.reserve(words + 1);
  owned_bytes_.reserve(bytes);
  owned_counts_.reserve(words);
  sync_pointers();
  // Size the index once for the expected words, so loaders do not rehash at every doubling.
  std::call_once(*index_once_, [this] { build_index(size_); });
  if ((words + 1) * 2 > slots_.size()) build_index(words);
}

std::optional<uint32_t> Vocab::find(std::string_view word) const {
  std::call_once(*index_once_, [this] { build_index(size_); });
  if (slots_.empty()) return std::nullopt;
  size_t mask = slots_.size() - 1;
  for (size_t slot = hash_word(word) & mask;; slot = (slot + 1) & mask) {
    uint32_t entry = slots_[slot];
    if (entry == 0) return std::nullopt;
    if (this->word(entry - 1) == word) return entry - 1;
  }
}

uint32_t Vocab::at(std::string_view word) const {
  auto id = find(word);
  if (!id) throw KeyError(word);
  return *id;
}

void Vocab::insert_into_index(uint32_t id) const {
  size_t mask = slots_.size() - 1;
  size_t slot = hash_word(word(id)) & mask;
  while (slots_[slot] != 0) slot = (slot + 1) & mask;
  slots_[slot] = id + 1;
}

void Vocab::build_index(size_t expected_words) const {
  size_t capacity = 16;
  while (capacity < (std::max(expected_words, size_) + 1) * 2) capacity *= 2;
  slots_.assign(capacity, 0);
  for (size_t id = 0; id < size_; ++id) insert_into_index(static_cast<uint32_t>(id));
}

std::optional<uint32_t> Vocab::add(std::string_view word, uint64_t count) {
  assert(!borrowed_);
  if (find(word)) return std::nullopt;
  auto id = static_cast<uint32_t>(size_);
  owned_bytes_.insert(owned_bytes_.end(), word.begin(), word.end());
  owned_offsets_.push_back(owned_bytes_.size());
  owned_counts_.push_back(count);
  if (count != 0 && !counts_) counts_ = owned_counts_.data();
  ++size_;
  sync_pointers();
  if ((size_ + 1) * 2 > slots_.size()) {
    build_index(size_ * 2);
  } else {
    insert_into_index(id);
  }
  return id;
}

Vocab Vocab::head(size_t n) const {
  if (n > size_) n = size_;
  Vocab v;
  v.reserve(n, n ? offsets_[n] - offsets_[0] : 0);
  // add() keeps the copy's word index in step with its words.
  for (size_t i = 0; i < n; ++i) v.add(word(i), count(i));
  if (!counts_) v.counts_ = nullptr;
  return v;
}

}  // namespace embkit
