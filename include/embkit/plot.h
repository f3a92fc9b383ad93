// Charts written as SVG or PNG (chosen by the output file's extension) through cairo: a labelled
// 2-D scatter of words (coordinates from t-SNE or PCA), a cosine-similarity heatmap, and a training
// loss curve. Every function draws the chart once and writes it atomically (temporary file,
// rename).
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

struct HeatmapOptions {
  std::string title = "cosine similarity";
  double png_scale = 2;
  size_t annotate_max = 15;  // print the value in each cell up to this many words
};

// values: n x n row-major (cosine similarities in [-1, 1]) for n = labels.size() >= 1.
void plot_heatmap(const std::string& path, std::span<const std::string> labels,
                  std::span<const double> values, const HeatmapOptions& options = {});

// A training loss log: x = words processed (word2vec) or updates (GloVe), one loss per row.
struct LossCurve {
  std::string x_name;  // the CSV's first column: "words" or "updates"
  std::vector<double> x, loss;
  std::vector<long> epoch;  // 0-based epoch of each row
};

// Reads the CSV that `embkit train --loss-log` writes (word2vec: words,epoch,fraction,lr,loss;
// GloVe: updates,epoch,fraction,loss). FormatError naming file:line for a bad line.
LossCurve read_loss_log(const std::string& path);

struct LossPlotOptions {
  std::string title = "training loss";
  double width = 900, height = 560;
  double png_scale = 2;
};
void plot_loss(const std::string& path, const LossCurve& curve,
               const LossPlotOptions& options = {});

}  // namespace embkit
