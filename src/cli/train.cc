// `embkit train --input CORPUS --output MODEL [--algo sgns|cbow] ...`: reads the corpus once into word
// ids, trains, writes the model atomically. SIGINT / SIGTERM stop training after a last checkpoint,
// which `--resume` continues.
#include <csignal>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "cli/common.h"
#include "embkit/corpus.h"
#include "embkit/error.h"
#include "embkit/ppmi_svd.h"
#include "embkit/progress.h"
#include "embkit/train.h"

namespace embkit::cli {
namespace {

struct TrainArgs {
  std::string input, output;
  std::string algo = "sgns";
  size_t dim = 100, window = 5, negative = 5, epochs = 5;
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
  double eig_power = 0.5;
  std::string svd = "randomized";
  double shift = 1.0, cds = 0.75;
  size_t power_iterations = 3, oversample = 20;
  double memory_gb = 4.0;
  std::string temp_dir;
  std::string weighting = "uniform";
  bool one_sided = false;
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

void run_ppmi_svd(const TrainArgs& args, const PreparedCorpus& prepared, double read_seconds,
                  std::chrono::steady_clock::time_point start) {
  PpmiSvdOptions options = default_ppmi_svd_options();
  options.counting.window = args.window;
  options.counting.symmetric = !args.one_sided;
  options.counting.weighting =
      args.weighting == "harmonic" ? CooccurrenceWeighting::Harmonic : CooccurrenceWeighting::Uniform;
  options.counting.memory_gb = args.memory_gb;
  options.counting.temp_dir = args.temp_dir;
  options.counting.threads = args.threads;
  options.ppmi.smoothing = args.cds;
  options.ppmi.shift = args.shift;
  options.ppmi.threads = args.threads;
  options.svd.rank = args.dim;
  options.svd.method = args.svd == "lanczos" ? SvdMethod::Lanczos : SvdMethod::Randomized;
  options.svd.power_iterations = args.power_iterations;
  options.svd.oversample = args.oversample;
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
  PpmiSvdResult result = train_ppmi_svd(prepared.vocab, prepared.corpus, options);
  progress.finish();
  save_model(result.vectors, args.output, args.to);
  if (!args.save_context.empty()) {
    KeyedVectors contexts(prepared.vocab.head(prepared.vocab.size()), std::move(result.contexts));
    save_model(contexts, args.save_context, "auto");
  }
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(stderr,
             "trained ppmi-svd on {} tokens: vocabulary {}, window {}, {} co-occurring pairs ({} spilled "
             "shards), {} PPMI entries; {:.1f} s reading + {:.1f} s counting + {:.1f} s PPMI + {:.1f} s "
             "SVD; wrote {} ({:.1f} s in all)\n",
             prepared.corpus.raw_tokens, prepared.vocab.size(), options.counting.window,
             format_count(static_cast<double>(result.cooccurrence_nnz)), result.counting.shards,
             format_count(static_cast<double>(result.ppmi_nnz)), read_seconds, result.count_seconds,
             result.ppmi_seconds, result.svd_seconds, args.output, total);
}

void run_train(const TrainArgs& args) {
  namespace fs = std::filesystem;
  require_output_directory(args.output);
  auto start = std::chrono::steady_clock::now();
  PreparedCorpus prepared =
      read_training_corpus(args.input, args.min_count, args.max_vocab, args.lowercase);
  ProgressLine progress;
  double read_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (args.algo == "ppmi-svd") {
    run_ppmi_svd(args, prepared, read_seconds, start);
    return;
  }

  Word2VecOptions options;
  options.architecture = args.algo == "cbow" ? Word2VecArchitecture::Cbow : Word2VecArchitecture::SkipGram;
  options.dim = args.dim;
  options.window = args.window;
  options.negative = args.negative;
  options.sample = args.sample;
  options.epochs = args.epochs;
  options.learning_rate = args.lr;
  options.threads = args.threads;
  options.seed = args.seed;
  options.minibatch = args.update == "minibatch";
  options.checkpoint_every_seconds = args.checkpoint_every;
  options.checkpoint_path = args.checkpoint.empty() ? args.output + ".checkpoint" : args.checkpoint;
  options.loss_log_path = args.loss_log;
  options.stop = &stop_requested;
  options.on_progress = [&](const TrainProgress& p) { progress.show(progress_text(p, args.epochs)); };

  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
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
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  progress.finish();
  if (result.interrupted) {
    fmt::print(stderr, "embkit: interrupted; state saved to {} (continue with --resume)\n",
               options.checkpoint_path);
    exit_status() = 130;
    return;
  }
  save_model(result.vectors, args.output, args.to);
  if (!args.save_context.empty()) {
    KeyedVectors contexts(prepared.vocab.head(prepared.vocab.size()), std::move(result.contexts));
    save_model(contexts, args.save_context, "auto");
  }
  std::error_code ignored;
  fs::remove(options.checkpoint_path, ignored);
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(stderr,
             "trained {} on {} tokens x {} epochs: vocabulary {}, {:.1f} s reading + {:.1f} s training, "
             "{} words/s, final loss {:.4f}; wrote {} ({:.1f} s in all)\n",
             args.algo, prepared.corpus.raw_tokens, args.epochs, prepared.vocab.size(), read_seconds,
             result.seconds, format_count(result.words_per_second), result.final_loss, args.output, total);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand("train", "Train word vectors (skip-gram or CBOW with negative sampling, PPMI + SVD)");
  cmd->add_option("--input", args->input, "Corpus: UTF-8 text, one sentence per line (.gz/.xz/.zst too)")
      ->required();
  cmd->add_option("--output", args->output, "Model to write (format from the extension or --to)")->required();
  cmd->add_option("--algo", args->algo, "sgns (skip-gram), cbow or ppmi-svd")
      ->check(CLI::IsMember({"sgns", "cbow", "ppmi-svd"}));
  cmd->add_option("--dim", args->dim, "Vector dimension")->check(CLI::Range(1, 10000));
  cmd->add_option("--window", args->window, "Maximum context window (default 5)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--negative", args->negative, "Negative samples per word")->check(CLI::Range(1, 1000));
  cmd->add_option("--min-count", args->min_count, "Ignore words rarer than this");
  cmd->add_option("--max-vocab", args->max_vocab, "Keep only the N most frequent words");
  cmd->add_option("--sample", args->sample, "Subsampling threshold for frequent words (0 = off)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--epochs", args->epochs, "Passes over the corpus")->check(CLI::Range(1, 100000));
  cmd->add_option("--lr", args->lr, "Initial learning rate (default 0.025 sgns, 0.05 cbow)")
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
  cmd->add_option("--eig-power", args->eig_power, "ppmi-svd: vectors are U S^p (0, 0.5 or 1; default 0.5)")
      ->check(CLI::Range(0.0, 1.0))->group(ppmi);
  cmd->add_option("--svd", args->svd, "ppmi-svd: randomized (default) or lanczos")
      ->check(CLI::IsMember({"randomized", "lanczos"}))->group(ppmi);
  cmd->add_option("--shift", args->shift, "ppmi-svd: subtract log k from PMI (default 1 = none)")
      ->check(CLI::Range(1.0, 1e6))->group(ppmi);
  cmd->add_option("--cds", args->cds, "ppmi-svd: context-distribution smoothing exponent (default 0.75)")
      ->check(CLI::Range(0.01, 1.0))->group(ppmi);
  cmd->add_option("--power-iterations", args->power_iterations, "ppmi-svd: randomized SVD power iterations (default 3)")
      ->check(CLI::Range(0, 50))->group(ppmi);
  cmd->add_option("--oversample", args->oversample, "ppmi-svd: randomized SVD oversampling (default 20)")
      ->check(CLI::Range(0, 1000))->group(ppmi);
  cmd->add_option("--weighting", args->weighting, "ppmi-svd: co-occurrence weight uniform (default) or harmonic (1/d)")
      ->check(CLI::IsMember({"uniform", "harmonic"}))->group(ppmi);
  cmd->add_flag("--one-sided", args->one_sided, "ppmi-svd: count left contexts only")->group(ppmi);
  cmd->add_option("--memory", args->memory_gb, "ppmi-svd: counting memory budget in GB; above it, spill to disk (default 4)")
      ->check(CLI::Range(0.001, 1e6))->group(ppmi);
  cmd->add_option("--temp-dir", args->temp_dir, "ppmi-svd: directory for spilled shards (default: system temp)")->group(ppmi);
  cmd->callback([args] { run_train(*args); });
}

}  // namespace embkit::cli
