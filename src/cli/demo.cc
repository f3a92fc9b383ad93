// `embkit demo`: the README's main job. Trains skip-gram vectors on the Wikipedia sample the project
// ships (data/demo/demo.txt.xz), then shows nearest neighbours, analogies with the rank of the
// expected answer, the standard evaluations, and every file format written and read back. Without
// the shipped corpus (or with --synthetic) it builds a model with planted structure instead
// (demo_model.h), so the demo always runs.
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <fmt/format.h>

#include "cli/common.h"
#include "cli/demo_model.h"
#include "embkit/prepare_corpus.h"
#include "embkit/error.h"
#include "embkit/analogy.h"
#include "embkit/word_pairs.h"
#include "embkit/kernels.h"
#include "embkit/progress.h"
#include "embkit/word2vec.h"

namespace embkit::cli {
namespace {

namespace fs = std::filesystem;

struct DemoArgs {
  std::string dir;
  std::string corpus;
  std::string algo = "sgns";
  size_t epochs = 15;
  size_t window = 8;
  uint64_t seed = 1;
  size_t words = 30000;
  int threads = 0;
  bool synthetic = false;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The shipped data directory: beside the sources at build time, or ../data next to the binary.
fs::path data_dir() {
  std::error_code ignored;
  fs::path beside_binary = fs::read_symlink("/proc/self/exe", ignored).parent_path().parent_path() / "data";
  if (fs::exists(beside_binary / "demo")) return beside_binary;
  return EMBKIT_DATA_DIR;
}

bool same_model(const KeyedVectors& a, const KeyedVectors& b) {
  if (a.size() != b.size() || a.dim() != b.dim()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a.vocab().word(i) != b.vocab().word(i)) return false;
    if (std::memcmp(a.vectors().row(i), b.vectors().row(i), a.dim() * sizeof(float)) != 0) return false;
  }
  return true;
}

void show_formats(const KeyedVectors& kv, const fs::path& dir, int threads, int step) {
  struct Target {
    Format format;
    const char* file;
  };
  const Target targets[] = {{Format::Native, "demo.emb"}, {Format::Bin, "demo.bin"},
                            {Format::Vec, "demo.vec"},    {Format::Glove, "demo.glove.txt"},
                            {Format::Npy, "demo.npy"}};
  fmt::print("\n{}. Every file format, written atomically and read back:\n", step);
  fmt::print("   {:<8} {:<16} {:>9} {:>10} {:>10}  {}\n", "format", "file", "MB", "write s", "read s",
             "round trip");
  for (const Target& t : targets) {
    fs::path path = dir / t.file;
    SaveOptions save_options;
    save_options.format = t.format;
    auto start = std::chrono::steady_clock::now();
    save(kv, path.string(), save_options);
    double write_seconds = seconds_since(start);
    LoadOptions load_options;
    load_options.threads = threads;
    start = std::chrono::steady_clock::now();
    KeyedVectors back = load(path.string(), load_options);
    double read_seconds = seconds_since(start);
    fmt::print("   {:<8} {:<16} {:>9.1f} {:>10.4f} {:>10.4f}  {}\n", format_name(t.format), t.file,
               fs::file_size(path) / 1e6, write_seconds, read_seconds,
               same_model(kv, back) ? "bit-exact" : "DIFFERS");
  }
}

void show_neighbors(const KeyedVectors& kv, const std::vector<std::string>& words, int step) {
  fmt::print("\n{}. Nearest neighbours (cosine):\n", step);
  for (const std::string& word : words) {
    if (!kv.vocab().contains(word)) continue;
    QueryOptions options;
    options.topn = 6;
    std::string line;
    for (const Neighbor& n : most_similar(kv, {word}, {}, options))
      line += fmt::format("{} {:.2f}  ", n.word, n.score);
    fmt::print("   {:<10} {}\n", word, line);
  }
}

void show_analogies(const KeyedVectors& kv, const std::vector<std::array<std::string, 4>>& questions,
                    size_t restrict_vocab, int step) {
  fmt::print("\n{}. Analogies a : b :: c : ?  (3CosAdd over the {} most frequent words;\n"
             "   rank = position of the expected answer)\n",
             step, restrict_vocab);
  for (const auto& q : questions) {
    bool known = true;
    for (const std::string& w : q) known = known && kv.vocab().contains(w);
    if (!known) continue;
    QueryOptions options;
    options.topn = 100;
    options.restrict_vocab = restrict_vocab;
    auto answers = analogy(kv, q[0], q[1], q[2], AnalogyMethod::Add, options);
    size_t rank = 0;
    while (rank < answers.size() && answers[rank].word != q[3]) ++rank;
    std::string question = fmt::format("{} : {} :: {} : {}", q[0], q[1], q[2],
                                       answers.empty() ? "?" : std::string(answers.front().word));
    fmt::print("   {:<44} expected {:<10} rank {}\n", question, q[3],
               rank < answers.size() ? std::to_string(rank + 1) : "> 100");
  }
}

void show_evaluation(const KeyedVectors& kv, const std::string& questions,
                     const std::vector<std::string>& pair_files, size_t restrict_vocab, int threads,
                     int step) {
  fmt::print("\n{}. Evaluation (restricted to the {} most frequent words, as gensim's restrict_vocab):\n",
             step, restrict_vocab);
  auto start = std::chrono::steady_clock::now();
  AnalogyOptions options;
  options.threads = threads;
  options.restrict_vocab = restrict_vocab;
  AnalogyResult a = evaluate_analogies(kv, questions, options);
  fmt::print("   analogies  {:<22} accuracy {:5.1f}%  (semantic {:.1f}%, syntactic {:.1f}%; {} of {} "
             "questions answerable; {:.2f} s)\n",
             fs::path(questions).filename().string(), 100 * a.accuracy(), 100 * a.semantic(),
             100 * a.syntactic(), a.answered, a.total, seconds_since(start));
  for (const std::string& file : pair_files) {
    SimilarityOptions pair_options;
    pair_options.restrict_vocab = restrict_vocab;
    SimilarityResult s = evaluate_word_pairs(kv, file, pair_options);
    fmt::print("   similarity {:<22} Spearman {:.3f}  Pearson {:.3f}  ({} pairs, {} out of vocabulary)\n",
               fs::path(file).filename().string(), s.spearman, s.pearson, s.pairs, s.oov);
  }
}

KeyedVectors train_demo_model(const DemoArgs& args, const std::string& corpus) {
  auto start = std::chrono::steady_clock::now();
  ProgressLine progress;
  PreparedCorpus prepared = prepare_corpus(corpus, VocabOptions{}, CorpusOptions{}, [&](double fraction) {
    progress.show(fmt::format("   reading {:5.1f}%", 100 * fraction));
  });
  progress.finish();
  fmt::print("1. Read {}: {} tokens, {} words occur at least 5 times ({:.1f} s).\n", corpus,
             prepared.corpus.raw_tokens, prepared.vocab.size(), seconds_since(start));

  Word2VecOptions options;
  options.architecture = args.algo == "cbow" ? Word2VecArchitecture::Cbow : Word2VecArchitecture::SkipGram;
  options.sample = 1e-4;
  options.window = args.window;
  options.epochs = args.epochs;
  options.threads = args.threads;
  options.seed = args.seed;
  options.on_progress = [&](const TrainProgress& p) {
    progress.show(fmt::format("   epoch {}/{}  {:5.1f}%  {} words/s/thread  loss {:.3f}  ETA {}", p.epoch + 1,
                              args.epochs, 100 * p.fraction, format_count(p.words_per_second_per_thread),
                              p.loss, format_duration(p.eta_seconds)));
  };
  fmt::print("\n2. Training {} (dim 100, window {}, 5 negatives, sample 1e-4, {} epochs) ...\n",
             args.algo == "cbow" ? "CBOW" : "skip-gram", args.window, args.epochs);
  std::fflush(stdout);
  TrainResult result = train_word2vec(prepared.vocab, prepared.corpus, options);
  progress.finish();
  fmt::print("   {:.1f} s, {} words/s, final loss {:.3f}\n", result.seconds,
             format_count(result.words_per_second), result.final_loss);
  return std::move(result.vectors);
}

void run_trained_demo(const DemoArgs& args, const std::string& corpus, const fs::path& dir) {
  fs::path data = data_dir();
  KeyedVectors kv = train_demo_model(args, corpus);
  show_neighbors(kv, {"france", "king", "music", "computer", "einstein", "river", "war", "blue"}, 3);
  show_analogies(kv,
                 {{"man", "king", "woman", "queen"},
                  {"france", "paris", "germany", "berlin"},
                  {"france", "paris", "italy", "rome"},
                  {"brother", "sister", "father", "mother"},
                  {"big", "bigger", "small", "smaller"},
                  {"walk", "walking", "swim", "swimming"},
                  {"good", "better", "bad", "worse"},
                  {"england", "english", "france", "french"}},
                 30000, 4);
  fs::path eval = data / "eval";
  if (fs::exists(eval / "questions-words.txt"))
    show_evaluation(kv, (eval / "questions-words.txt").string(),
                    {(eval / "wordsim353.tsv").string(), (eval / "simlex999.txt").string()}, 30000,
                    args.threads, 5);
  show_formats(kv, dir, args.threads, 6);
}

void run_synthetic_demo(const DemoArgs& args, const fs::path& dir) {
  DemoModelOptions options;
  options.filler_words = args.words;
  options.seed = args.seed;
  DemoModel model = make_demo_model(options);
  const KeyedVectors& kv = model.vectors;
  fmt::print("1. Built a {} x {} model with planted structure: countries and capitals, male and female,\n"
             "   plurals, comparatives, semantic clusters, and {} filler words.\n",
             kv.size(), kv.dim(), args.words);
  show_formats(kv, dir, args.threads, 2);
  show_neighbors(kv, {"paris", "king", "dog", "blue", "bigger"}, 3);
  show_analogies(kv,
                 {{"man", "woman", "king", "queen"},
                  {"france", "paris", "japan", "tokyo"},
                  {"dog", "dogs", "mouse", "mice"},
                  {"big", "bigger", "good", "better"},
                  {"father", "mother", "prince", "princess"}},
                 kv.size(), 4);
  fs::path questions = dir / "demo-questions.txt", pairs = dir / "demo-pairs.tsv";
  std::ofstream(questions) << model.analogy_questions;
  std::ofstream(pairs) << model.similarity_pairs;
  show_evaluation(kv, questions.string(), {pairs.string()}, kv.size(), args.threads, 5);
}

void run_demo(const DemoArgs& args) {
  auto start = std::chrono::steady_clock::now();
  fs::path dir = args.dir;
  bool temporary = dir.empty();
  if (temporary) {
    std::random_device random;
    dir = fs::temp_directory_path() / fmt::format("embkit-demo-{:x}", random());
  }
  fs::create_directories(dir);
  struct Cleanup {
    fs::path dir;
    bool active;
    ~Cleanup() {
      std::error_code ignored;
      if (active) fs::remove_all(dir, ignored);
    }
  } cleanup{dir, temporary};

  fmt::print("embkit demo (kernels: {})\n\n", kernels::isa_name());
  std::string corpus = args.corpus.empty() ? (data_dir() / "demo" / "demo.txt.xz").string() : args.corpus;
  if (!args.synthetic && !fs::exists(corpus)) {
    if (!args.corpus.empty()) throw IoError("open", corpus, ENOENT);
    fmt::print("(the demo corpus {} is missing: showing the synthetic demo instead)\n\n", corpus);
  }
  if (args.synthetic || !fs::exists(corpus)) {
    run_synthetic_demo(args, dir);
  } else {
    run_trained_demo(args, corpus, dir);
  }
  fmt::print("\nDone in {:.1f} s.", seconds_since(start));
  if (temporary)
    fmt::print(" Keep the files with --dir DIR, then try: embkit neighbors DIR/demo.emb paris\n");
  else
    fmt::print(" Files are in {}; try: embkit neighbors {} paris\n", dir.string(),
               (dir / "demo.emb").string());
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Train on the shipped Wikipedia sample, then query, evaluate and convert the vectors");
  cmd->add_option("--dir", args->dir, "Keep the demo's files in this directory (default: a temporary one)");
  cmd->add_option("--corpus", args->corpus, "Train on this corpus instead of data/demo/demo.txt.xz");
  cmd->add_option("--algo", args->algo, "sgns (skip-gram) or cbow")->check(CLI::IsMember({"sgns", "cbow"}));
  cmd->add_option("--epochs", args->epochs, "Training epochs (default 15)")->check(CLI::Range(1, 100));
  cmd->add_option("--window", args->window, "Context window (default 8)")->check(CLI::Range(1, 50));
  cmd->add_option("--seed", args->seed, "Random seed");
  cmd->add_flag("--synthetic", args->synthetic, "Use a generated model with planted structure instead");
  cmd->add_option("--words", args->words, "Filler words of the synthetic model")->check(CLI::Range(1000, 2000000));
  add_threads_arg(cmd, args->threads);
  cmd->callback([args] { run_demo(*args); });
}

}  // namespace embkit::cli
