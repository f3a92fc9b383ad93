#include "query/query_vector.h"

#include <cmath>
#include <vector>

namespace embkit {

void unit_mean(const KeyedVectors& kv, std::span<const uint32_t> positive,
               std::span<const uint32_t> negative, float* out) {
  const size_t dim = kv.dim();
  std::vector<double> sum(dim, 0.0);
  std::vector<float> row(dim);
  // One unit row at a time: a query of a few words must not normalize the whole matrix.
  auto add = [&](uint32_t id, double weight) {
    kv.unit_row(id, row.data());
    for (size_t j = 0; j < dim; ++j) sum[j] += weight * row[j];
  };
  for (uint32_t id : positive) add(id, 1.0);
  for (uint32_t id : negative) add(id, -1.0);
  double squares = 0;
  for (double value : sum) squares += value * value;
  const double norm = std::sqrt(squares);
  for (size_t j = 0; j < dim; ++j) out[j] = norm > 0 ? static_cast<float>(sum[j] / norm) : 0.0f;
}

}  // namespace embkit
