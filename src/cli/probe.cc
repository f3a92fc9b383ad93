// `embkit probe MODEL --labels FILE [--test-fraction 0.2] [--seed S] [--c C] [--tol 0.01]
// [--threads N] [--json] [--dump-split FILE]`: a linear probe (probe.h) of `word label` lines
// against the word vectors.
//
// --json prints {"accuracy", "macro_f1", "baseline_accuracy", "train", "test"} (CLI.md), followed
// by "labels" (distinct labels in the model), "oov" (labelled words missing from the model), "c"
// and "seconds" (split, training and prediction).
// --dump-split writes `word<TAB>label<TAB>train|test<TAB>predicted label ("-" for train)` lines in
// file order, so the split and the predictions can be checked with other tools.
// The probe's --labels is the labels file; a .npy model's row labels come with --vocab-labels.
#include "embkit/probe.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "embkit/error.h"

namespace embkit::cli {
namespace {

struct ProbeArgs {
  ModelArgs model;
  std::string labels;
  std::string dump_split;
  ProbeOptions probe;
  bool json = false;
};

void write_split(const std::string& path, const ProbeResult& result) {
  AtomicFile file(path);
  for (const ProbeExample& example : result.examples)
    file.write(fmt::format("{}\t{}\t{}\t{}\n", example.word, example.label,
                           example.test ? "test" : "train",
                           example.test ? example.predicted : "-"));
  file.commit();
}

void report_oov(const ProbeResult& result) {
  if (result.oov.empty()) return;
  std::string shown;
  for (size_t i = 0; i < std::min<size_t>(5, result.oov.size()); ++i)
    shown += (i ? ", " : "") + result.oov[i];
  fmt::print(stderr, "probe: {} labelled words are not in the model (OOV), e.g. {}\n",
             result.oov.size(), shown);
}

void run_probe(const ProbeArgs& args) {
  if (!(args.probe.test_fraction > 0 && args.probe.test_fraction < 1))
    throw UsageError(fmt::format("--test-fraction {} must be between 0 and 1, exclusive",
                                 args.probe.test_fraction));
  if (!args.dump_split.empty()) require_output_directory(args.dump_split);
  std::vector<LabelledWord> words = read_labelled_words(args.labels);
  KeyedVectors kv = load_model(args.model);
  ProbeResult result;
  const auto start = std::chrono::steady_clock::now();
  try {
    result = linear_probe(kv, words, args.probe);
  } catch (const UsageError& e) {
    // Too few usable words is a problem of the labels file, not of the command line.
    throw Error(fmt::format("{}: {}", args.labels, e.what()));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report_oov(result);
  if (!args.dump_split.empty()) write_split(args.dump_split, result);
  if (args.json) {
    nlohmann::ordered_json out = {{"accuracy", result.accuracy},
                                  {"macro_f1", result.macro_f1},
                                  {"baseline_accuracy", result.baseline_accuracy},
                                  {"train", result.train},
                                  {"test", result.test},
                                  {"labels", result.labels},
                                  {"oov", result.oov.size()},
                                  {"c", args.probe.c},
                                  {"seconds", seconds}};
    std::puts(out.dump().c_str());
    return;
  }
  fmt::print("probe: {} labels, {} words in the model ({} train, {} test), {} OOV\n", result.labels,
             result.train + result.test, result.train, result.test, result.oov.size());
  fmt::print("accuracy {:.4f}  macro-F1 {:.4f}  majority baseline {:.4f}\n", result.accuracy,
             result.macro_f1, result.baseline_accuracy);
}

}  // namespace

void add_probe_command(CLI::App& app) {
  auto args = std::make_shared<ProbeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "probe", "Linear probe: logistic regression from word vectors to word labels");
  cmd->add_option("MODEL", args->model.path, "Model file (any supported format)")->required();
  cmd->add_option("--format", args->model.format,
                  "Input format: auto|native|vec|glove|bin|npy (default: detected from content)");
  cmd->add_option("--vocab-labels", args->model.labels,
                  "Row labels of a .npy model (one per line)");
  cmd->add_option("--limit", args->model.limit, "Read only the first N vectors");
  cmd->add_option("--labels", args->labels,
                  "Lines `word label`; blank lines and # comments skipped")
      ->required();
  cmd->add_option("--test-fraction", args->probe.test_fraction,
                  "Share of every label's words held out for testing (default 0.2)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--seed", args->probe.seed, "Seed of the train/test split (default 1)");
  cmd->add_option("--c", args->probe.c, "Inverse regularisation strength C (default 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--tol", args->probe.tolerance,
                  "LIBLINEAR's stopping tolerance eps (default 0.01; scikit-learn's liblinear uses "
                  "1e-4)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--dump-split", args->dump_split,
                  "Write `word label train|test predicted` lines (tab separated)");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  add_threads_arg(cmd, args->probe.threads);
  cmd->callback([args] { run_probe(*args); });
}

}  // namespace embkit::cli
