// Vocab: the words of a model, word <-> id, with optional corpus counts. Ids are row numbers of the
// matrix; models written by trainers are in frequency order (id 0 = most frequent), which is what
// `--restrict N` relies on. Words are stored back to back in one byte buffer with an offsets array, so a
// vocabulary can also borrow both from a memory-mapped file. The word -> id index is an open-addressing
// hash table of ids built on first lookup, so opening a mapped model does not pay for it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace embkit {

class Vocab {
 public:
  Vocab() = default;
  Vocab(Vocab&&) noexcept;
  Vocab& operator=(Vocab&&) noexcept;
  Vocab(const Vocab&) = delete;
  Vocab& operator=(const Vocab&) = delete;
  ~Vocab();

  // A read-only vocabulary over borrowed memory: word i is bytes[offsets[i], offsets[i+1]).
  // `counts` may be null. Offsets must be non-decreasing and end within the byte buffer (checked
  // lazily per access by the caller that mapped them; see io/native.cc).
  static Vocab borrow(const char* bytes, const uint64_t* offsets, const uint64_t* counts, size_t size,
                      std::shared_ptr<const void> keep_alive);

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view word(size_t id) const {
    return {bytes_ + offsets_[id], static_cast<size_t>(offsets_[id + 1] - offsets_[id])};
  }
  bool has_counts() const { return counts_ != nullptr; }
  uint64_t count(size_t id) const { return counts_ ? counts_[id] : 0; }

  std::optional<uint32_t> find(std::string_view word) const;
  bool contains(std::string_view word) const { return find(word).has_value(); }
  uint32_t at(std::string_view word) const;  // throws KeyError

  // Appends a word; returns its id, or nothing if the word is already present (the caller reports
  // the duplicate with its own context: file and line). Counts are kept if any word has one.
  std::optional<uint32_t> add(std::string_view word, uint64_t count = 0);
  void reserve(size_t words, size_t bytes);

  // A copy of the first n words (all when n >= size()), owned.
  Vocab head(size_t n) const;
  // Total bytes of all words (without separators).
  size_t total_bytes() const { return size_ ? offsets_[size_] : 0; }
  const char* bytes_data() const { return bytes_; }
  const uint64_t* offsets_data() const { return offsets_; }
  const uint64_t* counts_data() const { return counts_; }

 private:
  void build_index(size_t expected_words) const;
  void insert_into_index(uint32_t id) const;
  void sync_pointers();

  // Owned storage (empty when borrowed).
  std::vector<char> owned_bytes_;
  std::vector<uint64_t> owned_offsets_{0};
  std::vector<uint64_t> owned_counts_;
  std::shared_ptr<const void> keep_alive_;

  const char* bytes_ = nullptr;
  const uint64_t* offsets_ = nullptr;
  const uint64_t* counts_ = nullptr;
  size_t size_ = 0;
  bool borrowed_ = false;

  // Lazily built index: slots hold id + 1 (0 = empty); capacity is a power of two.
  mutable std::vector<uint32_t> slots_;
  mutable std::unique_ptr<std::once_flag> index_once_ = std::make_unique<std::once_flag>();
};

// A hash of a word, shared by every table that keys on words.
uint64_t hash_word(std::string_view word);

}  // namespace embkit
