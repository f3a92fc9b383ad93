// Counting the distinct words of a corpus in one pass: an open-addressing hash table (linear
// probing) of ids, the words back to back in one byte buffer. Ids are given in order of first
// appearance, so they double as the "seen first" tie-break of the frequency order. Memory grows
// with the number of distinct words, never with the corpus.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace embkit {

class WordCounter {
 public:
  WordCounter();

  // Counts one occurrence of `word`; returns its id. Throws FormatError naming `path` past 2^32 - 2
  // distinct words.
  uint32_t add(std::string_view word, std::string_view path) {
    const uint64_t prefix = load_prefix(word);
    const uint64_t hash = hash_word(prefix, word);
    const auto size = static_cast<uint32_t>(word.size());
    for (size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const Slot& entry = slots_[slot];
      if (entry.id_plus_one == 0) return insert(slot, prefix, word, path);
      if (entry.prefix == prefix && entry.size == size &&
          (size <= 8 || same_bytes(this->word(entry.id_plus_one - 1), word))) {
        ++counts_[entry.id_plus_one - 1];
        return entry.id_plus_one - 1;
      }
    }
  }

  size_t size() const { return counts_.size(); }
  std::string_view word(uint32_t id) const {
    return {bytes_.data() + offsets_[id], static_cast<size_t>(offsets_[id + 1] - offsets_[id])};
  }
  uint64_t count(uint32_t id) const { return counts_[id]; }
  size_t total_bytes() const { return bytes_.size(); }

  // The first eight bytes of `word`, zero-padded, as a little-endian number; shorter words are read
  // in at most three loads that may overlap (no byte-by-byte copy).
  static uint64_t load_prefix(std::string_view word) {
    const char* bytes = word.data();
    const size_t size = word.size();
    uint64_t prefix = 0;
    if (size >= 8) {
      std::memcpy(&prefix, bytes, 8);
    } else if (size >= 4) {
      uint32_t first, last;
      std::memcpy(&first, bytes, 4);
      std::memcpy(&last, bytes + size - 4, 4);
      prefix = uint64_t{first} | (uint64_t{last} << (8 * (size - 4)));
    } else if (size > 0) {
      const auto byte = [&](size_t i) { return uint64_t{static_cast<uint8_t>(bytes[i])}; };
      prefix =
          byte(0) | (byte(size / 2) << (8 * (size / 2))) | (byte(size - 1) << (8 * (size - 1)));
    }
    return prefix;
  }

  // The table's own hash (ids do not depend on it): the prefix, then the rest eight bytes at a
  // time.
  static uint64_t hash_word(uint64_t prefix, std::string_view word) {
    uint64_t hash = (prefix ^ (0x9E3779B97F4A7C15ull * (word.size() + 1))) * 0xBF58476D1CE4E5B9ull;
    for (size_t i = 8; i < word.size(); i += 8) {
      uint64_t block = load_prefix(word.substr(i));
      hash ^= hash >> 29;
      hash = (hash ^ block) * 0x94D049BB133111EBull;
    }
    hash ^= hash >> 32;
    hash *= 0xD6E8FEB86659FD93ull;
    hash ^= hash >> 32;
    return hash;
  }

 private:
  // Words are short: an inline loop beats a call to memcmp.
  static bool same_bytes(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }

  // The word's first eight bytes and size live in the slot, so most words (eight bytes or fewer)
  // are matched without touching the byte buffer: one cache miss per token at most.
  struct Slot {
    uint64_t prefix;
    uint32_t size;
    uint32_t id_plus_one;  // 0 = empty
  };

  uint32_t insert(size_t slot, uint64_t prefix, std::string_view word, std::string_view path);
  void grow();

  std::vector<Slot> slots_;
  size_t mask_;
  std::vector<char> bytes_;
  std::vector<uint64_t> offsets_{0};
  std::vector<uint64_t> counts_;
};

}  // namespace embkit
