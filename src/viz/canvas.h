// Canvas: one cairo drawing surface that becomes FILE.svg (vector, text as glyph outlines) or
// FILE.png (raster at `png_scale` pixels per drawing unit), chosen by the file's extension, so
// every chart is drawn once. The bytes are collected in memory and written atomically on commit().
#pragma once

#include <cairo.h>

#include <string>
#include <string_view>

namespace embkit::viz {

struct Rgb {
  double r = 0, g = 0, b = 0;
};

struct TextSize {
  double width = 0, height = 0;  // logical box: advance width x (ascent + descent)
};

class Canvas {
 public:
  // width x height drawing units (SVG px). UsageError unless the path ends in .svg or .png.
  Canvas(std::string path, double width, double height, double png_scale = 2.0);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  cairo_t* cr() { return cr_; }
  double width() const { return width_; }
  double height() const { return height_; }
  bool is_svg() const { return svg_; }

  // A <desc> element placed at the top of an SVG (ignored for PNG): the labels as text, so the
  // words stay searchable although cairo draws them as outlines.
  void set_description(std::string text) { description_ = std::move(text); }

  void set_color(const Rgb& c, double alpha = 1.0);
  void set_font(double size, bool bold = false);
  TextSize measure(std::string_view text);
  // Draws text with its logical box aligned at (x, y): align_x 0 = left, 0.5 = centre, 1 = right;
  // align_y likewise from top to bottom; `angle` in radians, counter-clockwise, about (x, y).
  void text(double x, double y, std::string_view text, double align_x, double align_y,
            double angle = 0);

  // Finishes the surface and writes the file (temporary file, then rename).
  void commit();

 private:
  std::string path_;
  double width_, height_;
  bool svg_;
  std::string bytes_;
  std::string description_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
};

// The width of `text` in DejaVu Sans at `font_size`, for sizing a canvas before creating it.
double text_width(std::string_view text, double font_size);

// Lowercase extension of a path, with the dot (".svg").
std::string extension_of(const std::string& path);

}  // namespace embkit::viz
