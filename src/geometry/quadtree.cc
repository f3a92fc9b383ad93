#include "geometry/quadtree.h"

#include <algorithm>
#include <cmath>

namespace embkit {
namespace {
// Below this depth cells are narrower than any float map distance that matters; points still
// together are (nearly) coincident and share the leaf.
constexpr int kMaxDepth = 48;
}  // namespace

Quadtree::Quadtree(const std::vector<double>& xy) : xy_(xy) {
  const size_t n = xy.size() / 2;
  order_.resize(n);
  double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
  for (size_t i = 0; i < n; ++i) {
    order_[i] = static_cast<uint32_t>(i);
    const double x = xy[2 * i], y = xy[2 * i + 1];
    if (i == 0 || x < min_x) min_x = x;
    if (i == 0 || x > max_x) max_x = x;
    if (i == 0 || y < min_y) min_y = y;
    if (i == 0 || y > max_y) max_y = y;
  }
  Node root;
  root.center_x = (min_x + max_x) / 2;
  root.center_y = (min_y + max_y) / 2;
  root.half = std::max({max_x - min_x, max_y - min_y, 1e-12}) / 2 * (1 + 1e-9);
  nodes_.reserve(4 * n + 1);
  nodes_.push_back(root);
  build(0, 0, static_cast<uint32_t>(n), 0);
}

void Quadtree::build(size_t node, uint32_t begin, uint32_t end, int depth) {
  double sum_x = 0, sum_y = 0;
  for (uint32_t k = begin; k < end; ++k)
    sum_x += xy_[2 * order_[k]], sum_y += xy_[2 * order_[k] + 1];
  const uint32_t count = end - begin;
  nodes_[node].count = count;
  nodes_[node].begin = begin;
  nodes_[node].end = end;
  if (count > 0) nodes_[node].mass_x = sum_x / count, nodes_[node].mass_y = sum_y / count;
  if (count <= 1 || depth >= kMaxDepth) return;
  const double cx = nodes_[node].center_x, cy = nodes_[node].center_y, half = nodes_[node].half / 2;
  // Quadrants 0..3 = (x >= cx) + 2 (y >= cy): partition the range twice.
  auto* first = order_.data() + begin;
  auto* last = order_.data() + end;
  auto* mid_y = std::partition(first, last, [&](uint32_t p) { return xy_[2 * p + 1] < cy; });
  auto* mid_low = std::partition(first, mid_y, [&](uint32_t p) { return xy_[2 * p] < cx; });
  auto* mid_high = std::partition(mid_y, last, [&](uint32_t p) { return xy_[2 * p] < cx; });
  const uint32_t bounds[5] = {begin, static_cast<uint32_t>(mid_low - order_.data()),
                              static_cast<uint32_t>(mid_y - order_.data()),
                              static_cast<uint32_t>(mid_high - order_.data()), end};
  const size_t child = nodes_.size();
  nodes_[node].first_child = static_cast<int32_t>(child);
  for (int q = 0; q < 4; ++q) {
    Node c;
    c.center_x = cx + ((q & 1) ? half : -half);
    c.center_y = cy + ((q & 2) ? half : -half);
    c.half = half;
    nodes_.push_back(c);
  }
  for (int q = 0; q < 4; ++q) build(child + q, bounds[q], bounds[q + 1], depth + 1);
}

void Quadtree::repulsion(size_t i, double theta, double& z, double& force_x,
                         double& force_y) const {
  const double x = xy_[2 * i], y = xy_[2 * i + 1];
  const double theta2 = theta * theta;
  z = force_x = force_y = 0;
  int32_t stack[4 * kMaxDepth + 8];
  int top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const Node& node = nodes_[static_cast<size_t>(stack[--top])];
    if (node.count == 0) continue;
    if (node.first_child < 0) {
      for (uint32_t k = node.begin; k < node.end; ++k) {
        const uint32_t j = order_[k];
        if (j == i) continue;
        const double dx = x - xy_[2 * j], dy = y - xy_[2 * j + 1];
        const double w = 1 / (1 + dx * dx + dy * dy);
        z += w;
        force_x += w * w * dx;
        force_y += w * w * dy;
      }
      continue;
    }
    const double dx = x - node.mass_x, dy = y - node.mass_y, d2 = dx * dx + dy * dy;
    const double width = 2 * node.half;
    if (width * width < theta2 * d2) {
      const double w = 1 / (1 + d2), m = node.count;
      z += m * w;
      force_x += m * w * w * dx;
      force_y += m * w * w * dy;
    } else {
      for (int q = 3; q >= 0; --q) stack[top++] = node.first_child + q;
    }
  }
}

}  // namespace embkit
