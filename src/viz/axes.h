// Axes: a rectangular plot frame mapping data coordinates to drawing units, with "nice" ticks
// (1, 2 or 5 times a power of ten, about `target` of them) and axis titles.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "viz/canvas.h"

namespace embkit::viz {

struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // left, top, right, bottom (drawing units, y down)
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
};

bool overlaps(const Box& a, const Box& b);
bool contains(const Box& outer, const Box& inner);

// Tick values covering [low, high]: multiples of a step 1, 2 or 5 x 10^k giving about `target`.
std::vector<double> nice_ticks(double low, double high, int target = 6);
// The range widened outward to the ticks' step (so the extreme ticks sit on the frame).
void widen_to_ticks(double& low, double& high, int target = 6);

class Axes {
 public:
  Axes(Box frame, double x_low, double x_high, double y_low, double y_high);
  double to_x(double x) const;
  double to_y(double y) const;
  const Box& frame() const { return frame_; }

  // Frame, ticks with labels (formatted by `format`, default "{:g}"), axis titles.
  void draw(Canvas& canvas, const std::string& x_title, const std::string& y_title,
            const std::function<std::string(double)>& format_x = {},
            const std::function<std::string(double)>& format_y = {}) const;

 private:
  Box frame_;
  double x_low_, x_high_, y_low_, y_high_;
};

// A title centred above the frame.
void draw_title(Canvas& canvas, const std::string& title, double center_x, double y);

}  // namespace embkit::viz
