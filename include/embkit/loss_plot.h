// A training loss curve written as SVG or PNG (by the output file's extension) through cairo,
// atomically.
#pragma once

#include <string>

#include "embkit/loss_log.h"

namespace embkit {

struct LossPlotOptions {
  std::string title = "training loss";
  double width = 900, height = 560;
  double png_scale = 2;
};
void plot_loss(const std::string& path, const LossCurve& curve,
               const LossPlotOptions& options = {});

}  // namespace embkit
