#include "text/word_counter.h"

#include <fmt/format.h>

#include "embkit/error.h"

namespace embkit {

namespace {
constexpr size_t kInitialSlots = size_t{1} << 16;
// Id UINT32_MAX marks sentence ends in the provisional id stream; UINT32_MAX - 1 is the last id.
constexpr size_t kMaxWords = UINT32_MAX - 1;
}  // namespace

WordCounter::WordCounter() : slots_(kInitialSlots, Slot{0, 0, 0}), mask_(kInitialSlots - 1) {}

uint32_t WordCounter::insert(size_t slot, uint64_t prefix, std::string_view word,
                             std::string_view path) {
  if (counts_.size() >= kMaxWords)
    throw FormatError(path, fmt::format("more than {} distinct words", kMaxWords));
  const auto id = static_cast<uint32_t>(counts_.size());
  bytes_.insert(bytes_.end(), word.begin(), word.end());
  offsets_.push_back(bytes_.size());
  counts_.push_back(1);
  slots_[slot] = Slot{prefix, static_cast<uint32_t>(word.size()), id + 1};
  // Keep the load factor at most 1/2 so probes stay short.
  if (counts_.size() * 2 > slots_.size()) grow();
  return id;
}

void WordCounter::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{0, 0, 0});
  mask_ = slots_.size() - 1;
  for (const Slot& entry : old) {
    if (entry.id_plus_one == 0) continue;
    size_t slot = hash_word(entry.prefix, word(entry.id_plus_one - 1)) & mask_;
    while (slots_[slot].id_plus_one != 0) slot = (slot + 1) & mask_;
    slots_[slot] = entry;
  }
}

}  // namespace embkit
