// `embkit analogy MODEL A B C [-k 5] [--method add|mul] [--json]`: A is to B as C is to ?
#include <cstdio>

#include <fmt/format.h>

#include "cli/common.h"

namespace embkit::cli {
namespace {

struct AnalogyArgs {
  ModelArgs model;
  std::string a, b, c;
  size_t k = 5;
  std::string method = "add";
  size_t restrict_vocab = 0;
  bool json = false;
};

void run_analogy(const AnalogyArgs& args) {
  AnalogyMethod method = parse_method(args.method);
  KeyedVectors kv = load_model(args.model);
  QueryOptions options;
  options.topn = args.k;
  options.restrict_vocab = args.restrict_vocab;
  options.threads = args.model.threads;
  auto answers = analogy(kv, args.a, args.b, args.c, method, options);
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Neighbor& n : answers)
      list.push_back({{"word", std::string(n.word)}, {"score", json_number(n.score)}});
    nlohmann::json out = {{"a", args.a},           {"b", args.b},
                          {"c", args.c},           {"method", args.method},
                          {"answers", list}};
    std::puts(out.dump().c_str());
    return;
  }
  fmt::print("{} is to {} as {} is to ?\n", args.a, args.b, args.c);
  for (size_t i = 0; i < answers.size(); ++i)
    fmt::print("  {:>3}  {:<24} {:.4f}\n", i + 1, answers[i].word, answers[i].score);
}

}  // namespace

void add_analogy_command(CLI::App& app) {
  auto args = std::make_shared<AnalogyArgs>();
  CLI::App* cmd = app.add_subcommand("analogy", "Solve A is to B as C is to ? (B - A + C)");
  add_model_args(cmd, args->model);
  cmd->add_option("A", args->a)->required();
  cmd->add_option("B", args->b)->required();
  cmd->add_option("C", args->c)->required();
  add_k_arg(cmd, args->k, "Answers to show");
  cmd->add_option("--method", args->method, "add (3CosAdd) or mul (3CosMul)")
      ->check(CLI::IsMember({"add", "mul"}));
  cmd->add_option("--restrict", args->restrict_vocab, "Candidates: only the N most frequent words");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  add_threads_arg(cmd, args->model.threads);
  cmd->callback([args] { run_analogy(*args); });
}

}  // namespace embkit::cli
