// Quadtree over 2-D points for Barnes-Hut sums (Barnes and Hut 1986; for t-SNE van der Maaten
// 2014): a cell far enough from a query point (cell width / distance < theta) stands in for all its
// points at their centre of mass. Cells split until they hold one point; coincident points share a
// leaf.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace embkit {

class Quadtree {
 public:
  // xy: n points, interleaved x0 y0 x1 y1 ...
  explicit Quadtree(const std::vector<double>& xy);

  // The t-SNE repulsion on point i: z = sum_j w_ij and force = sum_j w_ij^2 (y_i - y_j) over all
  // j != i, with w = 1 / (1 + d^2), far cells summarised at their centre of mass.
  void repulsion(size_t i, double theta, double& z, double& force_x, double& force_y) const;

  size_t nodes() const { return nodes_.size(); }

 private:
  struct Node {
    double center_x, center_y, half;  // the square cell
    double mass_x = 0, mass_y = 0;    // centre of mass of its points
    uint32_t count = 0;
    int32_t first_child = -1;     // four consecutive nodes; -1 for a leaf
    uint32_t begin = 0, end = 0;  // a leaf's points: order_[begin, end)
  };
  void build(size_t node, uint32_t begin, uint32_t end, int depth);

  const std::vector<double>& xy_;
  std::vector<uint32_t> order_;
  std::vector<Node> nodes_;
};

}  // namespace embkit
