#include "viz/axes.h"

#include <fmt/format.h>

#include <cmath>

namespace embkit::viz {

bool overlaps(const Box& a, const Box& b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

bool contains(const Box& outer, const Box& inner) {
  return inner.x0 >= outer.x0 && inner.x1 <= outer.x1 && inner.y0 >= outer.y0 &&
         inner.y1 <= outer.y1;
}

namespace {
double tick_step(double low, double high, int target) {
  const double span = high > low ? high - low : std::max(1.0, std::abs(low));
  const double raw = span / std::max(1, target);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  // The step among 1, 2, 5, 10 x 10^k whose tick count comes closest to the target.
  double best = power;
  for (double m : {2.0, 5.0, 10.0})
    if (std::abs(span / (m * power) - target) < std::abs(span / best - target)) best = m * power;
  return best;
}
}  // namespace

std::vector<double> nice_ticks(double low, double high, int target) {
  const double step = tick_step(low, high, target);
  std::vector<double> ticks;
  for (double k = std::ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k += 1)
    // k * step carries float noise (-0.8000000000000002); 12 significant digits remove it.
    ticks.push_back(std::abs(k) < 1e-12 ? 0.0 : std::stod(fmt::format("{:.12g}", k * step)));
  return ticks;
}

void widen_to_ticks(double& low, double& high, int target) {
  if (!(high > low)) {
    const double pad = std::max(1.0, std::abs(low)) * 0.5;
    low -= pad, high += pad;
  }
  const double step = tick_step(low, high, target);
  low = std::floor(low / step + 1e-9) * step;
  high = std::ceil(high / step - 1e-9) * step;
}

Axes::Axes(Box frame, double x_low, double x_high, double y_low, double y_high)
    : frame_(frame), x_low_(x_low), x_high_(x_high), y_low_(y_low), y_high_(y_high) {}

double Axes::to_x(double x) const {
  return frame_.x0 + (x - x_low_) / (x_high_ - x_low_) * frame_.width();
}

double Axes::to_y(double y) const {
  return frame_.y1 - (y - y_low_) / (y_high_ - y_low_) * frame_.height();
}

void Axes::draw(Canvas& canvas, const std::string& x_title, const std::string& y_title,
                const std::function<std::string(double)>& format_x,
                const std::function<std::string(double)>& format_y) const {
  cairo_t* cr = canvas.cr();
  const auto plain = [](double v) { return fmt::format("{:g}", v); };
  const Rgb ink{0.2, 0.2, 0.2};
  canvas.set_color(ink);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, frame_.x0, frame_.y0, frame_.width(), frame_.height());
  cairo_stroke(cr);
  canvas.set_font(10);
  constexpr double kTick = 5;
  for (double t : nice_ticks(x_low_, x_high_)) {
    const double x = to_x(t);
    cairo_move_to(cr, x, frame_.y1);
    cairo_line_to(cr, x, frame_.y1 + kTick);
    cairo_stroke(cr);
    canvas.text(x, frame_.y1 + kTick + 2, format_x ? format_x(t) : plain(t), 0.5, 0);
  }
  double widest = 0;
  for (double t : nice_ticks(y_low_, y_high_)) {
    const double y = to_y(t);
    cairo_move_to(cr, frame_.x0 - kTick, y);
    cairo_line_to(cr, frame_.x0, y);
    cairo_stroke(cr);
    const std::string label = format_y ? format_y(t) : plain(t);
    widest = std::max(widest, canvas.measure(label).width);
    canvas.text(frame_.x0 - kTick - 2, y, label, 1, 0.5);
  }
  canvas.set_font(12);
  canvas.text((frame_.x0 + frame_.x1) / 2, frame_.y1 + kTick + 20, x_title, 0.5, 0);
  canvas.text(frame_.x0 - kTick - widest - 10, (frame_.y0 + frame_.y1) / 2, y_title, 0.5, 1,
              M_PI / 2);
}

void draw_title(Canvas& canvas, const std::string& title, double center_x, double y) {
  canvas.set_color({0, 0, 0});
  canvas.set_font(15, true);
  canvas.text(center_x, y, title, 0.5, 0);
}

}  // namespace embkit::viz
