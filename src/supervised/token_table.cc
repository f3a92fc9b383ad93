// The classifier's token index (supervised/token_table.h): linear probing over a power-of-two
// table kept at most half full.
#include "supervised/token_table.h"

namespace embkit::supervised {

void TokenTable::reserve(size_t tokens) {
  tokens_.reserve(tokens);
  hashes_.reserve(tokens);
  size_t want = 16;
  while (want < 2 * tokens) want *= 2;
  if (want <= slots_.size()) return;
  slots_.assign(want, -1);
  const size_t mask = want - 1;
  for (size_t id = 0; id < tokens_.size(); ++id) {
    size_t slot = hashes_[id] & mask;
    while (slots_[slot] >= 0) slot = (slot + 1) & mask;
    slots_[slot] = static_cast<int32_t>(id);
  }
}

void TokenTable::grow() { reserve(slots_.empty() ? 8 : slots_.size()); }

int64_t TokenTable::find(std::string_view token, uint32_t hash) const {
  if (slots_.empty()) return kMissing;
  const size_t mask = slots_.size() - 1;
  for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const int32_t id = slots_[slot];
    if (id < 0) return kMissing;
    if (hashes_[static_cast<size_t>(id)] == hash && tokens_[static_cast<size_t>(id)] == token)
      return id;
  }
}

uint32_t TokenTable::intern(std::string_view token, uint32_t hash) {
  if (2 * (tokens_.size() + 1) > slots_.size()) grow();
  const size_t mask = slots_.size() - 1;
  size_t slot = hash & mask;
  for (;; slot = (slot + 1) & mask) {
    const int32_t id = slots_[slot];
    if (id < 0) break;
    if (hashes_[static_cast<size_t>(id)] == hash && tokens_[static_cast<size_t>(id)] == token)
      return static_cast<uint32_t>(id);
  }
  const uint32_t id = static_cast<uint32_t>(tokens_.size());
  slots_[slot] = static_cast<int32_t>(id);
  tokens_.emplace_back(token);
  hashes_.push_back(hash);
  return id;
}

}  // namespace embkit::supervised
