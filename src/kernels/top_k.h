// Bounded top-k selection for many queries at once: per query a heap of at most k hits whose root
// is the worst hit kept, so the admission threshold (the root's score once k hits are held) is one
// load. Callers test `score > threshold(query)` themselves and offer only the few candidates that
// pass, which keeps selection cheap when, as usual, almost every candidate is rejected.
//
// Order: a hit ranks before another when its score is higher, or equal with a lower id. This is a
// total order, so merging partial lists in any grouping gives the same result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "embkit/exact_search.h"

namespace embkit::kernels {

inline bool ranks_before(const Hit& a, const Hit& b) {
  return a.score > b.score || (a.score == b.score && a.id < b.id);
}

class TopKLists {
 public:
  TopKLists(size_t queries, size_t k) : k_(k), hits_(queries * k), sizes_(queries, 0) {}

  size_t k() const { return k_; }
  size_t queries() const { return sizes_.size(); }

  // -infinity until the list holds k hits, then the score of the worst one.
  float threshold(size_t query) const {
    return sizes_[query] < k_ ? -std::numeric_limits<float>::infinity() : hits_[query * k_].score;
  }

  // Keeps the hit if it ranks before the worst one held (or the list is not full yet).
  void offer(size_t query, Hit hit);

  // The hits held for a query, in heap order (not sorted).
  std::span<const Hit> hits(size_t query) const {
    return {hits_.data() + query * k_, sizes_[query]};
  }

 private:
  size_t k_;
  std::vector<Hit> hits_;  // k slots per query
  std::vector<size_t> sizes_;
};

// The best k of the union of `parts`, best first. `scratch` is reused between calls.
void merge_best(std::span<const std::span<const Hit>> parts, size_t k, std::vector<Hit>& scratch,
                std::vector<Hit>& out);

}  // namespace embkit::kernels
