// NearestCentroid: k-means' assignment step. The rows are packed once into the exact-search
// engine's query panels (search/query_panels.h); every assignment then streams the centroids past
// each panel with the register-tile kernel (kernels/kernel_table.h), scoring x.c - |c|^2/2 (the
// largest score is the smallest |x - c|^2 = |x|^2 - 2 x.c + |c|^2), and keeps each row's best
// centroid in a small per-panel array instead of going through top-k lists. Each score is one
// multiply-add chain over the dimensions, centroids are met in increasing order and only a strictly
// larger score wins, so ties go to the lowest centroid and the result does not depend on the thread
// count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "embkit/matrix.h"
#include "search/query_panels.h"

namespace embkit {

class NearestCentroid {
 public:
  // `rows` must outlive this object.
  NearestCentroid(const Matrix& rows, size_t threads);

  // labels[i] = the centroid nearest to row i; distances[i] = its exact squared distance.
  void assign(const Matrix& centroids, std::vector<uint32_t>& labels,
              std::vector<float>& distances) const;

 private:
  const Matrix& rows_;
  size_t threads_;
  QueryPanels panels_;
};

}  // namespace embkit
