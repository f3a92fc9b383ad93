// `embkit neighbors MODEL [WORD ...] [-k 10] [--restrict N] [--json]`: nearest words by cosine.
// Words come from the command line or, when none are given, from standard input (whitespace
// separated), answered in batches so long word lists use the blocked search.

#include <fmt/format.h>

#include "cli/common.h"
#include "embkit/error.h"

namespace embkit::cli {
namespace {

struct NeighborsArgs {
  ModelArgs model;
  std::vector<std::string> words;
  size_t k = 10;
  size_t restrict_vocab = 0;
  bool json = false;
};

void print_result(const KeyedVectors& kv, const std::string& word, const std::vector<Hit>& hits,
                  uint32_t self, size_t k, bool json) {
  nlohmann::json list = nlohmann::json::array();
  size_t rank = 0;
  if (!json) fmt::print("{}\n", word);
  for (const Hit& hit : hits) {
    if (hit.id == self) continue;
    if (rank == k) break;
    std::string_view neighbor = kv.vocab().word(hit.id);
    if (json) {
      list.push_back({{"word", std::string(neighbor)}, {"score", json_number(hit.score)}});
    } else {
      fmt::print("  {:>3}  {:<24} {:.4f}\n", rank + 1, neighbor, hit.score);
    }
    ++rank;
  }
  if (json) std::cout << nlohmann::json{{"query", word}, {"neighbors", list}}.dump() << '\n';
  std::cout.flush();
}

void answer_batch(const KeyedVectors& kv, const std::vector<std::string>& batch, const NeighborsArgs& args) {
  const Matrix& unit = kv.unit_rows();
  std::vector<std::string> known;
  std::vector<uint32_t> ids;
  for (const std::string& word : batch) {
    if (auto id = kv.vocab().find(word)) {
      known.push_back(word);
      ids.push_back(*id);
    } else {
      report_error(KeyError(word).what());
    }
  }
  if (known.empty()) return;
  Matrix queries(ids.size(), kv.dim());
  for (size_t i = 0; i < ids.size(); ++i)
    std::copy_n(unit.row(ids[i]), kv.dim(), queries.mutable_row(i));
  SearchOptions options;
  options.k = args.k + 1;  // the query word itself comes back first; it is dropped
  options.restrict_rows = args.restrict_vocab;
  options.threads = args.model.threads;
  auto results = top_k_inner_product(unit, queries, options);
  for (size_t i = 0; i < known.size(); ++i)
    print_result(kv, known[i], results[i], ids[i], args.k, args.json);
}

void run_neighbors(const NeighborsArgs& args) {
  KeyedVectors kv = load_model(args.model);
  for_each_word_batch(args.words, [&](const std::vector<std::string>& batch) {
    answer_batch(kv, batch, args);
  });
}

}  // namespace

void add_neighbors_command(CLI::App& app) {
  auto args = std::make_shared<NeighborsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "neighbors", "Nearest words by cosine similarity (words from stdin when none are given)");
  add_model_args(cmd, args->model);
  cmd->add_option("WORD", args->words, "Query words");
  add_k_arg(cmd, args->k, "Neighbours per word");
  cmd->add_option("--restrict", args->restrict_vocab, "Search only the N most frequent words");
  cmd->add_flag("--json", args->json, "One JSON object per query word, one per line");
  add_threads_arg(cmd, args->model.threads);
  cmd->callback([args] { run_neighbors(*args); });
}

}  // namespace embkit::cli
