// The Huffman tree of hierarchical softmax (Morin & Bengio 2005; word2vec.c's CreateBinaryTree):
// leaves are the words, weighted by their counts; each of the V - 1 inner nodes has an output row.
// A word's path lists the inner nodes from the root down and, per node, the label the word's branch
// carries (1 - code, as word2vec.c scores it), so one training step is a set of binary logistic
// steps on those rows. Frequent words get short paths.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace embkit::train {

class HuffmanTree {
 public:
  HuffmanTree() = default;
  // counts[i] is the weight of leaf i; at least one leaf. Ties are broken by index, so the tree is a
  // pure function of the counts.
  explicit HuffmanTree(std::span<const uint64_t> counts);

  size_t leaves() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  size_t inner_nodes() const { return leaves() > 1 ? leaves() - 1 : 1; }
  // Inner nodes (0-based output rows) on the path of leaf i, from the root.
  std::span<const uint32_t> path(uint32_t leaf) const {
    return {nodes_.data() + offsets_[leaf], offsets_[leaf + 1] - offsets_[leaf]};
  }
  // Labels (1 - code bit) of the same path.
  std::span<const float> labels(uint32_t leaf) const {
    return {labels_.data() + offsets_[leaf], offsets_[leaf + 1] - offsets_[leaf]};
  }
  size_t max_depth() const { return max_depth_; }

 private:
  std::vector<uint64_t> offsets_;
  std::vector<uint32_t> nodes_;
  std::vector<float> labels_;
  size_t max_depth_ = 0;
};

}  // namespace embkit::train
