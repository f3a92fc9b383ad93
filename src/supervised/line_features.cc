// Precomputed per-word features (supervised/line_features.h).
#include "supervised/line_features.h"

namespace embkit::supervised {

void WordFeatures::build(const FeatureSettings& settings, std::span<const std::string_view> words) {
  ids_.clear();
  offsets_.clear();
  if (!settings.subwords.enabled()) return;
  offsets_.reserve(words.size() + 1);
  offsets_.push_back(0);
  for (size_t w = 0; w < words.size(); ++w) {
    ids_.push_back(static_cast<uint32_t>(w));
    append_subword_ids(words[w], settings.subwords, settings.nwords, ids_, settings.prune);
    offsets_.push_back(ids_.size());
  }
}

}  // namespace embkit::supervised
