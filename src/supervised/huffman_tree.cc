// The hierarchical-softmax tree (supervised/huffman_tree.h).
#include "supervised/huffman_tree.h"

#include <limits>

namespace embkit::supervised {

HuffmanTree::HuffmanTree(std::span<const int64_t> counts) : leaves_(counts.size()) {
  const size_t n = counts.size();
  path_offsets_.assign(n + 1, 0);
  if (n == 0) return;
  nodes_.assign(2 * n - 1, Node{});
  for (size_t i = 0; i < nodes_.size(); ++i)
    nodes_[i].count = i < n ? counts[i] : std::numeric_limits<int64_t>::max() / 4;
  // Leaves are taken from the back (smallest count first); new inner nodes from the front of
  // their queue, which grows in increasing count order.
  int64_t leaf = static_cast<int64_t>(n) - 1;
  size_t inner = n;
  for (size_t made = n; made < 2 * n - 1; ++made) {
    size_t pick[2];
    for (size_t& p : pick) {
      if (leaf >= 0 && nodes_[static_cast<size_t>(leaf)].count < nodes_[inner].count)
        p = static_cast<size_t>(leaf--);
      else
        p = inner++;
    }
    nodes_[made].left = static_cast<int32_t>(pick[0]);
    nodes_[made].right = static_cast<int32_t>(pick[1]);
    nodes_[made].count = nodes_[pick[0]].count + nodes_[pick[1]].count;
    nodes_[pick[0]].parent = static_cast<int32_t>(made);
    nodes_[pick[1]].parent = static_cast<int32_t>(made);
    nodes_[pick[1]].right_child = true;
  }
  for (size_t label = 0; label < n; ++label) {
    for (size_t node = label; nodes_[node].parent >= 0;
         node = static_cast<size_t>(nodes_[node].parent)) {
      path_rows_.push_back(static_cast<uint32_t>(static_cast<size_t>(nodes_[node].parent) - n));
      path_codes_.push_back(nodes_[node].right_child ? 1.0f : 0.0f);
    }
    path_offsets_[label + 1] = path_rows_.size();
  }
}

}  // namespace embkit::supervised
