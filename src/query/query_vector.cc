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

void unit_word_vector(const KeyedVectors& kv, std::string_view word, float* out) {
  if (auto id = kv.vocab().find(word)) {
    kv.unit_row(*id, out);
    return;
  }
  std::vector<float> vector = kv.word_vector(word);  // throws KeyError
  double squares = 0;
  for (float value : vector) squares += double(value) * value;
  const double norm = std::sqrt(squares);
  for (size_t j = 0; j < vector.size(); ++j)
    out[j] = norm > 0 ? static_cast<float>(vector[j] / norm) : 0.0f;
}

void unit_mean_of_words(const KeyedVectors& kv, const std::vector<std::string>& positive,
                        const std::vector<std::string>& negative, float* out) {
  const size_t dim = kv.dim();
  std::vector<double> sum(dim, 0.0);
  std::vector<float> row(dim);
  auto add = [&](const std::string& word, double weight) {
    unit_word_vector(kv, word, row.data());
    for (size_t j = 0; j < dim; ++j) sum[j] += weight * row[j];
  };
  for (const std::string& word : positive) add(word, 1.0);
  for (const std::string& word : negative) add(word, -1.0);
  double squares = 0;
  for (double value : sum) squares += value * value;
  const double norm = std::sqrt(squares);
  for (size_t j = 0; j < dim; ++j) out[j] = norm > 0 ? static_cast<float>(sum[j] / norm) : 0.0f;
}

}  // namespace embkit
