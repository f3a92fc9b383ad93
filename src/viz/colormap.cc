#include "viz/colormap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace embkit::viz {
namespace {

constexpr std::array<ColorStop, 9> kDiverging = {{
    {-1.00, {0.13, 0.25, 0.60}},
    {-0.75, {0.25, 0.45, 0.75}},
    {-0.50, {0.50, 0.68, 0.86}},
    {-0.25, {0.80, 0.88, 0.95}},
    {0.00, {0.97, 0.97, 0.97}},
    {0.25, {0.97, 0.84, 0.76}},
    {0.50, {0.92, 0.60, 0.48}},
    {0.75, {0.80, 0.32, 0.25}},
    {1.00, {0.60, 0.08, 0.13}},
}};

constexpr std::array<Rgb, kGroupColors> kGroups = {{
    {0.12, 0.47, 0.71},
    {1.00, 0.50, 0.05},
    {0.17, 0.63, 0.17},
    {0.84, 0.15, 0.16},
    {0.58, 0.40, 0.74},
    {0.55, 0.34, 0.29},
    {0.89, 0.47, 0.76},
    {0.45, 0.45, 0.45},
    {0.74, 0.74, 0.13},
    {0.09, 0.75, 0.81},
}};

}  // namespace

std::span<const ColorStop> diverging_stops() { return kDiverging; }

Rgb diverging_color(double value) {
  if (std::isnan(value)) return {0.6, 0.6, 0.6};
  value = std::clamp(value, -1.0, 1.0);
  for (size_t k = 1; k < kDiverging.size(); ++k) {
    if (value <= kDiverging[k].value) {
      const ColorStop &a = kDiverging[k - 1], &b = kDiverging[k];
      const double t = (value - a.value) / (b.value - a.value);
      return {a.color.r + t * (b.color.r - a.color.r), a.color.g + t * (b.color.g - a.color.g),
              a.color.b + t * (b.color.b - a.color.b)};
    }
  }
  return kDiverging.back().color;
}

Rgb group_color(size_t group) { return kGroups[group % kGroups.size()]; }

}  // namespace embkit::viz
