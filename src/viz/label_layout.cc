#include "viz/label_layout.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace embkit::viz {
namespace {

// Unit directions: right, left, above, below, and the four corners. (dx, dy) with y down.
constexpr double kDirections[8][2] = {{1, 0},  {-1, 0},  {0, -1}, {0, 1},
                                      {1, -1}, {-1, -1}, {1, 1},  {-1, 1}};

// The label box beside the point in direction (dx, dy) at `distance` from its centre.
Box candidate_box(const LabelRequest& label, double w, double h, const double* direction,
                  double distance) {
  const double dx = direction[0], dy = direction[1];
  const double left = dx > 0   ? label.x + distance
                      : dx < 0 ? label.x - distance - w
                               : label.x - w / 2;
  const double top = dy > 0   ? label.y + distance
                     : dy < 0 ? label.y - distance - h
                              : label.y - h / 2;
  return {left, top, left + w, top + h};
}

// A uniform grid over the plot area holding point marks and placed label boxes, so each test
// looks only at nearby items (thousands of points stay fast).
class Grid {
 public:
  Grid(const Box& area, double cell) : area_(area), cell_(cell) {
    columns_ = std::max<size_t>(1, static_cast<size_t>(std::ceil(area.width() / cell)));
    rows_ = std::max<size_t>(1, static_cast<size_t>(std::ceil(area.height() / cell)));
    cells_.resize(columns_ * rows_);
  }
  void add(const Box& box, size_t item) {
    visit(box, [&](std::vector<size_t>& cell) { cell.push_back(item); });
  }
  // Items whose box (looked up in `boxes`) overlaps `box`, each counted once.
  size_t count_overlaps(const Box& box, const std::vector<Box>& boxes, size_t skip, size_t limit) {
    size_t found = 0;
    ++stamp_;
    if (seen_.size() < boxes.size()) seen_.resize(boxes.size(), 0);
    visit(box, [&](std::vector<size_t>& cell) {
      for (size_t item : cell) {
        if (found >= limit || item == skip || seen_[item] == stamp_) continue;
        seen_[item] = stamp_;
        found += overlaps(box, boxes[item]);
      }
    });
    return found;
  }

 private:
  template <typename F>
  void visit(const Box& box, F&& f) {
    auto clamp_cell = [](double v, size_t n) {
      return static_cast<size_t>(std::clamp(v, 0.0, static_cast<double>(n - 1)));
    };
    const size_t c0 = clamp_cell(std::floor((box.x0 - area_.x0) / cell_), columns_);
    const size_t c1 = clamp_cell(std::floor((box.x1 - area_.x0) / cell_), columns_);
    const size_t r0 = clamp_cell(std::floor((box.y0 - area_.y0) / cell_), rows_);
    const size_t r1 = clamp_cell(std::floor((box.y1 - area_.y0) / cell_), rows_);
    for (size_t r = r0; r <= r1; ++r)
      for (size_t c = c0; c <= c1; ++c) f(cells_[r * columns_ + c]);
  }

  Box area_;
  double cell_;
  size_t columns_ = 1, rows_ = 1;
  std::vector<std::vector<size_t>> cells_;
  std::vector<size_t> seen_;
  size_t stamp_ = 0;
};

}  // namespace

std::vector<LabelPlacement> place_labels(std::span<const LabelRequest> labels,
                                         const LabelLayoutOptions& options) {
  const size_t n = labels.size();
  std::vector<LabelPlacement> result(n);
  const double r = options.point_radius;
  std::vector<Box> marks(n), boxes(n);
  Grid mark_grid(options.area, 24), label_grid(options.area, 24);
  for (size_t j = 0; j < n; ++j) {
    marks[j] = {labels[j].x - r, labels[j].y - r, labels[j].x + r, labels[j].y + r};
    mark_grid.add(marks[j], j);
  }
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  for (size_t i = 0; i < n; ++i) {
    LabelPlacement best;
    size_t best_cover = kNone;
    for (double scale : options.scales) {
      const double w = labels[i].width * scale, h = labels[i].height * scale;
      for (int ring = 0; ring < options.rings && best_cover > 0; ++ring) {
        const double distance = r + options.gap + ring * h * 0.8;
        for (const auto& direction : kDirections) {
          const Box box = candidate_box(labels[i], w, h, direction, distance);
          if (!contains(options.area, box) || label_grid.count_overlaps(box, boxes, kNone, 1) > 0)
            continue;
          const size_t cover = mark_grid.count_overlaps(box, marks, i, best_cover);
          if (cover < best_cover) {
            best_cover = cover;
            best = {true, scale, ring > 0, box};
            if (cover == 0) break;
          }
        }
      }
      if (best_cover == 0) break;
    }
    result[i] = best;
    if (best.placed) {
      boxes[i] = best.box;
      label_grid.add(best.box, i);
    }
  }
  return result;
}

}  // namespace embkit::viz
