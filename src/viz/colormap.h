// Colours for charts: a diverging map for values in [-1, 1] (blue - near white - red, defined as a
// small table and interpolated linearly) and a categorical palette for groups.
#pragma once

#include <cstddef>
#include <span>

#include "viz/canvas.h"

namespace embkit::viz {

struct ColorStop {
  double value;
  Rgb color;
};

// The table behind diverging_color(): stops at increasing values from -1 to 1.
std::span<const ColorStop> diverging_stops();
// Linear interpolation in the table; values outside [-1, 1] are clamped, NaN is grey.
Rgb diverging_color(double value);
// Ten distinct colours, repeating for more groups.
Rgb group_color(size_t group);
constexpr size_t kGroupColors = 10;

}  // namespace embkit::viz
