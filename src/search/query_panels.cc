// Query packing for exact search (see query_panels.h).
#include "search/query_panels.h"

#include <algorithm>

namespace embkit {

QueryPanels::QueryPanels(const Matrix& queries, size_t first, size_t count, size_t lanes)
    : width_(2 * lanes) {
  size_t dim = queries.cols();
  size_t panel_count = (count + width_ - 1) / width_;
  storage_.assign(panel_count * width_ * dim, 0.0f);
  panels_.reserve(panel_count);
  for (size_t p = 0; p < panel_count; ++p) {
    size_t begin = p * width_;
    size_t valid = std::min(width_, count - begin);
    size_t vectors = valid <= lanes ? 1 : 2;
    size_t width = vectors * lanes;
    float* panel = storage_.data() + begin * dim;
    for (size_t lane = 0; lane < valid; ++lane) {
      const float* query = queries.row(first + begin + lane);
      for (size_t d = 0; d < dim; ++d) panel[d * width + lane] = query[d];
    }
    panels_.push_back({panel, vectors, begin, valid});
  }
}

}  // namespace embkit
