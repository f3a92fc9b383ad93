// The options of `classify train` and `classify quantize` (embkit/classify_options.h), bound to
// ClassifierOptions and QuantizeOptions, whose member initializers hold the defaults (fastText's
// supervised defaults: lr 0.1, dim 100, 5 epochs, min_count 1, no word or character n-grams).
#include "embkit/classify_options.h"

#include "options/option_binding.h"

namespace embkit {
namespace {

using options::bind;

OptionSpec spec(std::string name, OptionType type, std::string help,
                std::vector<std::string> algorithms = {},
                double min = -std::numeric_limits<double>::infinity(),
                double max = std::numeric_limits<double>::infinity(),
                std::vector<std::string> aliases = {}) {
  OptionSpec s;
  s.name = std::move(name);
  s.type = type;
  s.help = std::move(help);
  s.algorithms = std::move(algorithms);
  s.min = min;
  s.max = max;
  s.aliases = std::move(aliases);
  return s;
}

using Bound = options::BoundOption<ClassifySettings>;

std::vector<Bound> bound_classify_options() {
  auto member = [](auto access) {
    return std::vector<options::Binding<ClassifySettings>>{bind<ClassifySettings>({}, access)};
  };
  OptionSpec loss = spec("loss", OptionType::Choice,
                         "Loss: softmax, hs (hierarchical softmax), ns (negative sampling) or ova "
                         "(one-vs-all, multi-label)");
  return {
      {loss, member([](auto& s) -> auto& { return s.loss; })},
      {spec("dim", OptionType::Unsigned, "Vector dimension", {}, 1, 10000),
       member([](auto& s) -> auto& { return s.options.dim; })},
      {spec("lr", OptionType::Real, "Initial learning rate (decays linearly to 0)", {}, 1e-9, 100),
       member([](auto& s) -> auto& { return s.options.lr; })},
      {spec("epochs", OptionType::Unsigned, "Passes over the data", {}, 1, 100000, {"epoch"}),
       member([](auto& s) -> auto& { return s.options.epochs; })},
      {spec("word_ngrams", OptionType::Unsigned, "Longest word n-gram feature; 1 = words only", {}, 1,
            100, {"wordNgrams"}),
       member([](auto& s) -> auto& { return s.options.word_ngrams; })},
      {spec("bucket", OptionType::Unsigned, "Hash rows for word and character n-grams", {}, 0,
            1e9),
       member([](auto& s) -> auto& { return s.options.bucket; })},
      {spec("minn", OptionType::Unsigned, "Shortest character n-gram", {}, 0, 64),
       member([](auto& s) -> auto& { return s.options.minn; })},
      {spec("maxn", OptionType::Unsigned, "Longest character n-gram; 0 = none", {}, 0, 64),
       member([](auto& s) -> auto& { return s.options.maxn; })},
      {spec("min_count", OptionType::Unsigned, "Drop words rarer than this", {}, 0, 1e18,
            {"minCount"}),
       member([](auto& s) -> auto& { return s.options.min_count; })},
      {spec("min_count_label", OptionType::Unsigned, "Drop labels rarer than this", {}, 0, 1e18,
            {"minCountLabel"}),
       member([](auto& s) -> auto& { return s.options.min_count_label; })},
      {spec("neg", OptionType::Unsigned, "Negative labels per example", {"ns"}, 1, 1000,
            {"negative"}),
       {bind<ClassifySettings>({"ns"}, [](auto& s) -> auto& { return s.options.negative; })}},
      {spec("threads", OptionType::Integer, "Threads; 0 = all cores", {}, 0, kMaxThreads),
       member([](auto& s) -> auto& { return s.options.threads; })},
      {spec("seed", OptionType::Unsigned, "Random seed; with one thread the model is bit-identical"),
       member([](auto& s) -> auto& { return s.options.seed; })},
      {spec("label", OptionType::String, "Label prefix"),
       member([](auto& s) -> auto& { return s.options.label_prefix; })},
      {spec("pretrained_vectors", OptionType::String,
            "Start the word rows from these vectors (any format; dimension = dim)", {}, -1e300, 1e300,
            {"pretrainedVectors"}),
       member([](auto& s) -> auto& { return s.options.pretrained_vectors; })},
      {spec("loss_log", OptionType::String, "Write the loss curve to this CSV file"),
       member([](auto& s) -> auto& { return s.options.loss_log_path; })},
  };
}

const std::vector<Bound>& bound_options() {
  static const std::vector<Bound> bound = bound_classify_options();
  return bound;
}

using QuantizeBound = options::BoundOption<QuantizeOptions>;

const std::vector<QuantizeBound>& bound_quantize_options() {
  auto member = [](auto access) {
    return std::vector<options::Binding<QuantizeOptions>>{bind<QuantizeOptions>({}, access)};
  };
  static const std::vector<QuantizeBound> bound = {
      {spec("cutoff", OptionType::Unsigned,
            "Keep the N input rows (words and n-grams) of largest norm; 0 = all"),
       member([](auto& q) -> auto& { return q.cutoff; })},
      {spec("retrain", OptionType::Bool, "Retrain the kept rows after the cutoff (needs the data)"),
       member([](auto& q) -> auto& { return q.retrain; })},
      {spec("input_data", OptionType::String, "Training data for --retrain"),
       member([](auto& q) -> auto& { return q.retrain_data; })},
      {spec("qnorm", OptionType::Bool, "Quantize the row norms separately"),
       member([](auto& q) -> auto& { return q.qnorm; })},
      {spec("qout", OptionType::Bool, "Quantize the output matrix too"),
       member([](auto& q) -> auto& { return q.qout; })},
      {spec("dsub", OptionType::Unsigned, "Dimensions per product-quantizer sub-vector", {}, 1, 1000),
       member([](auto& q) -> auto& { return q.dsub; })},
      {spec("epochs", OptionType::Unsigned, "Retraining passes", {}, 1, 100000, {"epoch"}),
       member([](auto& q) -> auto& { return q.epochs; })},
      {spec("lr", OptionType::Real, "Retraining learning rate", {}, 1e-9, 100),
       member([](auto& q) -> auto& { return q.lr; })},
      {spec("threads", OptionType::Integer, "Threads; 0 = all cores", {}, 0, kMaxThreads),
       member([](auto& q) -> auto& { return q.threads; })},
      {spec("seed", OptionType::Unsigned, "Random seed of k-means and retraining"),
       member([](auto& q) -> auto& { return q.seed; })},
  };
  return bound;
}

}  // namespace

const OptionTable& classify_option_table() {
  static const OptionTable table = options::make_table<ClassifySettings>(
      "classify train", "loss", {"softmax", "hs", "ns", "ova"}, bound_options(), [](std::string_view loss) {
        ClassifySettings settings;
        settings.loss = std::string(loss);
        return settings;
      });
  return table;
}

void apply_classify_options(const OptionValues& values, ClassifySettings& settings) {
  if (auto loss = values.find("loss"); loss != values.end())
    settings.loss = std::get<std::string>(loss->second);
  options::apply_bound(bound_options(), values, settings.loss, settings);
  settings.options.loss = parse_classifier_loss(settings.loss).value_or(ClassifierLoss::Softmax);
}

const OptionTable& classify_quantize_option_table() {
  static const OptionTable table = options::make_table<QuantizeOptions>(
      "classify quantize", "", {""}, bound_quantize_options(),
      [](std::string_view) { return QuantizeOptions{}; });
  return table;
}

void apply_classify_quantize_options(const OptionValues& values, QuantizeOptions& options) {
  options::apply_bound(bound_quantize_options(), values, "", options);
}

}  // namespace embkit
