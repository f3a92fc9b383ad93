// `embkit cluster MODEL --k K [--restrict N] [--seed S] [--restarts R] [--max-iter I] [--tol T]
// [--metric cosine|l2] [--threads N] [--output WORD2CLUSTER.tsv] [--json]`: k-means over the word
// vectors (spherical by default, see kmeans.h), then inertia, silhouette and every cluster's size
// and most central words. --output writes `word<TAB>cluster` lines.
//
// --json prints one object: {"model", "words", "dim", "k", "metric", "inertia", "silhouette"
// (null when undefined: k = 1 or every word its own cluster), "silhouette_words" (rows scored),
// "iterations", "converged", "restart" (the kept one, from 0), "restarts", "seconds",
// "clusters": [{"cluster", "size", "central": [words closest to the centroid, closest first]}]}.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "embkit/error.h"
#include "embkit/kmeans.h"
#include "embkit/progress.h"
#include "embkit/silhouette.h"

namespace embkit::cli {
namespace {

struct ClusterArgs {
  ModelArgs model;
  KMeansOptions kmeans;
  std::string metric = "cosine";
  size_t restrict_vocab = 0;
  size_t central = 8;
  size_t silhouette_sample = 10000;
  std::string output;
  bool json = false;
};

void write_assignment(const std::string& path, const Vocab& vocab,
                      const std::vector<uint32_t>& labels) {
  AtomicFile file(path);
  std::string line;
  for (size_t i = 0; i < labels.size(); ++i) {
    line.assign(vocab.word(i));
    fmt::format_to(std::back_inserter(line), "\t{}\n", labels[i]);
    file.write(line);
  }
  file.commit();
}

std::optional<double> silhouette_of(const Matrix& points, const KMeansResult& result,
                                    const ClusterArgs& args, size_t& scored) {
  scored = args.silhouette_sample ? std::min(args.silhouette_sample, points.rows()) : points.rows();
  size_t nonempty = 0;
  for (size_t size : result.sizes) nonempty += size > 0;
  if (nonempty < 2 || nonempty >= points.rows()) return std::nullopt;
  SilhouetteOptions options;
  options.metric = args.kmeans.metric;
  options.sample_size = args.silhouette_sample;
  options.seed = args.kmeans.seed;
  options.threads = args.kmeans.threads;
  try {
    return silhouette_score(points, result.labels, options);
  } catch (const UsageError&) {
    return std::nullopt;  // the sample happened to hold a single cluster or only singletons
  }
}

void print_text(const ClusterArgs& args, const KeyedVectors& kv, const KMeansResult& result,
                const std::vector<std::vector<uint32_t>>& central, std::optional<double> silhouette,
                size_t scored, double seconds) {
  fmt::print(
      "k-means: {} clusters of {} words (dim {}, {}), {} iterations{}, restart {} of {}, "
      "{:.2f} s\n",
      args.kmeans.k, result.labels.size(), kv.dim(), args.metric, result.iterations,
      result.converged ? " (converged)" : " (max-iter reached)", result.restart + 1,
      args.kmeans.restarts, seconds);
  std::string silhouette_text = silhouette ? fmt::format("{:.4f}", *silhouette) : "undefined";
  fmt::print("inertia {:.6g}  silhouette {} ({} words scored)\n", result.inertia, silhouette_text,
             scored);
  for (size_t c = 0; c < central.size(); ++c) {
    std::string words;
    for (uint32_t row : central[c]) {
      if (!words.empty()) words += ' ';
      words += kv.vocab().word(row);
    }
    fmt::print("cluster {:>4}  {:>7} words  {}\n", c, result.sizes[c], words);
  }
}

void print_json(const ClusterArgs& args, const KeyedVectors& kv, const KMeansResult& result,
                const std::vector<std::vector<uint32_t>>& central, std::optional<double> silhouette,
                size_t scored, double seconds) {
  nlohmann::ordered_json clusters = nlohmann::ordered_json::array();
  for (size_t c = 0; c < central.size(); ++c) {
    nlohmann::ordered_json words = nlohmann::ordered_json::array();
    for (uint32_t row : central[c]) words.push_back(std::string(kv.vocab().word(row)));
    clusters.push_back({{"cluster", c}, {"size", result.sizes[c]}, {"central", words}});
  }
  nlohmann::ordered_json out = {{"model", args.model.path},
                                {"words", result.labels.size()},
                                {"dim", kv.dim()},
                                {"k", args.kmeans.k},
                                {"metric", args.metric},
                                {"inertia", result.inertia},
                                {"silhouette", nullptr},
                                {"silhouette_words", scored},
                                {"iterations", result.iterations},
                                {"converged", result.converged},
                                {"restart", result.restart},
                                {"restarts", args.kmeans.restarts},
                                {"seconds", seconds},
                                {"clusters", clusters}};
  if (silhouette) out["silhouette"] = *silhouette;
  std::puts(out.dump().c_str());
}

void run_cluster(ClusterArgs& args) {
  if (!args.output.empty()) require_output_directory(args.output);
  args.kmeans.metric = args.metric == "cosine" ? ClusterMetric::Cosine : ClusterMetric::Euclidean;
  args.kmeans.threads = args.model.threads;
  KeyedVectors kv = load_model(args.model);
  size_t rows = args.restrict_vocab ? std::min(args.restrict_vocab, kv.size()) : kv.size();
  if (args.kmeans.k > rows)
    throw UsageError(fmt::format("--k {} exceeds the {} words to cluster", args.kmeans.k, rows));
  Matrix points = kv.vectors().head_view(rows);
  ProgressLine progress;
  args.kmeans.on_iteration = [&](size_t restart, size_t iteration, double inertia) {
    progress.show(fmt::format("k-means restart {}/{}  iteration {}  inertia {:.6g}", restart + 1,
                              args.kmeans.restarts, iteration, inertia));
  };
  auto start = std::chrono::steady_clock::now();
  KMeansResult result = kmeans(points, args.kmeans);
  progress.finish();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t scored = 0;
  std::optional<double> silhouette = silhouette_of(points, result, args, scored);
  auto central = central_rows(result, args.central);
  if (args.json) {
    print_json(args, kv, result, central, silhouette, scored, seconds);
  } else {
    print_text(args, kv, result, central, silhouette, scored, seconds);
  }
  if (!args.output.empty()) write_assignment(args.output, kv.vocab(), result.labels);
}

}  // namespace

void add_cluster_command(CLI::App& app) {
  auto args = std::make_shared<ClusterArgs>();
  CLI::App* cmd = app.add_subcommand(
      "cluster", "k-means clusters of the word vectors: inertia, silhouette, central words");
  add_model_args(cmd, args->model);
  cmd->add_option("--k", args->kmeans.k, "Number of clusters")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--restrict", args->restrict_vocab, "Cluster only the N most frequent words");
  cmd->add_option("--seed", args->kmeans.seed, "Random seed (default 1)");
  cmd->add_option("--restarts", args->kmeans.restarts,
                  "Seedings to try; the lowest inertia wins (default 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-iter", args->kmeans.max_iterations,
                  "Lloyd iterations per restart at most (default 300)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--tol", args->kmeans.tol,
                  "Stop when the squared centre shift is below tol x the mean variance (default "
                  "1e-4; 0 runs --max-iter iterations unless the labels stop changing)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--metric", args->metric,
                  "cosine (spherical k-means, default) or l2 (Euclidean k-means)")
      ->check(CLI::IsMember({"cosine", "l2"}));
  cmd->add_option("--central", args->central, "Central words shown per cluster (default 8)");
  cmd->add_option("--silhouette-sample", args->silhouette_sample,
                  "Silhouette over at most N sampled words (default 10000; 0 = all, O(n^2))");
  cmd->add_option("--output", args->output, "Write `word<TAB>cluster` lines to this file");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  add_threads_arg(cmd, args->model.threads);
  cmd->callback([args] { run_cluster(*args); });
}

}  // namespace embkit::cli
