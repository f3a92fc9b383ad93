#include "train/huffman_tree.h"

#include <algorithm>
#include <numeric>
#include <queue>

#include "embkit/error.h"

namespace embkit::train {

HuffmanTree::HuffmanTree(std::span<const uint64_t> counts) {
  const size_t n = counts.size();
  if (n == 0) throw UsageError("a Huffman tree needs at least one leaf");
  offsets_.assign(n + 1, 0);
  if (n == 1) {
    // One word: a single inner node that always answers 1.
    offsets_[1] = 1;
    nodes_ = {0};
    labels_ = {1.0f};
    max_depth_ = 1;
    return;
  }
  // Nodes 0..n-1 are leaves, n..2n-2 inner nodes, built by merging the two lightest (ties: lower id).
  std::vector<uint64_t> weight(2 * n - 1);
  std::vector<uint32_t> parent(2 * n - 1, 0);
  std::vector<uint8_t> bit(2 * n - 1, 0);
  std::copy(counts.begin(), counts.end(), weight.begin());
  using Item = std::pair<uint64_t, uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  for (uint32_t i = 0; i < n; ++i) heap.push({weight[i], i});
  for (uint32_t next = static_cast<uint32_t>(n); next < 2 * n - 1; ++next) {
    const Item a = heap.top();
    heap.pop();
    const Item b = heap.top();
    heap.pop();
    weight[next] = a.first + b.first;
    parent[a.second] = next;
    parent[b.second] = next;
    bit[a.second] = 0;  // the lighter branch has code 0, the heavier code 1 (word2vec.c)
    bit[b.second] = 1;
    heap.push({weight[next], next});
  }
  const uint32_t root = static_cast<uint32_t>(2 * n - 2);
  std::vector<uint32_t> path;
  std::vector<float> labels;
  for (uint32_t leaf = 0; leaf < n; ++leaf) {
    path.clear();
    labels.clear();
    for (uint32_t node = leaf; node != root; node = parent[node]) {
      path.push_back(parent[node] - static_cast<uint32_t>(n));
      labels.push_back(1.0f - static_cast<float>(bit[node]));
    }
    std::reverse(path.begin(), path.end());
    std::reverse(labels.begin(), labels.end());
    nodes_.insert(nodes_.end(), path.begin(), path.end());
    labels_.insert(labels_.end(), labels.begin(), labels.end());
    offsets_[leaf + 1] = nodes_.size();
    max_depth_ = std::max(max_depth_, path.size());
  }
}

}  // namespace embkit::train
