// TokenTable: strings <-> dense ids with an open-addressing index keyed by fastText's hash, so a
// token is hashed once and the hash serves both the lookup and the word n-gram features.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace embkit::supervised {

class TokenTable {
 public:
  static constexpr int64_t kMissing = -1;

  // The id of `token` (whose fasttext_hash is `hash`), adding it when new.
  uint32_t intern(std::string_view token, uint32_t hash);
  int64_t find(std::string_view token, uint32_t hash) const;

  size_t size() const { return tokens_.size(); }
  const std::string& token(uint32_t id) const { return tokens_[id]; }
  uint32_t hash(uint32_t id) const { return hashes_[id]; }
  void reserve(size_t tokens);

 private:
  void grow();

  std::vector<std::string> tokens_;
  std::vector<uint32_t> hashes_;
  std::vector<int32_t> slots_;  // ids, -1 when empty; size a power of two
};

}  // namespace embkit::supervised
