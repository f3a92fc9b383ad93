// `embkit classify train|test|predict|predict-prob|quantize`: supervised text classification with
// fastText's data format, model files and outputs (embkit/classifier.h). The options of `train`
// and `quantize` come from their option tables (embkit/classify_options.h).
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/common.h"
#include "cli/options_cli.h"
#include "embkit/classifier.h"
#include "embkit/classify_options.h"
#include "embkit/error.h"
#include "embkit/progress.h"

namespace embkit::cli {
namespace {

std::atomic<bool> stop_requested{false};
using SignalHandler = void (*)(int);
std::atomic<SignalHandler> previous_interrupt{SIG_DFL}, previous_terminate{SIG_DFL};

extern "C" void request_classify_stop(int signal_number) {
  stop_requested.store(true);
  std::signal(signal_number, signal_number == SIGINT ? previous_interrupt.load() : previous_terminate.load());
}

// Ctrl-C / SIGTERM stop training at the next check; the handlers before it come back afterwards.
struct StopOnSignal {
  StopOnSignal() {
    previous_interrupt = std::signal(SIGINT, request_classify_stop);
    previous_terminate = std::signal(SIGTERM, request_classify_stop);
  }
  ~StopOnSignal() {
    std::signal(SIGINT, previous_interrupt.load());
    std::signal(SIGTERM, previous_terminate.load());
  }
};

std::string progress_text(const ClassifierProgress& p, uint32_t epochs) {
  return fmt::format("epoch {}/{}  {:5.1f}%  {} tokens/s/thread  lr {:.5f}  loss {:.4f}  ETA {}",
                     p.epoch + 1, epochs, 100 * p.fraction, format_count(p.tokens_per_second_per_thread),
                     p.learning_rate, p.loss, format_duration(p.eta_seconds));
}

std::string file_size_text(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return "?";
  return fmt::format("{}B", format_count(static_cast<double>(size)));
}

// --- train -----------------------------------------------------------------------------------------

struct TrainArgs {
  std::string input, output;
  std::shared_ptr<GivenOptions> given = std::make_shared<GivenOptions>();
};

void run_train(const TrainArgs& args) {
  ClassifySettings settings;
  apply_classify_options(given_option_values(classify_option_table(), *args.given), settings);
  require_output_directory(args.output);
  ClassifierOptions options = settings.options;
  ProgressLine progress;
  options.on_progress = [&](const ClassifierProgress& p) { progress.show(progress_text(p, options.epochs)); };
  options.stop = &stop_requested;
  ClassifierTrainStats stats;
  Classifier classifier;
  {
    StopOnSignal signals;
    classifier = train_classifier(args.input, options, &stats);
  }
  progress.finish();
  if (stats.interrupted) {
    fmt::print(stderr, "embkit: interrupted; nothing written\n");
    exit_status() = 130;
    return;
  }
  const auto write_start = std::chrono::steady_clock::now();
  classifier.save(args.output);
  const double write_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count();
  std::string skipped;
  if (stats.unlabelled_lines)
    skipped += fmt::format(", {} lines without a label skipped", stats.unlabelled_lines);
  if (stats.featureless_lines)
    skipped += fmt::format(", {} lines without a feature skipped", stats.featureless_lines);
  if (!options.pretrained_vectors.empty())
    skipped += fmt::format(", {} word rows from {}", stats.pretrained_words, options.pretrained_vectors);
  fmt::print(stderr,
             "trained {} classifier on {} examples ({} tokens) x {} epochs: {} words, {} labels{}; "
             "{:.1f} s reading + {:.1f} s initialising + {:.1f} s training ({} tokens/s) + {:.1f} s writing, "
             "final loss {:.4f}; wrote {} ({})\n",
             settings.loss, stats.examples, stats.tokens, options.epochs, stats.words, stats.labels, skipped,
             stats.read_seconds, stats.init_seconds, stats.train_seconds, format_count(stats.tokens_per_second),
             write_seconds, stats.final_loss, args.output, file_size_text(args.output));
}

// --- test ------------------------------------------------------------------------------------------

struct TestArgs {
  std::string model, data, label = "__label__";
  size_t k = 1;
  double threshold = 0;
  bool per_label = false, json = false;
  int threads = 0;
};

std::string score_text(double value, bool defined) { return defined ? fmt::format("{:.6f}", value) : "--------"; }

void run_test(const TestArgs& args) {
  Classifier classifier = Classifier::load(args.model, args.label);
  ClassifierTestResult result =
      test_classifier(classifier, args.data, args.k, static_cast<float>(args.threshold), args.threads);
  if (args.json) {
    nlohmann::json labels = nlohmann::json::array();
    for (const ClassifierLabelScore& l : result.labels)
      labels.push_back({{"label", classifier.label_name(l.label)}, {"gold", l.gold}, {"predicted", l.predicted},
                        {"correct", l.correct}, {"precision", l.precision()}, {"recall", l.recall()},
                        {"f1", l.f1()}});
    nlohmann::json out = {{"model", args.model}, {"data", args.data}, {"k", args.k}, {"examples", result.examples},
                          {"precision", result.precision()}, {"recall", result.recall()},
                          {"skipped_lines", result.skipped_lines}};
    if (args.per_label) out["labels"] = labels;
    fmt::print("{}\n", out.dump());
    return;
  }
  if (args.per_label)
    for (const ClassifierLabelScore& l : result.labels)
      fmt::print("F1-Score : {}  Precision : {}  Recall : {}   {}\n",
                 score_text(l.f1(), l.predicted + l.gold > 0), score_text(l.precision(), l.predicted > 0),
                 score_text(l.recall(), l.gold > 0), classifier.label_name(l.label));
  fmt::print("N\t{}\nP@{}\t{:.3g}\nR@{}\t{:.3g}\n", result.examples, args.k, result.precision(), args.k,
             result.recall());
}

// --- predict ---------------------------------------------------------------------------------------

struct PredictArgs {
  std::string model, data = "-", label = "__label__";
  size_t k = 1;
  double threshold = 0;
};

void run_predict(const PredictArgs& args, bool with_probabilities) {
  Classifier classifier = Classifier::load(args.model, args.label);
  std::ifstream file;
  const bool from_stdin = args.data == "-";
  if (!from_stdin) {
    if (std::filesystem::is_directory(args.data)) throw IoError("read", args.data, EISDIR);
    file.open(args.data, std::ios::binary);
    if (!file) throw IoError("open", args.data, errno);
  }
  std::istream& in = from_stdin ? std::cin : file;
  PredictionScratch scratch;
  std::vector<LabelPrediction> predictions;
  fmt::memory_buffer out;
  std::string line;
  while (std::getline(in, line)) {
    const bool ends_line = !in.eof();
    classifier.line_features(line, ends_line, scratch.features, scratch.labels, scratch.hashes);
    classifier.predict_features(scratch.features, args.k, static_cast<float>(args.threshold), scratch,
                                predictions);
    bool first = true;
    for (const LabelPrediction& p : predictions) {
      if (!first) out.push_back(' ');
      first = false;
      const std::string& name = classifier.label_name(p.label);
      out.append(name.data(), name.data() + name.size());
      if (with_probabilities) fmt::format_to(std::back_inserter(out), " {:g}", p.probability);
    }
    out.push_back('\n');
    if (from_stdin || out.size() > (1 << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      if (from_stdin) std::fflush(stdout);
      out.clear();
    }
  }
  if (in.bad()) throw IoError("read", from_stdin ? "<stdin>" : args.data, errno);
  std::fwrite(out.data(), 1, out.size(), stdout);
}

// --- quantize --------------------------------------------------------------------------------------

struct QuantizeArgs {
  std::string input, output, label = "__label__";
  std::shared_ptr<GivenOptions> given = std::make_shared<GivenOptions>();
};

void run_quantize(const QuantizeArgs& args) {
  QuantizeOptions options;
  apply_classify_quantize_options(given_option_values(classify_quantize_option_table(), *args.given), options);
  if (options.retrain && options.retrain_data.empty())
    throw UsageError("classify quantize: --retrain needs --input-data TRAIN.txt");
  if (options.retrain && options.cutoff == 0)
    throw UsageError("classify quantize: --retrain goes with --cutoff N (retraining keeps the cut rows)");
  require_output_directory(args.output);
  Classifier classifier = Classifier::load(args.input, args.label);
  ProgressLine progress;
  options.on_progress = [&](const ClassifierProgress& p) { progress.show(progress_text(p, options.epochs)); };
  QuantizeStats stats;
  Classifier quantized = quantize_classifier(classifier, options, &stats);
  progress.finish();
  quantized.save(args.output);
  fmt::print(stderr,
             "quantized {} ({}): kept {} of {} input rows ({} words, {} n-grams), dsub {}{}{}{} in {:.1f} s; "
             "wrote {} ({})\n",
             args.input, file_size_text(args.input), stats.rows_kept, stats.rows_before, stats.words_kept,
             stats.ngrams_kept, options.dsub, options.qnorm ? ", norms quantized" : "",
             options.qout ? ", output quantized" : "", options.retrain ? ", retrained" : "", stats.seconds,
             args.output, file_size_text(args.output));
}

OptionSpec threshold_spec() {
  OptionSpec spec;
  spec.name = "threshold";
  spec.type = OptionType::Real;
  spec.min = 0;
  spec.max = 1;
  return spec;
}

void add_threshold(CLI::App* cmd, double& threshold) {
  cmd->add_option_function<std::string>(
         "--threshold",
         [&threshold](const std::string& text) {
           OptionSpec spec = threshold_spec();
           OptionValue value = parse_option_text(spec, text, "--threshold");
           if (std::string problem = option_value_problem(spec, value); !problem.empty())
             throw UsageError(fmt::format("--threshold {} {}", text, problem));
           threshold = std::get<double>(value);
         },
         "Only labels with probability at least this (default 0; 0..1)")
      ->type_name("NUMBER");
}

}  // namespace

void add_classify_command(CLI::App& app) {
  CLI::App* classify = app.add_subcommand(
      "classify", "Supervised text classification (fastText's supervised mode and model files)");
  classify->require_subcommand(1);

  auto train = std::make_shared<TrainArgs>();
  CLI::App* cmd = classify->add_subcommand("train", "Train a classifier on `__label__x word ...` lines");
  cmd->add_option("--input", train->input, "Training data: one example per line (.gz/.xz/.zst too)")->required();
  cmd->add_option("--output", train->output, "Model to write (fastText .bin)")->required();
  add_table_options(cmd, classify_option_table(), train->given);
  cmd->callback([train] { run_train(*train); });

  auto test = std::make_shared<TestArgs>();
  cmd = classify->add_subcommand("test", "Precision and recall at k on labelled data (fastText's test)");
  cmd->add_option("MODEL", test->model, "Classifier (.bin or .ftz)")->required();
  cmd->add_option("DATA", test->data, "Labelled lines")->required();
  add_k_arg(cmd, test->k, "Labels predicted per line");
  add_threshold(cmd, test->threshold);
  cmd->add_flag("--per-label", test->per_label, "Also print each label's F1, precision and recall");
  cmd->add_flag("--json", test->json, "Print one JSON object");
  cmd->add_option("--label", test->label, "Label prefix (default __label__)");
  add_threads_arg(cmd, test->threads);
  cmd->callback([test] { run_test(*test); });

  for (bool probabilities : {false, true}) {
    auto predict = std::make_shared<PredictArgs>();
    cmd = classify->add_subcommand(probabilities ? "predict-prob" : "predict",
                                   probabilities ? "Most likely labels of each line with their probabilities"
                                                 : "Most likely labels of each line");
    cmd->add_option("MODEL", predict->model, "Classifier (.bin or .ftz)")->required();
    cmd->add_option("FILE", predict->data, "Lines to classify; - or none for standard input");
    add_k_arg(cmd, predict->k, "Labels per line");
    add_threshold(cmd, predict->threshold);
    cmd->add_option("--label", predict->label, "Label prefix (default __label__)");
    cmd->callback([predict, probabilities] { run_predict(*predict, probabilities); });
  }

  auto quantize = std::make_shared<QuantizeArgs>();
  cmd = classify->add_subcommand("quantize", "Prune and product-quantize a classifier into a small .ftz");
  cmd->add_option("--input", quantize->input, "Classifier to compress (.bin)")->required();
  cmd->add_option("--output", quantize->output, "Compressed classifier to write (.ftz)")->required();
  cmd->add_option("--label", quantize->label, "Label prefix of --input-data (default __label__)");
  add_table_options(cmd, classify_quantize_option_table(), quantize->given);
  cmd->callback([quantize] { run_quantize(*quantize); });
}

}  // namespace embkit::cli
