// Product quantization of matrix rows (Jégou et al. 2011) in fastText's layout
// (embkit/fasttext_model.h ProductQuantizer): each row is cut into sub-vectors of `dsub`
// dimensions (the last one shorter when dsub does not divide the dimension), and each sub-vector
// is replaced by the index of the nearest of 256 centroids learnt by k-means on a sample of rows.
#pragma once

#include <cstdint>
#include <vector>

#include "embkit/fasttext_model.h"
#include "embkit/matrix.h"

namespace embkit::supervised {

struct ProductQuantizerSettings {
  uint32_t dsub = 2;
  uint32_t iterations = 25;
  size_t points_per_centroid = 64;  // k-means sample: at most 256 x this many rows
  uint64_t seed = 1;
  int threads = 0;
};

// Learns the quantizer of `rows` (all of them, rows.cols() dimensions) and encodes every row:
// matrix.codes gets rows x nsubq bytes. Sub-quantizers are learnt in parallel, each from its own
// seeded stream, so the result does not depend on the thread count.
void product_quantize(const Matrix& rows, const ProductQuantizerSettings& settings, FastTextMatrix& out);

// The same for one value per row (the row norms of qnorm): a quantizer of dimension 1.
void quantize_values(const std::vector<float>& values, const ProductQuantizerSettings& settings,
                     ProductQuantizer& pq, std::vector<uint8_t>& codes);

}  // namespace embkit::supervised
