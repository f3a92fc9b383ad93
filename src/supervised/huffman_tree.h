// The Huffman tree of hierarchical softmax over the labels, built as word2vec and fastText build
// it (two queues: the leaves in decreasing count order and the inner nodes as they are made; the
// smaller count is taken, a leaf only when strictly smaller), so that a model saved with loss hs
// predicts the same under fastText, which rebuilds the tree from the label counts on loading.
//
// Nodes 0..n-1 are the leaves (label i), n..2n-2 the inner nodes; inner node j has output row
// j - n, the root is 2n - 2. A label's path lists the output rows from its parent up to the root;
// code c = 1 when the node on the path is its parent's right child.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace embkit::supervised {

class HuffmanTree {
 public:
  HuffmanTree() = default;
  // counts[i] is label i's count; labels are expected in decreasing count order (as a fastText
  // dictionary holds them), which the two-queue construction relies on.
  explicit HuffmanTree(std::span<const int64_t> counts);

  size_t leaves() const { return leaves_; }
  std::span<const uint32_t> path(uint32_t label) const {
    return {path_rows_.data() + path_offsets_[label], path_rows_.data() + path_offsets_[label + 1]};
  }
  std::span<const float> codes(uint32_t label) const {
    return {path_codes_.data() + path_offsets_[label], path_codes_.data() + path_offsets_[label + 1]};
  }
  int32_t left(size_t node) const { return nodes_[node].left; }
  int32_t right(size_t node) const { return nodes_[node].right; }
  int32_t parent(size_t node) const { return nodes_[node].parent; }
  int64_t count(size_t node) const { return nodes_[node].count; }
  size_t root() const { return nodes_.empty() ? 0 : nodes_.size() - 1; }
  bool is_leaf(size_t node) const { return node < leaves_; }

 private:
  struct Node {
    int32_t parent = -1, left = -1, right = -1;
    int64_t count = 0;
    bool right_child = false;
  };
  size_t leaves_ = 0;
  std::vector<Node> nodes_;
  std::vector<uint32_t> path_rows_;
  std::vector<float> path_codes_;  // 0 or 1, as floats for the update kernels
  std::vector<size_t> path_offsets_;
};

}  // namespace embkit::supervised
