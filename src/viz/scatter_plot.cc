// The labelled word scatter: point marks (coloured by group, with a legend), labels placed without
// overlaps (viz/label_layout.h), axes with ticks, a title.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "embkit/data_error.h"
#include "embkit/error.h"
#include "embkit/scatter_plot.h"
#include "viz/axes.h"
#include "viz/canvas.h"
#include "viz/colormap.h"
#include "viz/label_layout.h"

namespace embkit {
namespace {

using viz::Box;
using viz::Canvas;

constexpr double kPointRadius = 3;
constexpr size_t kLegendMax = 20;
const viz::Rgb kLabelInk{0.1, 0.1, 0.1};
const viz::Rgb kLegendInk{0.15, 0.15, 0.15};
const viz::Rgb kPlainPoint{0.25, 0.42, 0.65};
const viz::Rgb kNoGroup{0.72, 0.72, 0.72};

std::string group_name(const ScatterOptions& options, int group) {
  if (group >= 0 && static_cast<size_t>(group) < options.group_names.size())
    return options.group_names[static_cast<size_t>(group)];
  return fmt::format("group {}", group);
}

// The group ids in use, ascending, without the negative "no group" id.
std::vector<int> distinct_groups(std::span<const int> groups) {
  std::vector<int> distinct;
  for (int g : groups)
    if (g >= 0) distinct.push_back(g);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  return distinct;
}

viz::Rgb point_color(std::span<const int> groups, const std::vector<int>& distinct, size_t i) {
  if (groups.empty()) return kPlainPoint;
  if (groups[i] < 0) return kNoGroup;
  auto at = std::lower_bound(distinct.begin(), distinct.end(), groups[i]);
  return viz::group_color(static_cast<size_t>(at - distinct.begin()));
}

// The legend column right of the frame; returns nothing, draws up to kLegendMax entries.
void draw_legend(Canvas& canvas, const ScatterOptions& options, const std::vector<int>& distinct,
                 bool ungrouped, double x, double y) {
  canvas.set_font(options.font_size);
  const double row = options.font_size * 1.6;
  auto entry = [&](size_t k, const viz::Rgb& color, const std::string& name) {
    canvas.set_color(color);
    cairo_arc(canvas.cr(), x + 5, y + row * k + row / 2, 4, 0, 2 * M_PI);
    cairo_fill(canvas.cr());
    canvas.set_color(kLegendInk);
    canvas.text(x + 14, y + row * k + row / 2, name, 0, 0.5);
  };
  const size_t shown = std::min(distinct.size(), kLegendMax);
  for (size_t k = 0; k < shown; ++k)
    entry(k, viz::group_color(k), group_name(options, distinct[k]));
  size_t next = shown;
  if (distinct.size() > kLegendMax) {
    canvas.set_color(kLegendInk);
    canvas.text(x, y + row * next++ + row / 2,
                fmt::format("+ {} more groups", distinct.size() - kLegendMax), 0, 0.5);
  }
  if (ungrouped) entry(next, kNoGroup, "no group");
}

double legend_width(Canvas& canvas, const ScatterOptions& options,
                    const std::vector<int>& distinct) {
  canvas.set_font(options.font_size);
  double widest =
      std::max(canvas.measure("+ 000 more groups").width, 14 + canvas.measure("no group").width);
  for (size_t k = 0; k < distinct.size() && k < kLegendMax; ++k)
    widest = std::max(widest, 14 + canvas.measure(group_name(options, distinct[k])).width);
  return widest + 20;
}

viz::Axes make_axes(std::span<const Point2> points, const Box& frame) {
  double x0 = points[0].x, x1 = x0, y0 = points[0].y, y1 = y0;
  for (const Point2& p : points) {
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  // Room for labels at the edges: 8% on each side before rounding out to ticks.
  const double px = (x1 - x0) * 0.08, py = (y1 - y0) * 0.08;
  x0 -= px, x1 += px, y0 -= py, y1 += py;
  viz::widen_to_ticks(x0, x1);
  viz::widen_to_ticks(y0, y1);
  return viz::Axes(frame, x0, x1, y0, y1);
}

}  // namespace

ScatterReport plot_scatter(const std::string& path, std::span<const Point2> points,
                           std::span<const std::string> labels, std::span<const int> groups,
                           const ScatterOptions& options) {
  if (points.empty()) throw UsageError("nothing to plot: no points");
  if (labels.size() != points.size() || (!groups.empty() && groups.size() != points.size()))
    throw UsageError("plot: points, labels and groups differ in number");
  for (const Point2& p : points)
    if (!std::isfinite(p.x) || !std::isfinite(p.y))
      throw DataError("plot: a coordinate is not finite");
  Canvas canvas(path, options.width, options.height, options.png_scale);
  const std::vector<int> distinct = groups.empty() ? std::vector<int>{} : distinct_groups(groups);
  const bool ungrouped = std::any_of(groups.begin(), groups.end(), [](int g) { return g < 0; });
  const double legend = groups.empty() ? 0 : legend_width(canvas, options, distinct);
  const Box frame{80, 50, options.width - 20 - legend, options.height - 60};
  const viz::Axes axes = make_axes(points, frame);
  cairo_t* cr = canvas.cr();

  canvas.set_font(options.font_size);
  std::vector<viz::LabelRequest> requests(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const viz::TextSize size = canvas.measure(labels[i]);
    requests[i] = {axes.to_x(points[i].x), axes.to_y(points[i].y), size.width, size.height};
  }
  viz::LabelLayoutOptions layout;
  layout.area = {frame.x0 + 1, frame.y0 + 1, frame.x1 - 1, frame.y1 - 1};
  layout.point_radius = kPointRadius;
  const std::vector<viz::LabelPlacement> placements = viz::place_labels(requests, layout);

  axes.draw(canvas, options.x_title, options.y_title);
  for (size_t i = 0; i < points.size(); ++i) {  // leader lines under the marks
    const viz::LabelPlacement& p = placements[i];
    if (!p.placed || !p.leader) continue;
    canvas.set_color({0.6, 0.6, 0.6});
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, requests[i].x, requests[i].y);
    cairo_line_to(cr, std::clamp(requests[i].x, p.box.x0, p.box.x1),
                  std::clamp(requests[i].y, p.box.y0, p.box.y1));
    cairo_stroke(cr);
  }
  for (size_t i = 0; i < points.size(); ++i) {
    canvas.set_color(point_color(groups, distinct, i), 0.85);
    cairo_arc(cr, requests[i].x, requests[i].y, kPointRadius, 0, 2 * M_PI);
    cairo_fill(cr);
  }
  ScatterReport report;
  std::string description = fmt::format("scatter of {} points; labels:", points.size());
  canvas.set_color(kLabelInk);
  for (size_t i = 0; i < points.size(); ++i) {
    const viz::LabelPlacement& p = placements[i];
    if (!p.placed) {
      ++report.labels_dropped;
      continue;
    }
    ++report.labels_placed;
    report.labels_moved += p.leader;
    report.labels_shrunk += p.scale < 1;
    canvas.set_font(options.font_size * p.scale);
    canvas.text(p.box.x0, p.box.y0, labels[i], 0, 0);
    description += "\n" + labels[i];
  }
  if (!groups.empty()) draw_legend(canvas, options, distinct, ungrouped, frame.x1 + 15, frame.y0);
  viz::draw_title(canvas, options.title, (frame.x0 + frame.x1) / 2, 15);
  canvas.set_description(description);
  canvas.commit();
  return report;
}

}  // namespace embkit
