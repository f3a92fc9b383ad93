// `embkit train --input CORPUS --output MODEL [--algo sgns|cbow] ...`: reads the corpus once into word
// ids, trains, writes the model atomically. SIGINT / SIGTERM stop training after a last checkpoint,
// which `--resume` continues.
#include <csignal>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "cli/common.h"
#include "embkit/corpus_encoder.h"
#include "embkit/error.h"
#include "embkit/glove.h"
#include "embkit/npz.h"
#include "embkit/ppmi_svd.h"
#include "embkit/progress.h"
#include "embkit/word2vec.h"

namespace embkit::cli {
namespace {

struct TrainArgs {
  std::string input, output;
  std::string counts;  // glove / ppmi-svd from `embkit cooccur` output instead of a corpus
  std::string algo = "sgns";
  size_t dim = 100, window = 0, negative = 5, epochs = 0;  // window, epochs 0: the algorithm's default
  uint64_t min_count = 5;
  size_t max_vocab = 0;
  double sample = 1e-3;
  double lr = 0;
  int threads = 0;
  uint64_t seed = 1;
  double checkpoint_every = 0;
  std::string checkpoint;
  bool resume = false;
  std::string init;
  std::string loss_log;
  std::string save_context;
  std::string to = "auto";
  std::string update = "minibatch";
  bool lowercase = false;
  // ppmi-svd
  double eig_power = 0.25;
  std::string svd = "randomized";
  double shift = 1.0, cds = 0.75;
  size_t power_iterations = 5, oversample = 20;
  std::string range_precision = "half";
  double memory_gb = 4.0;
  std::string temp_dir;
  std::string weighting;  // empty: the algorithm's default (harmonic)
  bool one_sided = false;
  // glove
  double x_max = 10, alpha = 0.75;
  std::string glove_output = "sum";
};

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int signal_number) {
  stop_requested.store(true);
  std::signal(signal_number, SIG_DFL);  // a second Ctrl-C ends the process at once
}

void save_model(const KeyedVectors& kv, const std::string& path, const std::string& to) {
  SaveOptions options;
  options.format = parse_format(to);
  if (options.format == Format::Auto) options.format = format_for_output(path);
  save(kv, path, options);
}

std::string progress_text(const TrainProgress& p, size_t epochs) {
  return fmt::format("epoch {}/{}  {:5.1f}%  {} words/s/thread  lr {:.5f}  loss {:.4f}  ETA {}",
                     p.epoch + 1, epochs, 100 * p.fraction, format_count(p.words_per_second_per_thread),
                     p.learning_rate, p.loss, format_duration(p.eta_seconds));
}

void set_counting_options(const TrainArgs& args, CooccurrenceOptions& counting) {
  if (args.window > 0) counting.window = args.window;
  counting.symmetric = !args.one_sided;
  if (!args.weighting.empty())
    counting.weighting =
        args.weighting == "harmonic" ? CooccurrenceWeighting::Harmonic : CooccurrenceWeighting::Uniform;
  counting.memory_gb = args.memory_gb;
  counting.temp_dir = args.temp_dir;
  counting.threads = args.threads;
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
  GloveOptions options = default_glove_options();
  set_counting_options(args, options.counting);
  options.dim = args.dim;
  if (args.epochs > 0) options.epochs = args.epochs;
  if (args.lr > 0) options.learning_rate = args.lr;
  options.x_max = args.x_max;
  options.alpha = args.alpha;
  options.output = args.glove_output == "word" ? GloveOutput::Word : GloveOutput::Sum;
  options.threads = args.threads;
  options.seed = args.seed;
  options.loss_log_path = args.loss_log;
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
  PpmiSvdOptions options = default_ppmi_svd_options();
  set_counting_options(args, options.counting);
  options.ppmi.smoothing = args.cds;
  options.ppmi.shift = args.shift;
  options.ppmi.threads = args.threads;
  options.svd.rank = args.dim;
  options.svd.method = args.svd == "lanczos" ? SvdMethod::Lanczos : SvdMethod::Randomized;
  options.svd.power_iterations = args.power_iterations;
  options.svd.oversample = args.oversample;
  options.svd.half_precision_range = args.range_precision == "half";
  options.svd.seed = args.seed;
  options.svd.threads = args.threads;
  options.eig_power = args.eig_power;
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

void run_train(const TrainArgs& args) {
  namespace fs = std::filesystem;
  require_output_directory(args.output);
  auto start = std::chrono::steady_clock::now();
  if (args.input.empty() == args.counts.empty())
    throw UsageError("train: give either --input CORPUS or --counts COUNTS.npz");
  if (!args.counts.empty()) {
    if (args.algo != "glove" && args.algo != "ppmi-svd")
      throw UsageError("train: --counts works with --algo glove or ppmi-svd");
    Vocab vocab = read_counts_vocab(counts_vocab_path(args.counts));
    SparseMatrix counts = load_sparse(args.counts);
    if (counts.rows() != vocab.size() || counts.cols() != vocab.size())
      throw FormatError(args.counts, fmt::format("a {} x {} matrix, but {} lists {} words", counts.rows(),
                                                 counts.cols(), counts_vocab_path(args.counts), vocab.size()));
    double read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (args.algo == "glove")
      run_glove(args, {vocab, nullptr, &counts}, read_seconds, start);
    else
      run_ppmi_svd(args, {vocab, nullptr, &counts}, read_seconds, start);
    return;
  }
  PreparedCorpus prepared =
      read_training_corpus(args.input, args.min_count, args.max_vocab, args.lowercase);
  ProgressLine progress;
  double read_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (args.algo == "ppmi-svd") {
    run_ppmi_svd(args, {prepared.vocab, &prepared.corpus, nullptr}, read_seconds, start);
    return;
  }
  if (args.algo == "glove") {
    run_glove(args, {prepared.vocab, &prepared.corpus, nullptr}, read_seconds, start);
    return;
  }

  Word2VecOptions options;
  options.architecture = args.algo == "cbow" ? Word2VecArchitecture::Cbow : Word2VecArchitecture::SkipGram;
  options.dim = args.dim;
  if (args.window > 0) options.window = args.window;
  options.negative = args.negative;
  options.sample = args.sample;
  if (args.epochs > 0) options.epochs = args.epochs;
  options.learning_rate = args.lr;
  options.threads = args.threads;
  options.seed = args.seed;
  options.minibatch = args.update == "minibatch";
  options.checkpoint_every_seconds = args.checkpoint_every;
  options.checkpoint_path = args.checkpoint.empty() ? args.output + ".checkpoint" : args.checkpoint;
  options.loss_log_path = args.loss_log;
  options.stop = &stop_requested;
  options.on_progress = [&](const TrainProgress& p) { progress.show(progress_text(p, options.epochs)); };

  // The previous handlers come back afterwards (the one that removes temporary files on Ctrl-C).
  auto previous_interrupt = std::signal(SIGINT, request_stop);
  auto previous_terminate = std::signal(SIGTERM, request_stop);
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
             args.algo, prepared.corpus.raw_tokens, options.epochs, prepared.vocab.size(), read_seconds,
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
  cmd->add_option("--algo", args->algo, "sgns (skip-gram), cbow, ppmi-svd or glove")
      ->check(CLI::IsMember({"sgns", "cbow", "ppmi-svd", "glove"}));
  cmd->add_option("--dim", args->dim, "Vector dimension")->check(CLI::Range(1, 10000));
  cmd->add_option("--window", args->window, "Maximum context window (default 5; ppmi-svd 8, glove 15)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--negative", args->negative, "Negative samples per word")->check(CLI::Range(1, 1000));
  cmd->add_option("--min-count", args->min_count, "Ignore words rarer than this");
  cmd->add_option("--max-vocab", args->max_vocab, "Keep only the N most frequent words");
  cmd->add_option("--sample", args->sample, "Subsampling threshold for frequent words (0 = off)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--epochs", args->epochs, "Passes over the corpus (default 5; glove 25)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--lr", args->lr, "Initial learning rate (default 0.025 sgns, 0.05 cbow and glove)")
      ->check(CLI::Range(0.0, 100.0));
  add_threads_arg(cmd, args->threads);
  cmd->add_option("--seed", args->seed, "Random seed (with --threads 1 the output is bit-identical)");
  cmd->add_option("--checkpoint-every", args->checkpoint_every, "Write a resumable state every N seconds")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--checkpoint", args->checkpoint, "Checkpoint file (default: OUTPUT.checkpoint)");
  cmd->add_flag("--resume", args->resume, "Continue from the checkpoint");
  cmd->add_option("--init", args->init, "Start known words from these pretrained vectors");
  cmd->add_option("--loss-log", args->loss_log, "Write the loss curve to this CSV file");
  cmd->add_option("--save-context", args->save_context, "Also save the output (context) vectors");
  cmd->add_option("--to", args->to, "Output format: native|vec|glove|bin|npy (default: from the extension)");
  cmd->add_option("--update", args->update, "minibatch (shared negatives per window) or classic")
      ->check(CLI::IsMember({"minibatch", "classic"}));
  cmd->add_flag("--lowercase", args->lowercase, "Lowercase the text and split punctuation into tokens");
  auto ppmi = "ppmi-svd";
  cmd->add_option("--eig-power", args->eig_power, "ppmi-svd: vectors are U S^p, p in [0, 1] (default 0.25)")
      ->check(CLI::Range(0.0, 1.0))->group(ppmi);
  cmd->add_option("--svd", args->svd, "ppmi-svd: randomized (default) or lanczos")
      ->check(CLI::IsMember({"randomized", "lanczos"}))->group(ppmi);
  cmd->add_option("--shift", args->shift, "ppmi-svd: subtract log k from PMI (default 1 = none)")
      ->check(CLI::Range(1.0, 1e6))->group(ppmi);
  cmd->add_option("--cds", args->cds, "ppmi-svd: context-distribution smoothing exponent (default 0.75)")
      ->check(CLI::Range(0.01, 1.0))->group(ppmi);
  cmd->add_option("--power-iterations", args->power_iterations, "ppmi-svd: randomized SVD power iterations (default 5)")
      ->check(CLI::Range(0, 50))->group(ppmi);
  cmd->add_option("--range-precision", args->range_precision,
                  "ppmi-svd: randomized SVD power-iteration products read X in half (default, where the "
                  "CPU converts halves) or float precision")
      ->check(CLI::IsMember({"half", "float"}))->group(ppmi);
  cmd->add_option("--oversample", args->oversample, "ppmi-svd: randomized SVD oversampling (default 20)")
      ->check(CLI::Range(0, 1000))->group(ppmi);
  auto counting = "ppmi-svd and glove";
  cmd->add_option("--weighting", args->weighting,
                  "Co-occurrence weight: harmonic 1/d (default) or uniform")
      ->check(CLI::IsMember({"uniform", "harmonic"}))->group(counting);
  cmd->add_flag("--one-sided", args->one_sided, "Count left contexts only")->group(counting);
  cmd->add_option("--memory", args->memory_gb, "Counting memory budget in GB; above it, spill to disk (default 4)")
      ->check(CLI::Range(0.001, 1e6))->group(counting);
  cmd->add_option("--temp-dir", args->temp_dir, "Directory for spilled shards (default: system temp)")
      ->group(counting);
  auto glove = "glove";
  cmd->add_option("--x-max", args->x_max, "glove: counts above this get full weight (default 10)")
      ->check(CLI::Range(1e-6, 1e12))->group(glove);
  cmd->add_option("--alpha", args->alpha, "glove: weight exponent, f(x) = (x / x_max)^alpha (default 0.75)")
      ->check(CLI::Range(0.0, 10.0))->group(glove);
  cmd->add_option("--glove-output", args->glove_output, "glove: save word + context vectors (sum, default) or word only")
      ->check(CLI::IsMember({"sum", "word"}))->group(glove);
  cmd->callback([args] { run_train(*args); });
}

}  // namespace embkit::cli
