// Bounded top-k lists (see top_k.h).
#include "kernels/top_k.h"

#include <algorithm>

namespace embkit::kernels {

void TopKLists::offer(size_t query, Hit hit) {
  if (k_ == 0) return;
  Hit* heap = hits_.data() + query * k_;
  size_t& size = sizes_[query];
  // With ranks_before as the heap's "less", the root is the hit that ranks last.
  if (size < k_) {
    heap[size++] = hit;
    std::push_heap(heap, heap + size, ranks_before);
  } else if (ranks_before(hit, heap[0])) {
    std::pop_heap(heap, heap + k_, ranks_before);
    heap[k_ - 1] = hit;
    std::push_heap(heap, heap + k_, ranks_before);
  }
}

void merge_best(std::span<const std::span<const Hit>> parts, size_t k, std::vector<Hit>& scratch,
                std::vector<Hit>& out) {
  scratch.clear();
  for (std::span<const Hit> part : parts) scratch.insert(scratch.end(), part.begin(), part.end());
  size_t keep = std::min(k, scratch.size());
  std::partial_sort(scratch.begin(), scratch.begin() + keep, scratch.end(), ranks_before);
  out.assign(scratch.begin(), scratch.begin() + keep);
}

}  // namespace embkit::kernels
