// `embkit plot`: a labelled 2-D map of words (t-SNE), a cosine-similarity heatmap of a word list,
// or a training loss curve from `train --loss-log`; SVG or PNG by the output's extension.
#include "embkit/heatmap_plot.h"
#include "embkit/loss_plot.h"
#include "embkit/scatter_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "embkit/error.h"
#include "embkit/kmeans.h"
#include "embkit/pca.h"
#include "embkit/progress.h"
#include "embkit/queries.h"
#include "embkit/tsne.h"
#include "embkit/word_groups.h"

namespace embkit::cli {
namespace {

struct PlotArgs {
  ModelArgs model;
  std::string out, words, method = "tsne", colors, loss, title, coords, tsne_method = "auto";
  size_t top = 100;
  size_t clusters = 0;
  bool heatmap = false;
  double perplexity = 30;
  size_t iterations = 1000;
  double theta = 0.5;
  uint64_t seed = 1;
  const CLI::Option *words_option = nullptr, *top_option = nullptr, *clusters_option = nullptr;
};

std::vector<std::string> split_words(const std::string& list) {
  std::vector<std::string> words;
  size_t start = 0;
  for (size_t comma; start <= list.size(); start = comma + 1) {
    comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) words.push_back(list.substr(start, comma - start));
  }
  return words;
}

// The rows to plot: the --words that the model knows (unknown ones reported and skipped, repeats
// dropped), or the --top N most frequent words.
std::vector<uint32_t> choose_rows(const KeyedVectors& kv, const PlotArgs& args) {
  std::vector<uint32_t> ids;
  if (args.words_option->count() > 0) {
    for (const std::string& word : split_words(args.words)) {
      std::optional<uint32_t> id = kv.vocab().find(word);
      if (!id) {
        report_error(KeyError(word).what());
      } else if (std::find(ids.begin(), ids.end(), *id) == ids.end()) {
        ids.push_back(*id);
      }
    }
  } else {
    for (uint32_t i = 0; i < std::min(args.top, kv.size()); ++i) ids.push_back(i);
  }
  if (ids.size() < 2)
    throw Error(fmt::format("nothing to plot: {} known word{} in {} (need at least 2)", ids.size(),
                            ids.size() == 1 ? "" : "s", args.model.path));
  return ids;
}

// word<TAB>x<TAB>y per line, shortest round-trip decimals.
void write_coordinates(const std::string& path, const std::vector<std::string>& labels,
                       const std::vector<Point2>& points) {
  std::string text;
  for (size_t i = 0; i < labels.size(); ++i)
    text += fmt::format("{}\t{}\t{}\n", labels[i], points[i].x, points[i].y);
  AtomicFile file(path);
  file.write(text);
  file.commit();
}

Matrix unit_rows_of(const KeyedVectors& kv, const std::vector<uint32_t>& ids) {
  const Matrix& unit = kv.unit_rows();
  Matrix rows(ids.size(), kv.dim());
  for (size_t i = 0; i < ids.size(); ++i)
    std::copy_n(unit.row(ids[i]), kv.dim(), rows.mutable_row(i));
  return rows;
}

// A 2-D map of the rows by t-SNE; `what` describes the run for the summary line.
std::vector<Point2> tsne_map(const Matrix& rows, const PlotArgs& args, std::string& what) {
  const size_t n = rows.rows();
  TsneOptions options;
  // t-SNE needs perplexity < n; short word lists get n / 3 so each point still has neighbours.
  options.perplexity = std::min(args.perplexity, std::max(1.0, (n - 1) / 3.0));
  if (options.perplexity < args.perplexity)
    fmt::print(stderr, "plot: perplexity lowered to {:.3g} for {} words\n", options.perplexity, n);
  options.iterations = args.iterations;
  options.theta = args.theta;
  if (args.tsne_method == "exact") options.exact_max_points = n;
  if (args.tsne_method == "barnes-hut") options.exact_max_points = 0;
  options.seed = args.seed;
  options.threads = args.model.threads;
  ProgressLine progress;
  options.on_progress = [&](size_t done, double kl) {
    progress.show(fmt::format("t-SNE  {}/{} iterations  KL {:.4f}", done, options.iterations, kl));
  };
  const auto start = std::chrono::steady_clock::now();
  const TsneResult map = tsne(rows, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.finish();
  what = fmt::format("t-SNE (perplexity {:.3g}, {} iterations{}, KL {:.4f}, {:.2f} s)",
                     options.perplexity, options.iterations, map.barnes_hut ? ", Barnes-Hut" : "",
                     map.final_kl, seconds);
  std::vector<Point2> points(n);
  for (size_t i = 0; i < n; ++i) points[i] = {map.embedding[2 * i], map.embedding[2 * i + 1]};
  return points;
}

// The rows projected on their top two principal components; axis titles give the variance shares.
std::vector<Point2> pca_map(const Matrix& rows, const PlotArgs& args, ScatterOptions& scatter,
                            std::string& what) {
  const Pca pca = fit_pca(rows, 2, args.model.threads);
  const Matrix projected = pca.projection.apply(rows, args.model.threads);
  const std::vector<double>& ratio = pca.explained_variance_ratio;
  scatter.x_title = fmt::format("PC1 ({:.1f}% of the variance)", 100 * ratio[0]);
  scatter.y_title = fmt::format("PC2 ({:.1f}% of the variance)", 100 * ratio[1]);
  what = fmt::format("PCA ({:.1f}% of the variance in 2 components)", 100 * (ratio[0] + ratio[1]));
  std::vector<Point2> points(rows.rows());
  for (size_t i = 0; i < rows.rows(); ++i) points[i] = {projected.row(i)[0], projected.row(i)[1]};
  return points;
}

// Groups from k-means (spherical, as `embkit cluster` by default) over the plotted words.
std::vector<int> cluster_groups(const Matrix& rows, const PlotArgs& args,
                                std::vector<std::string>& names) {
  if (args.clusters > rows.rows())
    throw UsageError(fmt::format("--clusters {} is more than the {} words plotted", args.clusters,
                                 rows.rows()));
  KMeansOptions options;
  options.k = args.clusters;
  options.seed = args.seed;
  options.threads = args.model.threads;
  const KMeansResult clusters = kmeans(rows, options);
  for (size_t c = 0; c < args.clusters; ++c) names.push_back(fmt::format("cluster {}", c));
  return std::vector<int>(clusters.labels.begin(), clusters.labels.end());
}

void plot_map(const KeyedVectors& kv, const std::vector<uint32_t>& ids, const PlotArgs& args) {
  Matrix rows = unit_rows_of(kv, ids);
  ScatterOptions scatter;
  std::string what;
  std::vector<Point2> points;
  if (args.method == "pca") {
    points = pca_map(rows, args, scatter, what);
  } else {
    points = tsne_map(rows, args, what);
    scatter.x_title = "t-SNE 1";
    scatter.y_title = "t-SNE 2";
  }
  std::vector<std::string> labels;
  for (uint32_t id : ids) labels.emplace_back(kv.vocab().word(id));
  if (!args.coords.empty()) write_coordinates(args.coords, labels, points);
  scatter.title = !args.title.empty() ? args.title
                  : fmt::format("{} of {} words", args.method == "pca" ? "PCA" : "t-SNE", ids.size());
  std::vector<int> groups;
  if (!args.colors.empty()) {
    const std::vector<std::string_view> words(labels.begin(), labels.end());
    WordGroups colors = read_word_groups(args.colors, words);
    groups = std::move(colors.groups);
    scatter.group_names = std::move(colors.names);
  }
  if (args.clusters > 0) groups = cluster_groups(rows, args, scatter.group_names);
  const ScatterReport report = plot_scatter(args.out, points, labels, groups, scatter);
  fmt::print(stderr,
             "plot: {} words by {}; {} labels drawn ({} moved, {} shrunk), {} dropped for lack of "
             "room; wrote {}\n",
             ids.size(), what, report.labels_placed, report.labels_moved, report.labels_shrunk,
             report.labels_dropped, args.out);
}

void plot_similarities(const KeyedVectors& kv, const std::vector<uint32_t>& ids,
                       const PlotArgs& args) {
  const size_t n = ids.size();
  const std::vector<double> values = cosine_similarity_matrix(kv, ids);
  std::vector<std::string> labels;
  for (uint32_t id : ids) labels.emplace_back(kv.vocab().word(id));
  HeatmapOptions options;
  if (!args.title.empty()) options.title = args.title;
  plot_heatmap(args.out, labels, values, options);
  fmt::print(stderr, "plot: cosine similarities of {} words; wrote {}\n", n, args.out);
}

void run_plot(const PlotArgs& args) {
  require_output_directory(args.out);
  if (!args.loss.empty()) {
    if (!args.model.path.empty() || args.heatmap || args.words_option->count() > 0)
      throw UsageError("--loss plots a loss log: give no MODEL, --words or --heatmap with it");
    LossPlotOptions options;
    if (!args.title.empty()) options.title = args.title;
    const LossCurve curve = read_loss_log(args.loss);
    plot_loss(args.out, curve, options);
    fmt::print(stderr, "plot: {} loss values from {}; wrote {}\n", curve.x.size(), args.loss,
               args.out);
    return;
  }
  if (args.model.path.empty()) throw UsageError("plot needs a MODEL (or --loss LOSS.csv)");
  if (args.clusters_option->count() > 0 && args.clusters == 0)
    throw UsageError("--clusters needs at least 1 cluster");
  if (args.clusters > 0 && !args.colors.empty())
    throw UsageError("colour by --clusters K or by --colors FILE, not both");
  if (args.clusters > 0 && args.heatmap) throw UsageError("--clusters colours the 2-D map, not the heatmap");
  if (args.heatmap && args.words_option->count() == 0)
    throw UsageError("--heatmap needs --words w1,w2,...");
  if (args.words_option->count() > 0 && split_words(args.words).empty())
    throw UsageError("--words: the word list is empty");
  if (args.words_option->count() > 0 && args.top_option->count() > 0)
    throw UsageError("give --words or --top, not both");
  const KeyedVectors kv = load_model(args.model);
  const std::vector<uint32_t> ids = choose_rows(kv, args);
  if (args.heatmap)
    plot_similarities(kv, ids, args);
  else
    plot_map(kv, ids, args);
}

}  // namespace

void add_plot_command(CLI::App& app) {
  auto args = std::make_shared<PlotArgs>();
  CLI::App* cmd = app.add_subcommand(
      "plot", "Plot words in 2-D (t-SNE), a cosine-similarity heatmap, or a training loss curve");
  add_model_args(cmd, args->model);
  cmd->get_option("MODEL")->required(false);
  cmd->add_option("--out", args->out, "Output image: FILE.svg or FILE.png")->required();
  args->words_option = cmd->add_option("--words", args->words, "Comma-separated words to plot");
  args->top_option =
      cmd->add_option("--top", args->top, "Plot the N most frequent words (default 100)")
          ->check(CLI::PositiveNumber);
  cmd->add_option("--method", args->method, "2-D map: tsne (default) or pca")
      ->check(CLI::IsMember({"tsne", "pca"}));
  args->clusters_option =
      cmd->add_option("--clusters", args->clusters, "Colour by K k-means clusters (spherical) of the plotted words")
          ->check(CLI::PositiveNumber);
  cmd->add_option("--colors", args->colors,
                  "Colour by group: lines 'word<TAB>group' (as written by cluster --output)");
  cmd->add_flag("--heatmap", args->heatmap, "Cosine-similarity heatmap of the --words");
  cmd->add_option("--loss", args->loss, "Plot the loss CSV written by train --loss-log");
  cmd->add_option("--title", args->title, "Chart title");
  cmd->add_option("--coords", args->coords, "Also write the 2-D map as 'word<TAB>x<TAB>y' lines");
  cmd->add_option("--perplexity", args->perplexity,
                  "t-SNE perplexity (default 30; lowered for few words)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--iterations", args->iterations, "t-SNE iterations (default 1000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--theta", args->theta, "Barnes-Hut angle above 5000 words (default 0.5)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option(
         "--tsne-method", args->tsne_method,
         "t-SNE gradient: auto (exact up to 5000 words, Barnes-Hut above), exact or barnes-hut")
      ->check(CLI::IsMember({"auto", "exact", "barnes-hut"}));
  cmd->add_option("--seed", args->seed, "Random seed of the t-SNE start (default 1)");
  add_threads_arg(cmd, args->model.threads);
  cmd->callback([args] { run_plot(*args); });
}

}  // namespace embkit::cli
