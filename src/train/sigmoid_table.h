// Tabulated logistic sigmoid and softplus for the training kernels. Both are read by linear
// interpolation from 2048 points on [-8, 8] (error below 1e-6); beyond that range the sigmoid is
// clamped to its end values. The loss uses softplus(x) = log(1 + e^x) = max(x, 0) + log(1 + e^-|x|)
// with the second term tabulated on |x| in [0, 16] (and 0 beyond, where it is below 1.2e-7), so it
// is finite and accurate for every finite x: the negative-sampling loss of a pair with label y and
// score x is softplus(-x) when y = 1 and softplus(x) when y = 0.
#pragma once

#include <cmath>

namespace embkit::train {

struct SigmoidTable {
  static constexpr int kPoints = 2048;
  static constexpr float kRange = 8.0f;
  static constexpr float kSoftRange = 16.0f;
  float sigmoid_values[kPoints + 1];
  float softplus_tail[kPoints + 1];  // log(1 + e^-t) for t in [0, 16]

  SigmoidTable() {
    for (int i = 0; i <= kPoints; ++i) {
      double x = -kRange + 2.0 * kRange * i / kPoints;
      sigmoid_values[i] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
      double t = kSoftRange * i / kPoints;
      softplus_tail[i] = static_cast<float>(std::log1p(std::exp(-t)));
    }
  }

  float sigmoid(float x) const {
    float position = (x + kRange) * (kPoints / (2 * kRange));
    if (!(position > 0)) return sigmoid_values[0];  // also NaN, which callers filter earlier
    if (position >= kPoints) return sigmoid_values[kPoints];
    int i = static_cast<int>(position);
    float fraction = position - static_cast<float>(i);
    return sigmoid_values[i] + fraction * (sigmoid_values[i + 1] - sigmoid_values[i]);
  }

  float softplus(float x) const {
    float magnitude = std::fabs(x);
    float base = x > 0 ? x : 0.0f;
    float position = magnitude * (kPoints / kSoftRange);
    if (!(position < kPoints)) return base;
    int i = static_cast<int>(position);
    float fraction = position - static_cast<float>(i);
    return base + softplus_tail[i] + fraction * (softplus_tail[i + 1] - softplus_tail[i]);
  }
};

const SigmoidTable& sigmoid_table();

}  // namespace embkit::train
