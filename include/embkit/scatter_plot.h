// A labelled 2-D scatter of words (coordinates from t-SNE or PCA) written as SVG or PNG (by the
// output file's extension) through cairo, atomically (temporary file, rename).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace embkit {

struct Point2 {
  double x = 0, y = 0;
};

struct ScatterOptions {
  std::string title;
  std::string x_title = "dimension 1", y_title = "dimension 2";
  double width = 1000, height = 800;  // drawing units (SVG px); PNG has png_scale pixels per unit
  double png_scale = 2;               // 192 dpi for a 96 dpi drawing unit
  double font_size = 10;
  std::vector<std::string> group_names;  // legend entries, index = group id (empty: "group N")
};

struct ScatterReport {
  size_t labels_placed = 0;   // drawn (at any size or distance)
  size_t labels_moved = 0;    // pushed away from the point (a leader line joins them)
  size_t labels_shrunk = 0;   // drawn at a smaller size to fit
  size_t labels_dropped = 0;  // no free room: the point is drawn without its label
};

// points[i] labelled labels[i]; groups empty or one group id per point (colour + legend; a negative
// id means "no group": grey, one legend entry). Labels
// earlier in the list win the room when they compete (pass words by frequency). UsageError when the
// sizes differ or there are no points.
ScatterReport plot_scatter(const std::string& path, std::span<const Point2> points,
                           std::span<const std::string> labels, std::span<const int> groups,
                           const ScatterOptions& options = {});

}  // namespace embkit
