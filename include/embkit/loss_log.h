// The training loss logs that `embkit train --loss-log` writes, read back for plotting.
#pragma once

#include <string>
#include <vector>

namespace embkit {

// A training loss log: x = words processed (word2vec) or updates (GloVe), one loss per row.
struct LossCurve {
  std::string x_name;  // the CSV's first column: "words" or "updates"
  std::vector<double> x, loss;
  std::vector<long> epoch;  // 0-based epoch of each row
};

// Reads the CSV that `embkit train --loss-log` writes (word2vec: words,epoch,fraction,lr,loss;
// GloVe: updates,epoch,fraction,loss). FormatError naming file:line for a bad line.
LossCurve read_loss_log(const std::string& path);

}  // namespace embkit
