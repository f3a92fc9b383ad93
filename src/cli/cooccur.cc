// `embkit cooccur --input CORPUS --output COUNTS.npz ...`: word-context co-occurrence counts as a
// SciPy-compatible sparse .npz, with the vocabulary (word and count, one per line, in row order) in
// COUNTS.vocab.txt beside it.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "cli/common.h"
#include "cli/options_cli.h"
#include "core/atomic_file.h"
#include "embkit/cooccurrence.h"
#include "embkit/corpus_encoder.h"
#include "embkit/error.h"
#include "embkit/progress.h"
#include "embkit/npz.h"
#include "embkit/options.h"

namespace embkit::cli {
namespace {

struct CooccurArgs {
  std::string input, output;
  std::shared_ptr<GivenOptions> given = std::make_shared<GivenOptions>();
};

void run_cooccur(const CooccurArgs& args) {
  require_output_directory(args.output);
  const auto start = std::chrono::steady_clock::now();
  CooccurSettings settings;
  apply_cooccur_options(given_option_values(cooccur_option_table(), *args.given), settings);
  PreparedCorpus prepared = read_training_corpus(args.input, settings.vocab.min_count,
                                                 settings.vocab.max_vocab, settings.lowercase);
  ProgressLine progress;

  CooccurrenceOptions& options = settings.counting;
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
             options.window, options.symmetric ? "symmetric" : "one-sided",
             options.weighting == CooccurrenceWeighting::Uniform ? "uniform" : "harmonic", counts.rows(),
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
  add_table_options(cmd, cooccur_option_table(), args->given);
  cmd->callback([args] { run_cooccur(*args); });
}

}  // namespace embkit::cli
