// NearestCentroid (nearest_centroid.h): the hot loop of k-means' assignment step.
#include "geometry/nearest_centroid.h"

#include <algorithm>
#include <limits>

#include "kernels/kernel_table.h"

namespace embkit {
namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();

// Best centroid of every lane of one panel: all centroids in tiles of kernels.tile_rows, in order.
void assign_panel(const kernels::KernelTable& kernels, const QueryPanel& panel,
                  const Matrix& centroids, const std::vector<float>& half_norms, float* best_score,
                  uint32_t* best_centroid, float* tile_scores) {
  const size_t width = panel.vectors * kernels.query_lanes;
  const float* tile_rows[kernels::kMaxTileRows];
  kernels::ScoreTile tile;
  tile.panel = panel.data;
  tile.panel_vectors = panel.vectors;
  tile.rows = tile_rows;
  tile.dim = centroids.cols();
  tile.thresholds = best_score;
  tile.out = tile_scores;
  for (size_t first = 0; first < centroids.rows(); first += kernels.tile_rows) {
    const size_t count = std::min(kernels.tile_rows, centroids.rows() - first);
    // A short tile repeats its first centroid; those extra scores are ignored.
    for (size_t r = 0; r < kernels.tile_rows; ++r)
      tile_rows[r] = centroids.row(r < count ? first + r : first);
    tile.row_offset = half_norms.data() + first;
    if (!kernels.score_tile(tile)) continue;
    for (size_t r = 0; r < count; ++r)
      for (size_t lane = 0; lane < panel.queries; ++lane) {
        const float score = tile_scores[r * width + lane];
        if (score > best_score[lane]) {
          best_score[lane] = score;
          best_centroid[lane] = static_cast<uint32_t>(first + r);
        }
      }
  }
}

}  // namespace

NearestCentroid::NearestCentroid(const Matrix& rows, size_t threads)
    : rows_(rows),
      threads_(std::max<size_t>(1, threads)),
      panels_(rows, 0, rows.rows(), kernels::active_kernels().query_lanes) {}

void NearestCentroid::assign(const Matrix& centroids, std::vector<uint32_t>& labels,
                             std::vector<float>& distances) const {
  const kernels::KernelTable& kernels = kernels::active_kernels();
  std::vector<float> half_norms(centroids.rows() + kernels::kMaxTileRows, 0.0f);
  for (size_t c = 0; c < centroids.rows(); ++c)
    half_norms[c] = static_cast<float>(kernels.sum_squares(centroids.row(c), centroids.cols()) / 2);
  labels.assign(rows_.rows(), 0);
  distances.assign(rows_.rows(), 0.0f);
  const size_t width = panels_.width();
#pragma omp parallel num_threads(static_cast <int>(threads_))
  {
    std::vector<float> best_score(width),
        tile_scores(kernels::kMaxTileRows * kernels::kMaxPanelWidth);
    std::vector<uint32_t> best_centroid(width);
#pragma omp for schedule(dynamic, 16)
    for (size_t p = 0; p < panels_.size(); ++p) {
      const QueryPanel& panel = panels_[p];
      // Padded lanes never win: their threshold is +infinity.
      std::fill(best_score.begin(), best_score.end(), kInfinity);
      std::fill_n(best_score.begin(), panel.queries, -kInfinity);
      std::fill(best_centroid.begin(), best_centroid.end(), 0u);
      assign_panel(kernels, panel, centroids, half_norms, best_score.data(), best_centroid.data(),
                   tile_scores.data());
      for (size_t lane = 0; lane < panel.queries; ++lane) {
        const size_t row = panel.first_query + lane;
        labels[row] = best_centroid[lane];
        distances[row] =
            kernels.squared_l2(rows_.row(row), centroids.row(best_centroid[lane]), rows_.cols());
      }
    }
  }
}

}  // namespace embkit
