// Per-dimension symmetric int8 quantization (embkit/quantize.h).
#include "embkit/quantize.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/threads.h"
#include "embkit/data_error.h"
#include "embkit/error.h"

namespace embkit {

int8_t quantize_value(float value, float scale) {
  const float code = std::round(value / scale);
  return static_cast<int8_t>(std::clamp(code, -127.0f, 127.0f));
}

std::vector<float> int8_scales(const Matrix& matrix, int threads) {
  const size_t rows = matrix.rows(), cols = matrix.cols();
  const int team = resolve_threads(threads);
  std::vector<std::vector<float>> partial(static_cast<size_t>(team), std::vector<float>(cols, 0));
  bool finite = true;
#pragma omp parallel num_threads(team) reduction(&& : finite)
  {
    std::vector<float>& peak = partial[static_cast<size_t>(omp_get_thread_num())];
#pragma omp for schedule(static)
    for (size_t i = 0; i < rows; ++i) {
      const float* row = matrix.row(i);
      for (size_t j = 0; j < cols; ++j) {
        finite = finite && std::isfinite(row[j]);
        peak[j] = std::max(peak[j], std::fabs(row[j]));
      }
    }
  }
  if (!finite) throw DataError("cannot quantize: the vectors hold a non-finite value");
  std::vector<float> scales(cols, 0.0f);
  for (const auto& peak : partial)
    for (size_t j = 0; j < cols; ++j) scales[j] = std::max(scales[j], peak[j]);
  // An all-zero column gets scale 1: its codes are 0 either way and the reader rejects scale 0.
  for (float& scale : scales) scale = scale > 0 ? scale / 127.0f : 1.0f;
  return scales;
}

Int8Matrix quantize_int8(const Matrix& matrix, int threads) {
  Int8Matrix codes(matrix.rows(), matrix.cols());
  codes.mutable_scales() = int8_scales(matrix, threads);
  const std::vector<float>& scales = codes.scales();
#pragma omp parallel for num_threads(resolve_threads(threads)) schedule(static)
  for (size_t i = 0; i < matrix.rows(); ++i) {
    const float* row = matrix.row(i);
    int8_t* out = codes.mutable_row(i);
    for (size_t j = 0; j < matrix.cols(); ++j) out[j] = quantize_value(row[j], scales[j]);
  }
  return codes;
}

Matrix dequantize(const Int8Matrix& codes, int threads) {
  Matrix matrix(codes.rows(), codes.cols());
  const std::vector<float>& scales = codes.scales();
#pragma omp parallel for num_threads(resolve_threads(threads)) schedule(static)
  for (size_t i = 0; i < codes.rows(); ++i) {
    const int8_t* row = codes.row(i);
    float* out = matrix.mutable_row(i);
    for (size_t j = 0; j < codes.cols(); ++j) out[j] = static_cast<float>(row[j]) * scales[j];
  }
  return matrix;
}

}  // namespace embkit
