// `embkit index build MODEL --type flat|hnsw|ivfpq|sq8|pq [--params ...] --output INDEX` and
// `embkit index search INDEX [WORD ...] [-k 10] [--ef-search N] [--json]`: hnswlib and FAISS
// indexes over a model's rows (embkit/vector_index.h). Search answers words from the command line
// or, when none are given, from standard input in batches, like `embkit neighbors`; the query
// vector of a word is the one the index stores.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "cli/common.h"
#include "cli/options_cli.h"
#include "embkit/error.h"
#include "embkit/options.h"
#include "embkit/progress.h"
#include "embkit/vector_index.h"

namespace embkit::cli {
namespace {

struct IndexBuildArgs {
  ModelArgs model;
  std::string type = "flat";
  std::string params;
  std::string metric = "cosine";
  std::string output;
  uint64_t seed = 1;
};

struct IndexSearchArgs {
  std::string index;
  std::vector<std::string> words;
  size_t k = 10;
  bool json = false;
  std::string params;
  size_t ef_search = 0;  // 0: as built
  int threads = 0;
};

void run_build(const IndexBuildArgs& args) {
  IndexBuildOptions options;
  options.type = parse_index_type(args.type);
  options.metric = parse_metric(args.metric);
  if (options.metric == Metric::L2) throw UsageError("--metric must be cosine or dot for an index");
  options.params = args.params;
  parse_index_params(options.params, options.type);  // bad params fail before the model loads
  options.threads = args.model.threads;
  options.seed = args.seed;
  options.progress = ProgressLine::stderr_is_terminal();
  require_output_directory(args.output);
  auto start = std::chrono::steady_clock::now();
  KeyedVectors kv = load_model(args.model);
  VectorIndex index = VectorIndex::build(kv, options, std::filesystem::absolute(args.model.path));
  index.save(args.output);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string params;
  for (const auto& [key, value] : index.params())
    params += fmt::format("{}{}={}", params.empty() ? "" : ",", key, value);
  std::error_code no_size;  // a FIFO or device output has none
  const auto bytes = std::filesystem::file_size(args.output, no_size);
  fmt::print("built {} index ({}{}{}) of {} x {} vectors in {:.2f} s: {} ({:.1f} MB)\n", args.type,
             args.metric, params.empty() ? "" : ", ", params, kv.size(), kv.dim(), seconds,
             args.output, no_size ? 0.0 : bytes / 1e6);
}

void print_hits(const VectorIndex& index, const std::string& word, uint32_t self,
                const std::vector<Hit>& hits, size_t k, bool json) {
  nlohmann::json list = nlohmann::json::array();
  if (!json) fmt::print("{}\n", word);
  size_t rank = 0;
  for (const Hit& hit : hits) {
    if (hit.id == self) continue;
    if (rank == k) break;
    std::string_view neighbor = index.vocab().word(hit.id);
    if (json)
      list.push_back({{"word", std::string(neighbor)}, {"score", json_number(hit.score)}});
    else
      fmt::print("  {:>3}  {:<24} {:.4f}\n", rank + 1, neighbor, hit.score);
    ++rank;
  }
  if (json) std::cout << nlohmann::json{{"query", word}, {"neighbors", list}}.dump() << '\n';
  std::cout.flush();
}

void answer_batch(const VectorIndex& index, const std::vector<std::string>& batch,
                  const IndexSearchArgs& args) {
  std::vector<std::string> known;
  std::vector<uint32_t> ids;
  for (const std::string& word : batch) {
    if (auto id = index.vocab().find(word)) {
      known.push_back(word);
      ids.push_back(*id);
    } else {
      report_error(KeyError(word).what());
    }
  }
  if (known.empty()) return;
  Matrix queries(ids.size(), index.dim());
  for (size_t i = 0; i < ids.size(); ++i) {
    std::vector<float> vector = index.reconstruct(ids[i]);
    std::copy(vector.begin(), vector.end(), queries.mutable_row(i));
  }
  // One more than asked: the query word itself usually comes back first and is dropped.
  auto results = index.search(queries, args.k + 1, args.threads);
  for (size_t i = 0; i < known.size(); ++i)
    print_hits(index, known[i], ids[i], results[i], args.k, args.json);
}

void run_search(const IndexSearchArgs& args) {
  VectorIndex index = VectorIndex::load(args.index);
  if (!args.params.empty()) index.set_search_params(args.params);
  if (args.ef_search) {
    if (index.type() != IndexType::Hnsw)
      throw UsageError(fmt::format("--ef-search needs an hnsw index but {} is {}", args.index,
                                   index_type_name(index.type())));
    index.set_search_params(fmt::format("ef_search={}", args.ef_search));
  }
  for_each_word_batch(
      args.words, [&](const std::vector<std::string>& batch) { answer_batch(index, batch, args); });
}

}  // namespace

void add_index_command(CLI::App& app) {
  CLI::App* cmd =
      app.add_subcommand("index", "Build and search nearest-neighbour indexes over a model");
  cmd->require_subcommand(1);

  auto build = std::make_shared<IndexBuildArgs>();
  CLI::App* build_cmd = cmd->add_subcommand("build", "Build an index of a model's vectors");
  add_model_args(build_cmd, build->model);
  build_cmd->add_option("--type", build->type, "flat|hnsw|ivfpq|sq8|pq (default flat)");
  build_cmd->add_option("--params", build->params,
                        "Comma-separated key=value, by type (default; range): " +
                            params_help(index_option_table()));
  build_cmd->add_option("--metric", build->metric, "cosine (rows normalized) or dot");
  build_cmd->add_option("--output,-o", build->output, "Index file to write (atomically)")
      ->required();
  build_cmd->add_option("--seed", build->seed, "Seed of the training sample and k-means");
  add_threads_arg(build_cmd, build->model.threads);
  build_cmd->callback([build] { run_build(*build); });

  auto search = std::make_shared<IndexSearchArgs>();
  CLI::App* search_cmd = cmd->add_subcommand(
      "search", "Nearest words from an index (words from stdin when none are given)");
  search_cmd->add_option("INDEX", search->index, "Index built by `embkit index build`")->required();
  search_cmd->add_option("WORD", search->words, "Query words");
  add_k_arg(search_cmd, search->k, "Neighbours per word");
  search_cmd->add_flag("--json", search->json, "One JSON object per query word, one per line");
  search_cmd->add_option("--params", search->params,
                         "Search-time parameters: nprobe=N (ivfpq), ef_search=N (hnsw)");
  search_cmd
      ->add_option("--ef-search", search->ef_search,
                   "hnsw: candidates kept while searching (default: as built)")
      ->check(CLI::PositiveNumber);
  add_threads_arg(search_cmd, search->threads);
  search_cmd->callback([search] { run_search(*search); });
}

}  // namespace embkit::cli
