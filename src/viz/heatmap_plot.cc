// The similarity heatmap: an n x n grid of cells coloured by a diverging map over [-1, 1], word
// labels on the rows and (rotated) columns, a colour bar with ticks, and the values printed in the
// cells when the matrix is small enough to read them.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "embkit/error.h"
#include "embkit/heatmap_plot.h"
#include "viz/axes.h"
#include "viz/canvas.h"
#include "viz/colormap.h"

namespace embkit {
namespace {

using viz::Canvas;

// A vertical bar from -1 (bottom) to 1 (top) filled with the colormap's stops as a gradient.
void draw_color_bar(Canvas& canvas, double x, double top, double height) {
  cairo_t* cr = canvas.cr();
  constexpr double kWidth = 16;
  cairo_pattern_t* gradient = cairo_pattern_create_linear(0, top + height, 0, top);
  for (const viz::ColorStop& stop : viz::diverging_stops())
    cairo_pattern_add_color_stop_rgb(gradient, (stop.value + 1) / 2, stop.color.r, stop.color.g,
                                     stop.color.b);
  cairo_rectangle(cr, x, top, kWidth, height);
  cairo_set_source(cr, gradient);
  cairo_fill(cr);
  cairo_pattern_destroy(gradient);
  canvas.set_color({0.2, 0.2, 0.2});
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, x, top, kWidth, height);
  cairo_stroke(cr);
  canvas.set_font(10);
  for (double t : {-1.0, -0.5, 0.0, 0.5, 1.0}) {
    const double y = top + height * (1 - t) / 2;
    cairo_move_to(cr, x + kWidth, y);
    cairo_line_to(cr, x + kWidth + 4, y);
    cairo_stroke(cr);
    canvas.text(x + kWidth + 6, y, fmt::format("{:g}", t), 0, 0.5);
  }
}

// Luminance decides between dark and light text on a cell.
viz::Rgb ink_on(const viz::Rgb& fill) {
  const double luminance = 0.299 * fill.r + 0.587 * fill.g + 0.114 * fill.b;
  return luminance < 0.55 ? viz::Rgb{1, 1, 1} : viz::Rgb{0.1, 0.1, 0.1};
}

}  // namespace

void plot_heatmap(const std::string& path, std::span<const std::string> labels,
                  std::span<const double> values, const HeatmapOptions& options) {
  const size_t n = labels.size();
  if (n == 0) throw UsageError("nothing to plot: no words");
  if (values.size() != n * n) throw UsageError("heatmap: values are not labels x labels");
  const double cell = n <= 15 ? 44 : std::max(10.0, 640.0 / static_cast<double>(n));
  const double font = std::min(11.0, cell * 0.8);
  double widest = 0;
  for (const std::string& label : labels) widest = std::max(widest, viz::text_width(label, font));
  const double left = widest + 20, top = 50, grid = cell * static_cast<double>(n);
  const double width = std::max(left + grid + 90, 320.0), height = top + grid + widest + 30;
  Canvas canvas(path, width, height, options.png_scale);
  cairo_t* cr = canvas.cr();
  for (size_t r = 0; r < n; ++r)
    for (size_t c = 0; c < n; ++c) {
      const viz::Rgb fill = viz::diverging_color(values[r * n + c]);
      canvas.set_color(fill);
      cairo_rectangle(cr, left + c * cell, top + r * cell, cell, cell);
      cairo_fill(cr);
    }
  if (n <= options.annotate_max) {
    canvas.set_font(std::min(11.0, cell / 4));
    for (size_t r = 0; r < n; ++r)
      for (size_t c = 0; c < n; ++c) {
        const double v = values[r * n + c];
        canvas.set_color(ink_on(viz::diverging_color(v)));
        canvas.text(left + (c + 0.5) * cell, top + (r + 0.5) * cell, fmt::format("{:.2f}", v), 0.5,
                    0.5);
      }
  }
  canvas.set_color({0.1, 0.1, 0.1});
  canvas.set_font(font);
  std::string description = fmt::format("heatmap of {} words:", n);
  for (size_t k = 0; k < n; ++k) {
    canvas.text(left - 6, top + (k + 0.5) * cell, labels[k], 1, 0.5);
    canvas.text(left + (k + 0.5) * cell, top + grid + 6, labels[k], 1, 0.5, M_PI / 2);
    description += "\n" + labels[k];
  }
  draw_color_bar(canvas, left + grid + 20, top, grid);
  viz::draw_title(canvas, options.title, width / 2, 15);
  canvas.set_description(description);
  canvas.commit();
}

}  // namespace embkit
