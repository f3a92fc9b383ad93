// `embkit eval MODEL [--analogies FILE] [--similarity FILE]... [--restrict N] [--json]`.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/common.h"
#include "embkit/error.h"
#include "embkit/analogy.h"
#include "embkit/eval_json.h"
#include "embkit/word_pairs.h"

namespace embkit::cli {
namespace {

struct EvalArgs {
  ModelArgs model;
  std::string analogies;
  std::vector<std::string> similarity_files;
  size_t restrict_vocab = 300000;
  std::string method = "add";
  bool case_sensitive = false;
  bool json = false;
};

void print_analogy_table(const AnalogyResult& r, const std::string& method) {
  fmt::print("analogies {}  ({})\n", r.file, method == "mul" ? "3CosMul" : "3CosAdd");
  for (const AnalogySection& s : r.sections) {
    double accuracy = s.answered ? double(s.correct) / s.answered : 0.0;
    fmt::print("  {:<30} {:>6} / {:<6} {:>6.1f}%   ({} of {} answerable)\n", s.name, s.correct, s.answered,
               100 * accuracy, s.answered, s.total);
  }
  fmt::print("  {:<30} {:>6} / {:<6} {:>6.1f}%\n", "semantic", r.semantic_correct, r.semantic_answered,
             100 * r.semantic());
  fmt::print("  {:<30} {:>6} / {:<6} {:>6.1f}%\n", "syntactic", r.syntactic_correct,
             r.syntactic_answered, 100 * r.syntactic());
  fmt::print("  {:<30} {:>6} / {:<6} {:>6.1f}%   coverage {:.1f}% of {} questions\n", "all", r.correct,
             r.answered, 100 * r.accuracy(), 100 * r.coverage(), r.total);
  if (r.oov_answered > 0)
    fmt::print("  {:<30} {:>6} / {:<6} {:>6.1f}%   questions with unseen words, by subword vectors\n",
               "oov", r.oov_correct, r.oov_answered, 100 * r.oov_accuracy());
}

void run_eval(const EvalArgs& args) {
  if (args.analogies.empty() && args.similarity_files.empty())
    throw UsageError("nothing to evaluate: give --analogies FILE and/or --similarity FILE");
  for (const auto& file : args.similarity_files)
    if (!std::filesystem::exists(file)) throw IoError("open", file, ENOENT);
  if (!args.analogies.empty() && !std::filesystem::exists(args.analogies))
    throw IoError("open", args.analogies, ENOENT);
  KeyedVectors kv = load_model(args.model);

  nlohmann::json out = {{"model", args.model.path}, {"vocab", kv.size()}, {"dim", kv.dim()}};
  if (!args.json)
    fmt::print("model {}: {} words, dim {}, restrict {}\n", args.model.path, kv.size(), kv.dim(),
               args.restrict_vocab);
  if (!args.analogies.empty()) {
    AnalogyOptions options;
    options.restrict_vocab = args.restrict_vocab;
    options.method = parse_method(args.method);
    options.case_insensitive = !args.case_sensitive;
    options.threads = args.model.threads;
    AnalogyResult result = evaluate_analogies(kv, args.analogies, options);
    if (args.json) {
      out["analogy"] = to_json(result);
    } else {
      print_analogy_table(result, args.method);
    }
  }
  nlohmann::json similarity = nlohmann::json::array();
  for (const std::string& file : args.similarity_files) {
    SimilarityOptions options;
    options.restrict_vocab = args.restrict_vocab;
    options.case_insensitive = !args.case_sensitive;
    SimilarityResult result = evaluate_word_pairs(kv, file, options);
    if (args.json) {
      similarity.push_back(to_json(result, kv.has_subwords()));
    } else {
      fmt::print("similarity {}: spearman {:.4f}  pearson {:.4f}  pairs {}  oov {}\n", result.file,
                 result.spearman, result.pearson, result.pairs, result.oov);
      if (kv.has_subwords())
        fmt::print("  with subword vectors for {} oov pairs: spearman {:.4f}  pearson {:.4f}  "
                   "(oov pairs alone: spearman {:.4f}  pearson {:.4f})\n",
                   result.oov_scored, result.spearman_with_oov, result.pearson_with_oov,
                   result.spearman_oov, result.pearson_oov);
    }
  }
  if (args.json) {
    if (!args.similarity_files.empty()) out["similarity"] = similarity;
    std::puts(out.dump().c_str());
  }
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand("eval", "Analogy accuracy and word-similarity correlation");
  add_model_args(cmd, args->model);
  cmd->add_option("--analogies", args->analogies, "Analogy questions (questions-words.txt format)");
  cmd->add_option("--similarity", args->similarity_files,
                  "Word-pair file (word1 word2 score; tab or space separated); repeatable");
  cmd->add_option("--restrict", args->restrict_vocab,
                  "Use only the N most frequent words, as gensim's restrict_vocab (default 300000)");
  cmd->add_option("--method", args->method, "Analogy method: add (3CosAdd) or mul (3CosMul)")
      ->check(CLI::IsMember({"add", "mul"}));
  cmd->add_flag("--case-sensitive", args->case_sensitive, "Match words exactly (default: ignore case)");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  add_threads_arg(cmd, args->model.threads);
  cmd->callback([args] { run_eval(*args); });
}

}  // namespace embkit::cli
