// `embkit info MODEL [--json] [--verify]`: what a model file holds; for an index file (`embkit
// index build`) its type, metric, shape and parameters.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli/common.h"
#include "embkit/fasttext_model.h"
#include "embkit/vector_index.h"
#include "io/model_bytes.h"

namespace embkit::cli {
namespace {

struct InfoArgs {
  ModelArgs model;
  bool json = false;
  bool verify = false;
  size_t show_words = 10;
};

void run_index_info(const InfoArgs& args) {
  auto start = std::chrono::steady_clock::now();
  VectorIndex index = VectorIndex::load(args.model.path);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t bytes = std::filesystem::file_size(args.model.path);
  const char* metric = index.metric() == Metric::Dot ? "dot" : "cosine";
  const char* backend = index.type() == IndexType::Hnsw ? "hnswlib" : "faiss";
  if (args.json) {
    nlohmann::json out = {{"index", args.model.path},
                          {"format", "embkit-index"},
                          {"type", std::string(index_type_name(index.type()))},
                          {"backend", backend},
                          {"metric", metric},
                          {"rows", index.rows()},
                          {"dim", index.dim()},
                          {"params", index.params()},
                          {"model", index.model_path()},
                          {"bytes", bytes},
                          {"load_seconds", seconds}};
    std::puts(out.dump().c_str());
    return;
  }
  std::string params;
  for (const auto& [key, value] : index.params())
    params += fmt::format("{}{}={}", params.empty() ? "" : ",", key, value);
  fmt::print("index       {}\n", args.model.path);
  fmt::print("format      embkit-index\n");
  fmt::print("type        {} ({})\n", index_type_name(index.type()), backend);
  fmt::print("metric      {}\n", metric);
  fmt::print("vectors     {} x {}\n", index.rows(), index.dim());
  fmt::print("params      {}\n", params.empty() ? "none" : params);
  fmt::print("model       {}\n", index.model_path().empty() ? "-" : index.model_path());
  fmt::print("file size   {:.1f} MB ({} bytes)\n", bytes / 1e6, bytes);
  fmt::print("loaded in   {:.3f} s\n", seconds);
}

std::string ngram_summary(const FastTextArgs& args) {
  if (args.maxn == 0) return fmt::format("none (maxn 0), bucket {}", args.bucket);
  return fmt::format("minn {} maxn {} bucket {}", args.minn, args.maxn, args.bucket);
}

std::string quantization_summary(const FastTextSummary& summary) {
  if (!summary.quantized_input) return "no";
  std::string text = "yes (product-quantized input";
  if (summary.qnorm) text += ", quantized norms";
  if (summary.quantized_output) text += ", quantized output";
  if (summary.prune_size >= 0) text += fmt::format(", {} buckets kept", summary.prune_size);
  return text + ")";
}

nlohmann::json fasttext_json(const FastTextSummary& summary) {
  const FastTextArgs& a = summary.args;
  return {{"version", summary.version},
          {"kind", std::string(fasttext_kind_name(a.model))},
          {"loss", std::string(fasttext_loss_name(a.loss))},
          {"minn", a.minn},
          {"maxn", a.maxn},
          {"bucket", a.bucket},
          {"word_ngrams", a.word_ngrams},
          {"nwords", summary.nwords},
          {"nlabels", summary.nlabels},
          {"ntokens", summary.ntokens},
          {"quantized", summary.quantized_input},
          {"qnorm", summary.qnorm},
          {"quantized_output", summary.quantized_output},
          {"pruned_buckets", summary.prune_size}};
}

void print_fasttext(const FastTextSummary& summary, const KeyedVectors& kv) {
  const FastTextArgs& a = summary.args;
  fmt::print("fastText    {} model, loss {}, file version {}\n", fasttext_kind_name(a.model),
             fasttext_loss_name(a.loss), summary.version);
  fmt::print("dictionary  {} words, {} labels, {} tokens\n", summary.nwords, summary.nlabels,
             summary.ntokens);
  fmt::print("n-grams     {}{}\n", ngram_summary(a),
             a.word_ngrams > 1 ? fmt::format(", word n-grams up to {}", a.word_ngrams) : "");
  fmt::print("subwords    {}\n", kv.has_subwords() ? "yes (unseen words get vectors)" : "no");
  fmt::print("quantized   {}\n", quantization_summary(summary));
}

void run_info(const InfoArgs& args) {
  // An index file gets its own summary; checked on regular files only, so a pipe is read once.
  std::error_code ec;
  if (std::filesystem::is_regular_file(args.model.path, ec) &&
      looks_like_index(read_model_head(args.model.path, 64)))
    return run_index_info(args);
  // One load that also reports format and storage type: the model may be a pipe, read only once.
  LoadDetails details;
  auto start = std::chrono::steady_clock::now();
  KeyedVectors kv = load_model(args.model, args.verify, details);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Format format = details.format;
  const Dtype dtype = details.dtype;

  auto norms = kv.norms();
  double norm_min = 0, norm_max = 0, norm_sum = 0;
  if (!norms.empty()) {
    auto [lo, hi] = std::minmax_element(norms.begin(), norms.end());
    norm_min = *lo;
    norm_max = *hi;
    for (float n : norms) norm_sum += n;
  }
  double norm_mean = norms.empty() ? 0.0 : norm_sum / norms.size();
  size_t bytes = details.file_bytes;
  size_t shown = std::min(args.show_words, kv.size());

  if (args.json) {
    nlohmann::json words = nlohmann::json::array();
    for (size_t i = 0; i < shown; ++i) words.push_back(std::string(kv.vocab().word(i)));
    nlohmann::json out = {{"model", args.model.path},
                          {"format", std::string(format_name(format))},
                          {"dtype", std::string(dtype_name(dtype))},
                          {"vocab", kv.size()},
                          {"dim", kv.dim()},
                          {"counts", kv.vocab().has_counts()},
                          {"bytes", bytes},
                          {"load_seconds", seconds},
                          {"norm_min", norm_min},
                          {"norm_mean", norm_mean},
                          {"norm_max", norm_max},
                          {"first_words", words}};
    if (args.verify) out["verified"] = format == Format::Native;
    if (details.fasttext) out["fasttext"] = fasttext_json(*details.fasttext);
    std::puts(out.dump().c_str());
    return;
  }
  fmt::print("model       {}\n", args.model.path);
  fmt::print("format      {}\n", format_name(format));
  fmt::print("dtype       {}\n", dtype_name(dtype));
  fmt::print("vectors     {} x {}\n", kv.size(), kv.dim());
  fmt::print("counts      {}\n", kv.vocab().has_counts() ? "yes" : "no");
  fmt::print("file size   {:.1f} MB ({} bytes)\n", bytes / 1e6, bytes);
  fmt::print("loaded in   {:.3f} s\n", seconds);
  fmt::print("norms       min {:.4g}  mean {:.4g}  max {:.4g}\n", norm_min, norm_mean, norm_max);
  if (args.verify)
    fmt::print("verified    {}\n", format == Format::Native
                                       ? "checksum, vocabulary and values OK"
                                       : "(only native files carry a checksum)");
  if (details.fasttext) print_fasttext(*details.fasttext, kv);
  std::string first;
  for (size_t i = 0; i < shown; ++i) first += (i ? " " : "") + std::string(kv.vocab().word(i));
  fmt::print("first words {}\n", first);
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto args = std::make_shared<InfoArgs>();
  CLI::App* cmd =
      app.add_subcommand("info", "Show the size, format and statistics of a model or an index");
  add_model_args(cmd, args->model);
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->add_flag("--verify", args->verify,
                "Check a native file completely (checksum, words, values)");
  cmd->add_option("--show-words", args->show_words, "How many of the first words to list");
  cmd->callback([args] { run_info(*args); });
}

}  // namespace embkit::cli
