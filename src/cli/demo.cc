// `embkit demo`: the README's main job. Builds a model with planted structure (see demo_model.h),
// writes it in every supported format, reads each back, and shows neighbours, analogies and the
// evaluation — all without any external data.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include <fmt/format.h>

#include "cli/common.h"
#include "cli/demo_model.h"
#include "embkit/error.h"
#include "embkit/eval.h"
#include "embkit/kernels.h"

namespace embkit::cli {
namespace {

namespace fs = std::filesystem;

struct DemoArgs {
  std::string dir;
  uint64_t seed = 1;
  size_t words = 30000;
  int threads = 0;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool same_model(const KeyedVectors& a, const KeyedVectors& b) {
  if (a.size() != b.size() || a.dim() != b.dim()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a.vocab().word(i) != b.vocab().word(i)) return false;
    if (std::memcmp(a.vectors().row(i), b.vectors().row(i), a.dim() * sizeof(float)) != 0) return false;
  }
  return true;
}

void show_formats(const KeyedVectors& kv, const fs::path& dir, int threads) {
  struct Target {
    Format format;
    const char* file;
  };
  const Target targets[] = {{Format::Native, "demo.emb"}, {Format::Bin, "demo.bin"},
                            {Format::Vec, "demo.vec"},    {Format::Glove, "demo.glove.txt"},
                            {Format::Npy, "demo.npy"}};
  fmt::print("\n2. Every format, written atomically and read back:\n");
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
    Format detected = detect_format(path.string());
    fmt::print("   {:<8} {:<16} {:>9.1f} {:>10.4f} {:>10.4f}  {}{}\n", format_name(t.format), t.file,
               fs::file_size(path) / 1e6, write_seconds, read_seconds,
               same_model(kv, back) ? "bit-exact" : "DIFFERS",
               detected == t.format ? "" : " (detected as " + std::string(format_name(detected)) + ")");
  }
}

void show_neighbors(const KeyedVectors& kv) {
  fmt::print("\n3. Nearest neighbours (cosine):\n");
  for (const char* word : {"paris", "king", "dog", "blue", "bigger"}) {
    QueryOptions options;
    options.topn = 5;
    std::string line;
    for (const Neighbor& n : most_similar(kv, {word}, {}, options))
      line += fmt::format("{} {:.2f}  ", n.word, n.score);
    fmt::print("   {:<8} {}\n", word, line);
  }
}

void show_analogies(const KeyedVectors& kv) {
  fmt::print("\n4. Analogies, a : b :: c : ?  (3CosAdd; rank of the expected answer among all words)\n");
  const char* questions[][4] = {{"man", "woman", "king", "queen"},
                                {"france", "paris", "japan", "tokyo"},
                                {"dog", "dogs", "mouse", "mice"},
                                {"big", "bigger", "good", "better"},
                                {"father", "mother", "prince", "princess"}};
  for (const auto& q : questions) {
    QueryOptions options;
    options.topn = kv.size();
    auto answers = analogy(kv, q[0], q[1], q[2], AnalogyMethod::Add, options);
    size_t rank = 0;
    while (rank < answers.size() && answers[rank].word != q[3]) ++rank;
    std::string question = fmt::format("{} : {} :: {} : {}", q[0], q[1], q[2], answers.front().word);
    fmt::print("   {:<40} expected {:<10} rank {}\n", question, q[3], rank + 1);
  }
  fmt::print("   doesnt_match(dog cat horse paris) = {}\n", doesnt_match(kv, {"dog", "cat", "horse", "paris"}));
}

void show_evaluation(const KeyedVectors& kv, const fs::path& dir, const DemoModel& model, int threads) {
  fs::path questions = dir / "demo-questions.txt", pairs = dir / "demo-pairs.tsv";
  std::ofstream(questions) << model.analogy_questions;
  std::ofstream(pairs) << model.similarity_pairs;
  fmt::print("\n5. Evaluation on the planted questions and word pairs:\n");
  auto start = std::chrono::steady_clock::now();
  AnalogyOptions options;
  options.threads = threads;
  AnalogyResult analogies = evaluate_analogies(kv, questions.string(), options);
  double analogy_seconds = seconds_since(start);
  for (const AnalogySection& s : analogies.sections)
    fmt::print("   {:<22} {:>4} / {:<4} {:6.1f}%\n", s.name, s.correct, s.answered,
               s.answered ? 100.0 * s.correct / s.answered : 0.0);
  fmt::print("   {:<22} {:>4} / {:<4} {:6.1f}%   (semantic {:.1f}%, syntactic {:.1f}%; {:.3f} s)\n", "all",
             analogies.correct, analogies.answered, 100 * analogies.accuracy(), 100 * analogies.semantic(),
             100 * analogies.syntactic(), analogy_seconds);
  SimilarityResult similarity = evaluate_word_pairs(kv, pairs.string());
  fmt::print("   word pairs: Spearman {:.3f}, Pearson {:.3f} over {} pairs\n", similarity.spearman,
             similarity.pearson, similarity.pairs - similarity.oov);
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
  DemoModelOptions options;
  options.filler_words = args.words;
  options.seed = args.seed;
  DemoModel model = make_demo_model(options);
  const KeyedVectors& kv = model.vectors;
  fmt::print("1. Built a {} x {} model with planted structure: countries and capitals, male and female,\n"
             "   plurals, comparatives, semantic clusters, and {} filler words.\n",
             kv.size(), kv.dim(), args.words);
  show_formats(kv, dir, args.threads);
  show_neighbors(kv);
  show_analogies(kv);
  show_evaluation(kv, dir, model, args.threads);
  fmt::print("\nDone in {:.2f} s.", seconds_since(start));
  if (temporary)
    fmt::print(" Keep the files with --dir DIR, then try: embkit neighbors DIR/demo.emb paris\n");
  else
    fmt::print(" Files are in {}; try: embkit neighbors {} paris\n", dir.string(), (dir / "demo.emb").string());
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand("demo", "Build a small model, convert, query and evaluate it");
  cmd->add_option("--dir", args->dir, "Keep the demo's files in this directory (default: a temporary one)");
  cmd->add_option("--seed", args->seed, "Random seed");
  cmd->add_option("--words", args->words, "Number of filler words")->check(CLI::Range(1000, 2000000));
  add_threads_arg(cmd, args->threads);
  cmd->callback([args] { run_demo(*args); });
}

}  // namespace embkit::cli
