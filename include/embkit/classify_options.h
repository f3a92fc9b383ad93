// The option tables of `classify train` (selector "loss": softmax, hs, ns, ova) and `classify
// quantize`, bound to ClassifierOptions and QuantizeOptions (embkit/classifier.h) the way the other
// commands' tables are bound (embkit/options.h): the CLI flags, the keyword arguments of
// embkit.classify.train() / Classifier.quantize() and their JSON form come from them.
#pragma once

#include <string>

#include "embkit/classifier.h"
#include "embkit/options.h"

namespace embkit {

// Everything `classify train` can be told; a default-constructed one holds the defaults.
struct ClassifySettings {
  std::string loss = "softmax";
  ClassifierOptions options;
};
const OptionTable& classify_option_table();
// Sets the checked `values` (the loss among them, when given) into `settings`.
void apply_classify_options(const OptionValues& values, ClassifySettings& settings);

// `classify quantize`: one unnamed algorithm, "".
const OptionTable& classify_quantize_option_table();
void apply_classify_quantize_options(const OptionValues& values, QuantizeOptions& options);

}  // namespace embkit
