// Label placement for scatter plots: a greedy pass in priority order (first label first). Each
// label tries eight positions around its point (right, left, above, below, then the corners), on
// rings moving outward (nudged further from the point, with a leader line), then at smaller font
// scales. A position is taken only when it stays inside the plot area and overlaps no label placed
// before; among those, the first one covering no other point mark wins, else the one covering the
// fewest. Labels with no free position are dropped. No two placed boxes overlap, by construction.
#pragma once

#include <span>
#include <vector>

#include "viz/axes.h"

namespace embkit::viz {

struct LabelRequest {
  double x = 0, y = 0;           // the point (drawing units)
  double width = 0, height = 0;  // the label's box at scale 1
};

struct LabelPlacement {
  bool placed = false;
  double scale = 1;     // font scale used (1 = full size)
  bool leader = false;  // moved away from the point: draw a line from the point to the box
  Box box;
};

struct LabelLayoutOptions {
  Box area;                 // boxes must stay inside
  double point_radius = 3;  // point marks are obstacles of this radius
  double gap = 2;           // between the mark and the label
  std::vector<double> scales = {1.0, 0.85, 0.7};
  int rings = 4;  // positions per direction, each one label height further out
};

std::vector<LabelPlacement> place_labels(std::span<const LabelRequest> labels,
                                         const LabelLayoutOptions& options);

}  // namespace embkit::viz
