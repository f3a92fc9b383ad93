// Queries repacked for the exact-search micro-kernel: a run of queries is cut into panels of up to
// two vector registers' worth of queries (2 x 16 with AVX-512), and each panel is stored dimension
// by dimension, panel[d * width + lane] = coordinate d of the panel's query `lane`, so the kernel
// loads one coordinate of every query in the panel with one or two vector loads. Missing lanes of
// the last panel are zero (the caller gives them an infinite threshold so they never report a hit).
#pragma once

#include <cstddef>
#include <vector>

#include "embkit/matrix.h"

namespace embkit {

struct QueryPanel {
  const float* data;
  size_t vectors;      // vector registers per dimension (1 or 2)
  size_t first_query;  // index, relative to the packed run, of lane 0
  size_t queries;      // valid lanes
};

class QueryPanels {
 public:
  // Packs queries [first, first + count) of `queries` for registers of `lanes` floats.
  QueryPanels(const Matrix& queries, size_t first, size_t count, size_t lanes);

  size_t size() const { return panels_.size(); }
  const QueryPanel& operator[](size_t p) const { return panels_[p]; }
  // Lanes of a full panel; panel p starts at query p * width().
  size_t width() const { return width_; }

 private:
  size_t width_;
  std::vector<float> storage_;
  std::vector<QueryPanel> panels_;
};

}  // namespace embkit
