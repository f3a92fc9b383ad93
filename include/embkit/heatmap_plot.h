// A cosine-similarity heatmap written as SVG or PNG (by the output file's extension) through cairo,
// atomically.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace embkit {

struct HeatmapOptions {
  std::string title = "cosine similarity";
  double png_scale = 2;
  size_t annotate_max = 15;  // print the value in each cell up to this many words
};

// values: n x n row-major (cosine similarities in [-1, 1]) for n = labels.size() >= 1.
void plot_heatmap(const std::string& path, std::span<const std::string> labels,
                  std::span<const double> values, const HeatmapOptions& options = {});

}  // namespace embkit
