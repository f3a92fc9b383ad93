#include "train/sigmoid_table.h"

namespace embkit::train {

const SigmoidTable& sigmoid_table() {
  static const SigmoidTable table;
  return table;
}

}  // namespace embkit::train
