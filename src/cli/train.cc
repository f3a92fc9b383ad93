// `embkit train --input CORPUS --output MODEL [--algo sgns|cbow] ...`: reads the corpus once into word
// ids, trains, writes the model atomically. SIGINT / SIGTERM stop training after a last checkpoint,
// which `--resume` continues.
#include <csignal>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "cli/common.h"
#include "cli/options_cli.h"
#include "embkit/corpus_encoder.h"
#include "embkit/error.h"
#include "embkit/glove.h"
#include "embkit/npz.h"
#include "embkit/options.h"
#include "embkit/ppmi_svd.h"
#include "embkit/progress.h"
#include "embkit/word2vec.h"

namespace embkit::cli {
namespace {

// The files of a run; the training options themselves come from the option table.
struct TrainArgs {
  std::string input, output;
  std::string counts;  // glove / ppmi-svd from `embkit cooccur` output instead of a corpus
  std::string checkpoint;
  bool resume = false;
  std::string init;
  std::string save_context;
  std::string to = "auto";
  std::shared_ptr<GivenOptions> given = std::make_shared<GivenOptions>();
  TrainSettings settings;  // filled from `given` when the command runs
};

std::atomic<bool> stop_requested{false};

// The handlers that were installed before training (the one that removes temporary files and then
// ends the process): a second Ctrl-C goes to them, so it ends the process at once without leaving
// a half-written OUTPUT.tmp behind.
using SignalHandler = void (*)(int);
std::atomic<SignalHandler> previous_interrupt_handler{SIG_DFL}, previous_terminate_handler{SIG_DFL};

extern "C" void request_stop(int signal_number) {
  stop_requested.store(true);
  std::signal(signal_number, signal_number == SIGINT ? previous_interrupt_handler.load()
                                                     : previous_terminate_handler.load());
}

void save_model(const KeyedVectors& kv, const std::string& path, const std::string& to) {
  SaveOptions options;
  options.format = parse_format(to);
  if (options.format == Format::Auto) options.format = format_for_output(path, kv);
  save(kv, path, options);
}

std::string progress_text(const TrainProgress& p, size_t epochs) {
  return fmt::format("epoch {}/{}  {:5.1f}%  {} words/s/thread  lr {:.5f}  loss {:.4f}  ETA {}",
                     p.epoch + 1, epochs, 100 * p.fraction, format_count(p.words_per_second_per_thread),
                     p.learning_rate, p.loss, format_duration(p.eta_seconds));
}

// Writes the model to --output and, when --save-context is given, the context vectors beside it.
void save_outputs(const TrainArgs& args, const KeyedVectors& vectors, Matrix contexts) {
  save_model(vectors, args.output, args.to);
  if (args.save_context.empty()) return;
  const Vocab& vocab = vectors.vocab();
  KeyedVectors kv(vocab.head(vocab.size()), std::move(contexts));
  save_model(kv, args.save_context, "auto");
}

// What a count-based model learns from: a corpus to count, or counts written by `embkit cooccur`.
struct CountSource {
  const Vocab& vocab;
  const EncodedCorpus* corpus = nullptr;
  const SparseMatrix* counts = nullptr;
  std::string describe(size_t window) const {
    return corpus ? fmt::format("{} tokens (window {})", corpus->raw_tokens, window)
                  : fmt::format("{} co-occurrence counts", format_count(static_cast<double>(counts->nnz())));
  }
};

void run_glove(const TrainArgs& args, const CountSource& source, double read_seconds,
               std::chrono::steady_clock::time_point start) {
  GloveOptions options = args.settings.glove;
  options.stop = &stop_requested;
  ProgressLine progress;
  options.on_counting_progress = [&](double fraction) {
    progress.show(fmt::format("counting co-occurrences  {:5.1f}%", 100 * fraction));
  };
  options.on_progress = [&](const GloveProgress& p) {
    progress.show(fmt::format("epoch {}/{}  {:5.1f}%  {} updates/s  loss {:.4f}  ETA {}", p.epoch + 1,
                              options.epochs, 100 * p.fraction, format_count(p.updates_per_second),
                              p.loss, format_duration(p.eta_seconds)));
  };
  auto previous_interrupt = std::signal(SIGINT, request_stop);
  auto previous_terminate = std::signal(SIGTERM, request_stop);
  previous_interrupt_handler = previous_interrupt;
  previous_terminate_handler = previous_terminate;
  GloveResult result = source.corpus ? train_glove(source.vocab, *source.corpus, options)
                                     : train_glove_on_counts(source.vocab, *source.counts, options);
  std::signal(SIGINT, previous_interrupt);
  std::signal(SIGTERM, previous_terminate);
  progress.finish();
  if (result.interrupted) {
    fmt::print(stderr, "embkit: interrupted; nothing written\n");
    exit_status() = 130;
    return;
  }
  save_outputs(args, result.vectors, std::move(result.contexts));
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(stderr,
             "trained glove on {} x {} epochs: vocabulary {}, {} co-occurring pairs ({} spilled shards); "
             "{:.1f} s reading + {:.1f} s counting + {:.1f} s shuffling + {:.1f} s training ({} updates/s), "
             "final loss {:.4f}{}; wrote {} ({:.1f} s in all)\n",
             source.describe(options.counting.window), options.epochs, source.vocab.size(),
             format_count(static_cast<double>(result.cooccurrence_nnz)), result.counting.shards,
             read_seconds, result.count_seconds, result.shuffle_seconds, result.train_seconds,
             format_count(result.updates_per_second), result.final_loss,
             result.skipped_updates ? fmt::format(" ({} non-finite steps skipped)", result.skipped_updates)
                                    : std::string(),
             args.output, total);
}

void run_ppmi_svd(const TrainArgs& args, const CountSource& source, double read_seconds,
                  std::chrono::steady_clock::time_point start) {
  PpmiSvdOptions options = args.settings.ppmi_svd;
  ProgressLine progress;
  options.on_progress = [&](const std::string& stage, double fraction) {
    if (stage == "counting")
      progress.show(fmt::format("counting co-occurrences  {:5.1f}%", 100 * fraction));
    else
      progress.show(fmt::format("{}...", stage == "ppmi" ? "weighting by PPMI" : "truncated SVD"));
  };
  PpmiSvdResult result = source.corpus ? train_ppmi_svd(source.vocab, *source.corpus, options)
                                       : train_ppmi_svd_on_counts(source.vocab, *source.counts, options);
  progress.finish();
  save_outputs(args, result.vectors, std::move(result.contexts));
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(stderr,
             "trained ppmi-svd on {}: vocabulary {}, {} co-occurring pairs ({} spilled shards), {} PPMI "
             "entries; {:.1f} s reading + {:.1f} s counting + {:.1f} s PPMI + {:.1f} s SVD; wrote {} "
             "({:.1f} s in all)\n",
             source.describe(options.counting.window), source.vocab.size(),
             format_count(static_cast<double>(result.cooccurrence_nnz)), result.counting.shards,
             format_count(static_cast<double>(result.ppmi_nnz)), read_seconds, result.count_seconds,
             result.ppmi_seconds, result.svd_seconds, args.output, total);
}

void run_train(TrainArgs& args) {
  namespace fs = std::filesystem;
  apply_train_options(given_option_values(train_option_table(), *args.given), args.settings);
  const std::string& algo = args.settings.algo;
  require_output_directory(args.output);
  auto start = std::chrono::steady_clock::now();
  if (args.input.empty() == args.counts.empty())
    throw UsageError("train: give either --input CORPUS or --counts COUNTS.npz");
  if (!args.counts.empty()) {
    if (algo != "glove" && algo != "ppmi-svd")
      throw UsageError("train: --counts works with --algo glove or ppmi-svd");
    Vocab vocab = read_counts_vocab(counts_vocab_path(args.counts));
    SparseMatrix counts = load_sparse(args.counts);
    if (counts.rows() != vocab.size() || counts.cols() != vocab.size())
      throw FormatError(args.counts, fmt::format("a {} x {} matrix, but {} lists {} words", counts.rows(),
                                                 counts.cols(), counts_vocab_path(args.counts), vocab.size()));
    double read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (algo == "glove")
      run_glove(args, {vocab, nullptr, &counts}, read_seconds, start);
    else
      run_ppmi_svd(args, {vocab, nullptr, &counts}, read_seconds, start);
    return;
  }
  if (algo == "sgns" || algo == "cbow") {
    const Word2VecOptions& w = args.settings.word2vec;
    if (w.subwords.maxn > 0) validate_subword_settings(w.subwords);
    if (!args.save_context.empty() && w.loss == Word2VecLoss::HierarchicalSoftmax)
      throw UsageError("train: --save-context needs --loss ns or softmax (hs has no context vector per word)");
  }
  PreparedCorpus prepared = read_training_corpus(args.input, args.settings.vocab.min_count,
                                                 args.settings.vocab.max_vocab, args.settings.lowercase);
  ProgressLine progress;
  double read_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (algo == "ppmi-svd") {
    run_ppmi_svd(args, {prepared.vocab, &prepared.corpus, nullptr}, read_seconds, start);
    return;
  }
  if (algo == "glove") {
    run_glove(args, {prepared.vocab, &prepared.corpus, nullptr}, read_seconds, start);
    return;
  }

  Word2VecOptions options = args.settings.word2vec;
  options.checkpoint_path = args.checkpoint.empty() ? args.output + ".checkpoint" : args.checkpoint;
  options.stop = &stop_requested;
  options.on_progress = [&](const TrainProgress& p) { progress.show(progress_text(p, options.epochs)); };

  // The previous handlers come back afterwards (the one that removes temporary files on Ctrl-C).
  auto previous_interrupt = std::signal(SIGINT, request_stop);
  auto previous_terminate = std::signal(SIGTERM, request_stop);
  previous_interrupt_handler = previous_interrupt;
  previous_terminate_handler = previous_terminate;
  TrainResult result;
  if (args.resume) {
    if (!fs::exists(options.checkpoint_path))
      throw IoError("open", options.checkpoint_path, ENOENT);
    result = resume_word2vec(options.checkpoint_path, prepared.vocab, prepared.corpus, options);
  } else {
    KeyedVectors init;
    if (!args.init.empty()) init = load(args.init);
    result = train_word2vec(prepared.vocab, prepared.corpus, options, args.init.empty() ? nullptr : &init);
  }
  progress.finish();
  if (result.interrupted) {
    std::signal(SIGINT, previous_interrupt);
    std::signal(SIGTERM, previous_terminate);
    fmt::print(stderr, "embkit: interrupted; state saved to {} (continue with --resume)\n",
               options.checkpoint_path);
    exit_status() = 130;
    return;
  }
  // A first Ctrl-C during the final write only takes note: killing the write would throw the
  // finished training away, so the model is written in full first (a second Ctrl-C still ends
  // the process at once).
  save_outputs(args, result.vectors, std::move(result.contexts));
  std::signal(SIGINT, previous_interrupt);
  std::signal(SIGTERM, previous_terminate);
  if (stop_requested.load()) {
    fmt::print(stderr, "embkit: interrupted while writing {}; finished writing it first\n",
               args.output);
    exit_status() = 130;
  }
  std::error_code ignored;
  fs::remove(options.checkpoint_path, ignored);
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(stderr,
             "trained {} on {} tokens x {} epochs: vocabulary {}, {:.1f} s reading + {:.1f} s training, "
             "{} words/s, final loss {:.4f}; wrote {} ({:.1f} s in all)\n",
             algo, prepared.corpus.raw_tokens, options.epochs, prepared.vocab.size(), read_seconds,
             result.seconds, format_count(result.words_per_second), result.final_loss, args.output, total);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "train", "Train word vectors (skip-gram or CBOW with negative sampling, PPMI + SVD, GloVe)");
  cmd->add_option("--input", args->input, "Corpus: UTF-8 text, one sentence per line (.gz/.xz/.zst too)");
  cmd->add_option("--counts", args->counts,
                  "glove, ppmi-svd: learn from co-occurrence counts written by `embkit cooccur` (COUNTS.npz "
                  "with COUNTS.vocab.txt beside it) instead of a corpus");
  cmd->add_option("--output", args->output, "Model to write (format from the extension or --to)")->required();
  add_table_options(cmd, train_option_table(), args->given);
  cmd->add_option("--checkpoint", args->checkpoint, "Checkpoint file (default: OUTPUT.checkpoint)");
  cmd->add_flag("--resume", args->resume, "Continue from the checkpoint");
  cmd->add_option("--init", args->init, "Start known words from these pretrained vectors");
  cmd->add_option("--save-context", args->save_context, "Also save the output (context) vectors");
  cmd->add_option("--to", args->to, "Output format: native|vec|glove|bin|npy (default: from the extension)");
  cmd->callback([args] { run_train(*args); });
}

}  // namespace embkit::cli
