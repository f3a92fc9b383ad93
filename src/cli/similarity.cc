// `embkit similarity MODEL WORD1 WORD2 [--metric cosine|dot|l2] [--json]`.
#include <cstdio>

#include <fmt/format.h>

#include "cli/common.h"

namespace embkit::cli {
namespace {

struct SimilarityArgs {
  ModelArgs model;
  std::string word1, word2;
  std::string metric = "cosine";
  bool json = false;
};

void run_similarity(const SimilarityArgs& args) {
  Metric metric = parse_metric(args.metric);
  KeyedVectors kv = load_model(args.model);
  float score = similarity(kv, args.word1, args.word2, metric);
  if (args.json) {
    nlohmann::json out = {{"word1", args.word1},
                          {"word2", args.word2},
                          {"metric", args.metric},
                          {"score", json_number(score)}};
    std::puts(out.dump().c_str());
  } else {
    fmt::print("{:.6f}\n", score);
  }
}

}  // namespace

void add_similarity_command(CLI::App& app) {
  auto args = std::make_shared<SimilarityArgs>();
  CLI::App* cmd = app.add_subcommand("similarity", "Similarity of two words");
  add_model_args(cmd, args->model);
  cmd->add_option("WORD1", args->word1, "First word")->required();
  cmd->add_option("WORD2", args->word2, "Second word")->required();
  cmd->add_option("--metric", args->metric, "cosine, dot or l2 (Euclidean distance)")
      ->check(CLI::IsMember({"cosine", "dot", "l2"}));
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->callback([args] { run_similarity(*args); });
}

}  // namespace embkit::cli
