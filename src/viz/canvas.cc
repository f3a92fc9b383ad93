#include "viz/canvas.h"

#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "core/atomic_file.h"
#include "embkit/error.h"

namespace embkit::viz {
namespace {

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void check(cairo_status_t status, const std::string& path) {
  if (status != CAIRO_STATUS_SUCCESS)
    throw IoError("cannot draw '" + path + "': " + cairo_status_to_string(status));
}

// cairo keeps the fonts it has loaded (and fontconfig's patterns behind them) until exit; releasing
// them at exit keeps leak checkers quiet about memory that is not leaked.
void release_font_caches() {
  cairo_debug_reset_static_data();
  FcFini();
}

void release_font_caches_at_exit() {
  static const bool registered = [] { return std::atexit(release_font_caches) == 0; }();
  (void)registered;
}

}  // namespace

std::string extension_of(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

double text_width(std::string_view text, double font_size) {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  cairo_t* cr = cairo_create(surface);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, font_size);
  const std::string s(text);
  cairo_text_extents_t extents;
  cairo_text_extents(cr, s.c_str(), &extents);
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  return extents.x_advance;
}

Canvas::Canvas(std::string path, double width, double height, double png_scale)
    : path_(std::move(path)), width_(width), height_(height) {
  const std::string extension = extension_of(path_);
  if (extension != ".svg" && extension != ".png")
    throw UsageError("cannot tell the image format of '" + path_ + "': name it .svg or .png");
  svg_ = extension == ".svg";
  if (svg_) {
    surface_ = cairo_svg_surface_create_for_stream(append_bytes, &bytes_, width, height);
    cairo_svg_surface_set_document_unit(surface_, CAIRO_SVG_UNIT_PX);
  } else {
    surface_ =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, static_cast<int>(width * png_scale + 0.5),
                                   static_cast<int>(height * png_scale + 0.5));
  }
  check(cairo_surface_status(surface_), path_);
  release_font_caches_at_exit();
  cr_ = cairo_create(surface_);
  if (!svg_) cairo_scale(cr_, png_scale, png_scale);
  cairo_set_source_rgb(cr_, 1, 1, 1);
  cairo_paint(cr_);
  set_font(10);
}

Canvas::~Canvas() {
  if (cr_) cairo_destroy(cr_);
  if (surface_) cairo_surface_destroy(surface_);
}

void Canvas::set_color(const Rgb& c, double alpha) {
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, alpha);
}

void Canvas::set_font(double size, bool bold) {
  cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr_, size);
}

TextSize Canvas::measure(std::string_view text) {
  const std::string s(text);
  cairo_text_extents_t extents;
  cairo_font_extents_t font;
  cairo_text_extents(cr_, s.c_str(), &extents);
  cairo_font_extents(cr_, &font);
  return {extents.x_advance, font.ascent + font.descent};
}

void Canvas::text(double x, double y, std::string_view text, double align_x, double align_y,
                  double angle) {
  const std::string s(text);
  cairo_font_extents_t font;
  cairo_font_extents(cr_, &font);
  const TextSize size = measure(text);
  cairo_save(cr_);
  cairo_translate(cr_, x, y);
  cairo_rotate(cr_, -angle);
  cairo_move_to(cr_, -align_x * size.width, -align_y * size.height + font.ascent);
  cairo_show_text(cr_, s.c_str());
  cairo_restore(cr_);
  cairo_new_path(cr_);  // show_text leaves a current point; a following arc would join it
}

void Canvas::commit() {
  cairo_destroy(cr_);
  cr_ = nullptr;
  if (svg_) {
    cairo_surface_finish(surface_);
    check(cairo_surface_status(surface_), path_);
    if (!description_.empty()) {
      const size_t svg_tag = bytes_.find("<svg");
      const size_t tag_end = svg_tag == std::string::npos ? svg_tag : bytes_.find('>', svg_tag);
      if (tag_end != std::string::npos)
        bytes_.insert(tag_end + 1, "\n<desc>" + xml_escape(description_) + "</desc>");
    }
  } else {
    cairo_surface_flush(surface_);
    check(cairo_surface_write_to_png_stream(surface_, append_bytes, &bytes_), path_);
  }
  AtomicFile file(path_);
  file.write(bytes_);
  file.commit();
}

}  // namespace embkit::viz
