// The options of `train` (embkit train, embkit.train(), the server's training requests), bound to
// Word2VecOptions, GloveOptions, PpmiSvdOptions and VocabOptions.
#include <algorithm>

#include "embkit/options.h"
#include "options/option_binding.h"

namespace embkit {
namespace {

using options::bind;
using options::bind_choice;
using options::Binding;
using Bound = options::BoundOption<TrainSettings>;

const std::vector<std::string> kWord2Vec = {"sgns", "cbow"};
const std::vector<std::string> kCounting = {"ppmi-svd", "glove"};
const std::vector<std::string> kGlove = {"glove"};
const std::vector<std::string> kPpmiSvd = {"ppmi-svd"};

OptionSpec spec(std::string name, OptionType type, std::string help,
                std::vector<std::string> algorithms = {},
                double min = -std::numeric_limits<double>::infinity(),
                double max = std::numeric_limits<double>::infinity()) {
  OptionSpec s;
  s.name = std::move(name);
  s.type = type;
  s.help = std::move(help);
  s.algorithms = std::move(algorithms);
  s.min = min;
  s.max = max;
  return s;
}

OptionSpec choice(std::string name, std::string help, std::vector<std::string> choices,
                  std::vector<std::string> algorithms = {}) {
  OptionSpec s = spec(std::move(name), OptionType::Choice, std::move(help), std::move(algorithms));
  s.choices = std::move(choices);
  return s;
}

// Word2vec's learning rate 0 means "the architecture's default": shown and stored as that number.
Binding<TrainSettings> word2vec_learning_rate() {
  return {kWord2Vec,
          [](const TrainSettings& s) -> OptionValue {
            return s.word2vec.learning_rate > 0 ? s.word2vec.learning_rate
                                                : default_learning_rate(s.word2vec.architecture);
          },
          [](TrainSettings& s, const OptionValue& v) {
            s.word2vec.learning_rate = std::get<double>(v);
          }};
}

// GloVe's AdaGrad step must be positive: 0 keeps the default, as for word2vec.
Binding<TrainSettings> glove_learning_rate() {
  return {kGlove, [](const TrainSettings& s) -> OptionValue { return s.glove.learning_rate; },
          [](TrainSettings& s, const OptionValue& v) {
            if (std::get<double>(v) > 0) s.glove.learning_rate = std::get<double>(v);
          }};
}

// Checkpoints go with the checkpoint file, --resume and --init, which only the command line has.
OptionSpec cli_only(OptionSpec s) {
  s.cli_only = true;
  return s;
}

// Counting is symmetric unless one-sided.
template <typename Access>
Binding<TrainSettings> one_sided(std::vector<std::string> algorithms, Access counting) {
  return {std::move(algorithms),
          [counting](const TrainSettings& s) -> OptionValue { return !counting(s).symmetric; },
          [counting](TrainSettings& s, const OptionValue& v) {
            counting(s).symmetric = !std::get<bool>(v);
          }};
}

std::vector<Bound> bound_train_options() {
  const std::vector<std::pair<std::string, CooccurrenceWeighting>> weightings = {
      {"harmonic", CooccurrenceWeighting::Harmonic}, {"uniform", CooccurrenceWeighting::Uniform}};
  auto counting = [](auto access) {
    return std::vector<Binding<TrainSettings>>{
        bind<TrainSettings>(
            kGlove, [access](auto& s) -> auto& { return access(s.glove.counting); }),
        bind<TrainSettings>(
            kPpmiSvd, [access](auto& s) -> auto& { return access(s.ppmi_svd.counting); })};
  };
  std::vector<Bound> table = {
      {choice("algo", "Algorithm (sgns: skip-gram with negative sampling)", {}),
       {bind<TrainSettings>(
           {}, [](auto& s) -> auto& { return s.algo; })}},
      {spec("dim", OptionType::Unsigned, "Vector dimension", {}, 1, 10000),
       {bind<TrainSettings>(
            kWord2Vec, [](auto& s) -> auto& { return s.word2vec.dim; }),
        bind<TrainSettings>(
            kGlove, [](auto& s) -> auto& { return s.glove.dim; }),
        bind<TrainSettings>(
            kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.svd.rank; })}},
      {spec("window", OptionType::Unsigned, "Maximum context window", {}, 1, 1000),
       {bind<TrainSettings>(
            kWord2Vec, [](auto& s) -> auto& { return s.word2vec.window; }),
        bind<TrainSettings>(
            kGlove, [](auto& s) -> auto& { return s.glove.counting.window; }),
        bind<TrainSettings>(
            kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.counting.window; })}},
      {spec("negative", OptionType::Unsigned, "Negative samples per word", kWord2Vec, 1, 1000),
       {bind<TrainSettings>(
           kWord2Vec, [](auto& s) -> auto& { return s.word2vec.negative; })}},
      {spec("min_count", OptionType::Unsigned, "Ignore words rarer than this"),
       {bind<TrainSettings>(
           {}, [](auto& s) -> auto& { return s.vocab.min_count; })}},
      {spec("max_vocab", OptionType::Unsigned, "Keep only the N most frequent words; 0 = no limit"),
       {bind<TrainSettings>(
           {}, [](auto& s) -> auto& { return s.vocab.max_vocab; })}},
      {spec("sample", OptionType::Real, "Subsampling threshold for frequent words; 0 = off",
            kWord2Vec, 0, 1),
       {bind<TrainSettings>(
           kWord2Vec, [](auto& s) -> auto& { return s.word2vec.sample; })}},
      {spec("epochs", OptionType::Unsigned, "Passes over the corpus", {"sgns", "cbow", "glove"}, 1,
            100000),
       {bind<TrainSettings>(
            kWord2Vec, [](auto& s) -> auto& { return s.word2vec.epochs; }),
        bind<TrainSettings>(
            kGlove, [](auto& s) -> auto& { return s.glove.epochs; })}},
      {spec("lr", OptionType::Real, "Initial learning rate; 0 = the default",
            {"sgns", "cbow", "glove"}, 0, 100),
       {word2vec_learning_rate(), glove_learning_rate()}},
      {spec("threads", OptionType::Integer, "Threads; 0 = all cores", {}, 0, kMaxThreads),
       {bind<TrainSettings>(
            kWord2Vec, [](auto& s) -> auto& { return s.word2vec.threads; }),
        bind<TrainSettings>(
            kGlove, [](auto& s) -> auto& { return s.glove.threads; }),
        bind<TrainSettings>(
            kGlove, [](auto& s) -> auto& { return s.glove.counting.threads; }),
        bind<TrainSettings>(
            kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.svd.threads; }),
        bind<TrainSettings>(
            kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.ppmi.threads; }),
        bind<TrainSettings>(
            kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.counting.threads; })}},
      {spec("seed", OptionType::Unsigned,
            "Random seed; with one thread the output is bit-identical"),
       {bind<TrainSettings>(
            kWord2Vec, [](auto& s) -> auto& { return s.word2vec.seed; }),
        bind<TrainSettings>(
            kGlove, [](auto& s) -> auto& { return s.glove.seed; }),
        bind<TrainSettings>(
            kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.svd.seed; })}},
      {cli_only(spec("checkpoint_every", OptionType::Real,
                     "Write a resumable state every N seconds; 0 = never", kWord2Vec, 0)),
       {bind<TrainSettings>(
           kWord2Vec, [](auto& s) -> auto& { return s.word2vec.checkpoint_every_seconds; })}},
      {choice("loss", "Word2vec loss: negative sampling, hierarchical softmax or full softmax",
              {"ns", "hs", "softmax"}, kWord2Vec),
       {bind_choice<TrainSettings>(
           kWord2Vec, [](auto& s) -> auto& { return s.word2vec.loss; },
           std::vector<std::pair<std::string, Word2VecLoss>>{
               {"ns", Word2VecLoss::NegativeSampling},
               {"hs", Word2VecLoss::HierarchicalSoftmax},
               {"softmax", Word2VecLoss::Softmax}})}},
      {spec("minn", OptionType::Unsigned, "Shortest character n-gram of the subwords", kWord2Vec, 1,
            64),
       {bind<TrainSettings>(
           kWord2Vec, [](auto& s) -> auto& { return s.word2vec.subwords.minn; })}},
      {spec("maxn", OptionType::Unsigned,
            "Longest character n-gram of the subwords; 0 = no subwords", kWord2Vec, 0, 64),
       {bind<TrainSettings>(
           kWord2Vec, [](auto& s) -> auto& { return s.word2vec.subwords.maxn; })}},
      {spec("bucket", OptionType::Unsigned, "Hash buckets (rows) for the subword n-grams", kWord2Vec,
            0, 1e9),
       {bind<TrainSettings>(
           kWord2Vec, [](auto& s) -> auto& { return s.word2vec.subwords.bucket; })}},
      {choice("update", "Word2vec update: shared negatives per window or per pair",
              {"minibatch", "classic"}, kWord2Vec),
       {bind_choice<TrainSettings>(
           kWord2Vec, [](auto& s) -> auto& { return s.word2vec.minibatch; },
           std::vector<std::pair<std::string, bool>>{{"minibatch", true}, {"classic", false}})}},
      {spec("loss_log", OptionType::String, "Write the loss curve to this CSV file",
            {"sgns", "cbow", "glove"}),
       {bind<TrainSettings>(
            kWord2Vec, [](auto& s) -> auto& { return s.word2vec.loss_log_path; }),
        bind<TrainSettings>(
            kGlove, [](auto& s) -> auto& { return s.glove.loss_log_path; })}},
      {spec("lowercase", OptionType::Bool, "Lowercase the text and split punctuation into tokens"),
       {bind<TrainSettings>(
           {}, [](auto& s) -> auto& { return s.lowercase; })}},
      {spec("eig_power", OptionType::Real, "Vectors are U S^p for this p", kPpmiSvd, 0, 1),
       {bind<TrainSettings>(
           kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.eig_power; })}},
      {choice("svd", "Truncated SVD solver", {"randomized", "lanczos"}, kPpmiSvd),
       {bind_choice<TrainSettings>(
           kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.svd.method; },
           std::vector<std::pair<std::string, SvdMethod>>{{"randomized", SvdMethod::Randomized},
                                                          {"lanczos", SvdMethod::Lanczos}})}},
      {spec("shift", OptionType::Real, "Subtract log k from PMI; 1 = none", kPpmiSvd, 1, 1e6),
       {bind<TrainSettings>(
           kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.ppmi.shift; })}},
      {spec("cds", OptionType::Real, "Context-distribution smoothing exponent", kPpmiSvd, 0.01, 1),
       {bind<TrainSettings>(
           kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.ppmi.smoothing; })}},
      {spec("power_iterations", OptionType::Unsigned, "Randomized SVD power iterations", kPpmiSvd,
            0, 50),
       {bind<TrainSettings>(
           kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.svd.power_iterations; })}},
      {choice("range_precision",
              "Randomized SVD power-iteration products read X in half (where the CPU converts "
              "halves) or "
              "float precision",
              {"half", "float"}, kPpmiSvd),
       {bind_choice<TrainSettings>(
           kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.svd.half_precision_range; },
           std::vector<std::pair<std::string, bool>>{{"half", true}, {"float", false}})}},
      {spec("oversample", OptionType::Unsigned, "Randomized SVD oversampling", kPpmiSvd, 0, 1000),
       {bind<TrainSettings>(
           kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.svd.oversample; })}},
      {choice("weighting", "Co-occurrence weight: harmonic 1/d or uniform", {"harmonic", "uniform"},
              kCounting),
       {bind_choice<TrainSettings>(
            kGlove, [](auto& s) -> auto& { return s.glove.counting.weighting; }, weightings),
        bind_choice<TrainSettings>(
            kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.counting.weighting; }, weightings)}},
      {spec("one_sided", OptionType::Bool, "Count left contexts only", kCounting),
       {one_sided(
            kGlove, [](auto& s) -> auto& { return s.glove.counting; }),
        one_sided(
            kPpmiSvd, [](auto& s) -> auto& { return s.ppmi_svd.counting; })}},
      {spec("memory", OptionType::Real, "Counting memory budget in GB; above it, spill to disk",
            kCounting, 0.001, 1e6),
       counting([](auto& c) -> auto& { return c.memory_gb; })},
      {spec("temp_dir", OptionType::String, "Directory for spilled shards (default: system temp)",
            kCounting),
       counting([](auto& c) -> auto& { return c.temp_dir; })},
      {spec("x_max", OptionType::Real, "Counts above this get full weight", kGlove, 1e-6, 1e12),
       {bind<TrainSettings>(
           kGlove, [](auto& s) -> auto& { return s.glove.x_max; })}},
      {spec("alpha", OptionType::Real, "Weight exponent, f(x) = (x / x_max)^alpha", kGlove, 0, 10),
       {bind<TrainSettings>(
           kGlove, [](auto& s) -> auto& { return s.glove.alpha; })}},
      {choice("glove_output", "Save word + context vectors (sum) or word vectors only",
              {"sum", "word"}, kGlove),
       {bind_choice<TrainSettings>(
           kGlove, [](auto& s) -> auto& { return s.glove.output; },
           std::vector<std::pair<std::string, GloveOutput>>{{"sum", GloveOutput::Sum},
                                                            {"word", GloveOutput::Word}})}},
  };
  return table;
}

const std::vector<Bound>& bound_options() {
  static const std::vector<Bound> bound = bound_train_options();
  return bound;
}

TrainSettings defaults_for(std::string_view algorithm) {
  TrainSettings settings;
  settings.algo = std::string(algorithm);
  settings.word2vec.architecture =
      algorithm == "cbow" ? Word2VecArchitecture::Cbow : Word2VecArchitecture::SkipGram;
  return settings;
}

}  // namespace

const OptionTable& train_option_table() {
  static const OptionTable table = options::make_table<TrainSettings>(
      "train", "algo", {"sgns", "cbow", "glove", "ppmi-svd"}, bound_options(), defaults_for);
  return table;
}

void apply_train_options(const OptionValues& values, TrainSettings& settings) {
  if (auto algo = values.find("algo"); algo != values.end())
    settings.algo = std::get<std::string>(algo->second);
  settings.word2vec.architecture =
      settings.algo == "cbow" ? Word2VecArchitecture::Cbow : Word2VecArchitecture::SkipGram;
  options::apply_bound(bound_options(), values, settings.algo, settings);
}

}  // namespace embkit
