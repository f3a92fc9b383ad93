// The loss curve: loss against words processed (word2vec) or updates (GloVe), with dashed lines
// where a new epoch starts.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "embkit/error.h"
#include "embkit/loss_plot.h"
#include "viz/axes.h"
#include "viz/canvas.h"

namespace embkit {
namespace {

// Tick labels on the x axis: 500, 250k, 1.5M, 2G.
std::string short_count(double v) {
  const double a = std::abs(v);
  if (a >= 1e9) return fmt::format("{:g}G", v / 1e9);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e3) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", v);
}

}  // namespace

void plot_loss(const std::string& path, const LossCurve& curve, const LossPlotOptions& options) {
  const size_t n = curve.x.size();
  if (n == 0 || curve.loss.size() != n) throw UsageError("nothing to plot: no loss values");
  viz::Canvas canvas(path, options.width, options.height, options.png_scale);
  cairo_t* cr = canvas.cr();
  double x0 = std::min(0.0, *std::min_element(curve.x.begin(), curve.x.end()));
  double x1 = *std::max_element(curve.x.begin(), curve.x.end());
  double y0 = *std::min_element(curve.loss.begin(), curve.loss.end());
  double y1 = *std::max_element(curve.loss.begin(), curve.loss.end());
  viz::widen_to_ticks(x0, x1);
  viz::widen_to_ticks(y0, y1);
  const viz::Box frame{80, 50, options.width - 30, options.height - 60};
  const viz::Axes axes(frame, x0, x1, y0, y1);
  const std::string x_title =
      curve.x_name == "words" ? "words processed" : "updates (co-occurrence entries)";
  axes.draw(canvas, x_title, "loss", short_count);
  canvas.set_font(9);
  cairo_set_line_width(cr, 0.8);
  const double dashes[] = {4, 3};
  for (size_t i = 1; i < n; ++i) {
    if (curve.epoch.size() != n || curve.epoch[i] == curve.epoch[i - 1]) continue;
    const double x = axes.to_x((curve.x[i - 1] + curve.x[i]) / 2);
    canvas.set_color({0.55, 0.55, 0.55});
    cairo_set_dash(cr, dashes, 2, 0);
    cairo_move_to(cr, x, frame.y0);
    cairo_line_to(cr, x, frame.y1);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    canvas.text(x + 3, frame.y0 + 3, fmt::format("epoch {}", curve.epoch[i] + 1), 0, 0);
  }
  canvas.set_color({0.16, 0.38, 0.68});
  cairo_set_line_width(cr, 1.8);
  cairo_new_path(cr);  // text drawing leaves a current point; the curve must not start there
  for (size_t i = 0; i < n; ++i) cairo_line_to(cr, axes.to_x(curve.x[i]), axes.to_y(curve.loss[i]));
  cairo_stroke(cr);
  if (n <= 200)
    for (size_t i = 0; i < n; ++i) {
      cairo_arc(cr, axes.to_x(curve.x[i]), axes.to_y(curve.loss[i]), 2.5, 0, 2 * M_PI);
      cairo_fill(cr);
    }
  viz::draw_title(canvas, options.title, (frame.x0 + frame.x1) / 2, 15);
  canvas.commit();
}

}  // namespace embkit
