// `embkit cooccur --input CORPUS --output COUNTS.npz ...`: word-context co-occurrence counts as a
// SciPy-compatible sparse .npz, with the vocabulary (word and count, one per line, in row order) in
// COUNTS.vocab.txt beside it.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "embkit/cooccurrence.h"
#include "embkit/corpus_encoder.h"
#include "embkit/error.h"
#include "embkit/progress.h"
#include "embkit/npz.h"

namespace embkit::cli {
namespace {

struct CooccurArgs {
  std::string input, output;
  size_t window = 5;
  bool one_sided = false;
  std::string weighting = "harmonic";
  uint64_t min_count = 5;
  size_t max_vocab = 0;
  double memory_gb = 4.0;
  std::string temp_dir;
  int threads = 0;
  bool lowercase = false;
};

void run_cooccur(const CooccurArgs& args) {
  require_output_directory(args.output);
  const auto start = std::chrono::steady_clock::now();
  PreparedCorpus prepared =
      read_training_corpus(args.input, args.min_count, args.max_vocab, args.lowercase);
  ProgressLine progress;

  CooccurrenceOptions options;
  options.window = args.window;
  options.symmetric = !args.one_sided;
  options.weighting =
      args.weighting == "uniform" ? CooccurrenceWeighting::Uniform : CooccurrenceWeighting::Harmonic;
  options.memory_gb = args.memory_gb;
  options.temp_dir = args.temp_dir;
  options.threads = args.threads;
  options.on_progress = [&](double f) {
    progress.show(fmt::format("counting co-occurrences  {:5.1f}%", 100 * f));
  };
  CooccurrenceStats stats;
  SparseMatrix counts = count_cooccurrences(prepared.corpus, prepared.vocab.size(), options, &stats);
  progress.finish();

  const std::string vocab_path = counts_vocab_path(args.output);
  AtomicFile vocab_file(vocab_path);
  for (size_t i = 0; i < prepared.vocab.size(); ++i)
    vocab_file.write(fmt::format("{} {}\n", prepared.vocab.word(i), prepared.vocab.count(i)));
  save_sparse(counts, args.output);
  vocab_file.commit();
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(stderr,
             "counted {} pairs over {} tokens (window {}, {}, {}): {} x {} matrix with {} entries, "
             "{} spilled shards ({} MB); wrote {} and {} ({:.1f} s in all, {:.1f} s counting)\n",
             format_count(static_cast<double>(stats.pairs_emitted)), prepared.corpus.raw_tokens,
             args.window, args.one_sided ? "one-sided" : "symmetric", args.weighting, counts.rows(),
             counts.cols(), counts.nnz(), stats.shards, stats.spilled_bytes >> 20, args.output,
             vocab_path, total, stats.seconds);
}

}  // namespace

void add_cooccur_command(CLI::App& app) {
  auto args = std::make_shared<CooccurArgs>();
  CLI::App* cmd = app.add_subcommand("cooccur", "Count word-context co-occurrences into a sparse .npz");
  cmd->add_option("--input", args->input, "Corpus: UTF-8 text, one sentence per line (.gz/.xz/.zst too)")
      ->required();
  cmd->add_option("--output", args->output, "Counts to write (.npz; the vocabulary goes beside it)")
      ->required();
  cmd->add_option("--window", args->window, "Context window (default 5)")->check(CLI::Range(1, 1000));
  cmd->add_flag("--one-sided", args->one_sided, "Count left contexts only (default: both sides)");
  cmd->add_option("--weighting", args->weighting, "harmonic (1/distance, default) or uniform")
      ->check(CLI::IsMember({"harmonic", "uniform"}));
  cmd->add_option("--min-count", args->min_count, "Ignore words rarer than this (default 5)");
  cmd->add_option("--max-vocab", args->max_vocab, "Keep only the N most frequent words");
  cmd->add_option("--memory", args->memory_gb, "Memory budget in GB; above it, spill sorted shards to disk")
      ->check(CLI::Range(0.001, 1e6));
  cmd->add_option("--temp-dir", args->temp_dir, "Directory for spilled shards (default: system temp)");
  add_threads_arg(cmd, args->threads);
  cmd->add_flag("--lowercase", args->lowercase, "Lowercase the text and split punctuation into tokens");
  cmd->callback([args] { run_cooccur(*args); });
}

}  // namespace embkit::cli
