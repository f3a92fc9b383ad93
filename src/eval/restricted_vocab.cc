#include "eval/restricted_vocab.h"

#include <algorithm>

#include "eval/upper_case.h"

namespace embkit {

RestrictedVocab::RestrictedVocab(const KeyedVectors& kv, size_t restrict_vocab,
                                 bool case_insensitive, const std::vector<std::string>& wanted)
    : case_insensitive_(case_insensitive),
      rows_(restrict_vocab ? std::min(restrict_vocab, kv.size()) : kv.size()) {
  const Vocab& vocab = kv.vocab();
  if (!case_insensitive_) {
    for (const std::string& key : wanted)
      if (std::optional<uint32_t> id = vocab.find(key); id && *id < rows_) ids_.emplace(key, *id);
    return;
  }
  constexpr uint32_t kUnseen = UINT32_MAX;
  for (const std::string& key : wanted) ids_.emplace(key, kUnseen);
  size_t unresolved = ids_.size();
  for (size_t id = 0; id < rows_ && unresolved > 0; ++id) {
    auto entry = ids_.find(upper_case(vocab.word(id)));
    if (entry != ids_.end() && entry->second == kUnseen) {
      entry->second = static_cast<uint32_t>(id);
      --unresolved;
    }
  }
  std::erase_if(ids_, [](const auto& entry) { return entry.second == kUnseen; });
}

std::string fold_word(std::string_view word, bool case_insensitive) {
  return case_insensitive ? upper_case(word) : std::string(word);
}

std::optional<uint32_t> RestrictedVocab::find(const std::string& key) const {
  auto entry = ids_.find(key);
  if (entry == ids_.end()) return std::nullopt;
  return entry->second;
}

}  // namespace embkit
