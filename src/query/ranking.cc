#include "query/ranking.h"

#include <algorithm>
#include <limits>

namespace embkit {

size_t candidate_rows(const KeyedVectors& kv, size_t restrict_vocab) {
  return restrict_vocab ? std::min(restrict_vocab, kv.size()) : kv.size();
}

size_t count_zero_rows(const KeyedVectors& kv, size_t rows) {
  std::span<const float> norms = kv.norms();
  return static_cast<size_t>(
      std::count_if(norms.begin(), norms.begin() + rows, [](float norm) { return !(norm > 0); }));
}

std::vector<Hit> finish_ranking(std::vector<Hit> hits, std::span<const float> norms, size_t wanted,
                                std::span<const uint32_t> excluded, size_t topn) {
  auto has_length = [&](const Hit& hit) { return norms[hit.id] > 0; };
  auto zero_rows = std::stable_partition(hits.begin(), hits.end(), has_length);
  for (auto hit = zero_rows; hit != hits.end(); ++hit)
    hit->score = std::numeric_limits<float>::quiet_NaN();
  if (hits.size() > wanted) hits.resize(wanted);
  std::erase_if(hits, [&](const Hit& hit) {
    return std::find(excluded.begin(), excluded.end(), hit.id) != excluded.end();
  });
  if (hits.size() > topn) hits.resize(topn);
  return hits;
}

std::vector<Neighbor> to_neighbors(const KeyedVectors& kv, const std::vector<Hit>& hits) {
  std::vector<Neighbor> neighbors;
  neighbors.reserve(hits.size());
  for (const Hit& hit : hits) neighbors.push_back({hit.id, kv.vocab().word(hit.id), hit.score});
  return neighbors;
}

}  // namespace embkit
