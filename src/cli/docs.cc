// `embkit docs --input DOCS --output OUT [--vectors MODEL] ...`: one document per line, turned into
// sparse rows (one-hot, bag-of-words, TF-IDF; a SciPy .npz plus the column words) or, with a
// word-vector model, dense document vectors (mean, TF-IDF-weighted mean, SIF) in any model format.
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <filesystem>

#include "cli/common.h"
#include "embkit/documents.h"
#include "embkit/error.h"
#include "embkit/npz.h"
#include "embkit/progress.h"

namespace embkit::cli {
namespace {

struct DocsArgs {
  std::string input, output, vectors, labels;
  std::string weighting = "mean";
  std::string represent = "tfidf";
  std::string min_df = "1", max_df = "1.0";
  size_t max_features = 0;
  bool sublinear_tf = false;
  bool no_smooth_idf = false;
  std::string norm = "l2";
  double sif_a = 1e-3;
  std::string to = "auto";
  bool lowercase = false;
  int threads = 0;
  // Options that apply to one kind of output only, to reject them on the other.
  std::vector<const CLI::Option*> sparse_only, dense_only, sparse_tfidf_only;
  const CLI::Option *sublinear_tf_option = nullptr, *sif_a_option = nullptr;
};

// "5" is a number of documents, "0.5" or "5e-1" a fraction (scikit-learn's int and float).
DocumentFrequency parse_document_frequency(const std::string& text, const char* flag) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value >= 0))
    throw UsageError(fmt::format("{} {}: want a number of documents or a fraction", flag, text));
  if (text.find_first_of(".eE") != std::string::npos) {
    if (value > 1) throw UsageError(fmt::format("{} {}: a fraction must be at most 1", flag, text));
    return DocumentFrequency::proportion(value);
  }
  return DocumentFrequency::documents(static_cast<uint64_t>(value));
}

Norm parse_norm(const std::string& name) {
  if (name == "l1") return Norm::L1;
  if (name == "none") return Norm::None;
  return Norm::L2;
}

void reject(const std::vector<const CLI::Option*>& options, const std::string& why) {
  for (const CLI::Option* option : options)
    if (option->count() > 0) throw UsageError(fmt::format("{} {}", option->get_name(), why));
}

std::string lower_extension(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

void check_arguments(const DocsArgs& args) {
  const bool dense = !args.vectors.empty();
  if (dense) {
    reject(args.sparse_only, "applies to sparse output only (without --vectors)");
    if (args.weighting != "sif") reject({args.sif_a_option}, "applies to --weighting sif only");
    if (args.weighting != "tfidf")
      reject({args.sublinear_tf_option}, "applies to --weighting tfidf only");
    if (lower_extension(args.output) == ".npz")
      throw UsageError(
          "dense vectors are written in a model format (.emb, .vec, .bin, .npy), not .npz");
  } else {
    reject(args.dense_only, "needs --vectors MODEL");
    if (args.represent != "tfidf")
      reject(args.sparse_tfidf_only, "applies to --represent tfidf only");
    if (lower_extension(args.output) != ".npz")
      throw UsageError(
          fmt::format("sparse output is a SciPy .npz file: name it {}.npz (or give --vectors for "
                      "dense vectors)",
                      std::filesystem::path(args.output).replace_extension().string()));
  }
  std::filesystem::path directory = std::filesystem::path(args.output).parent_path();
  if (!directory.empty() && !std::filesystem::is_directory(directory))
    throw IoError(fmt::format("cannot write '{}': output directory '{}' does not exist",
                              args.output, directory.string()));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

size_t empty_rows(const SparseMatrix& matrix) {
  size_t empty = 0;
  for (size_t r = 0; r < matrix.rows(); ++r) empty += matrix.row_columns(r).empty();
  return empty;
}

void write_sparse(const DocsArgs& args, const DocumentCollection& documents,
                  const VocabularyOptions& vocabulary_options, double read_seconds) {
  const DocumentVocabulary vocabulary = build_vocabulary(documents, vocabulary_options);
  SparseMatrix matrix;
  if (args.represent == "onehot") {
    matrix = one_hot(documents, vocabulary, args.threads);
  } else if (args.represent == "bow") {
    matrix = bag_of_words(documents, vocabulary, args.threads);
  } else {
    TfIdfOptions options;
    options.sublinear_tf = args.sublinear_tf;
    options.smooth_idf = !args.no_smooth_idf;
    options.norm = parse_norm(args.norm);
    matrix = tf_idf(documents, vocabulary, options, args.threads);
  }
  const std::string vocabulary_path =
      std::filesystem::path(args.output).replace_extension(".vocab.txt").string();
  save_sparse(matrix, args.output);
  save_vocabulary_words(vocabulary, vocabulary_path);
  fmt::print(
      stderr,
      "docs: {} documents, {} tokens, {} of {} words kept; {} {} x {} ({} non-zeros, {} empty "
      "rows); {:.2f} s reading; wrote {} and {}\n",
      documents.size(), documents.tokens(), vocabulary.words.size(), documents.words(),
      args.represent, matrix.rows(), matrix.cols(), matrix.nnz(), empty_rows(matrix), read_seconds,
      args.output, vocabulary_path);
}

void write_dense(const DocsArgs& args, const DocumentCollection& documents, double read_seconds) {
  // Labels first: a wrong labels file should fail before the model is loaded.
  Vocab labels = document_labels(documents.size(), args.labels);
  LoadOptions load_options;
  load_options.threads = args.threads;
  KeyedVectors model = load(args.vectors, load_options);
  DocumentVectorOptions options;
  options.weighting = args.weighting == "sif"     ? DocumentWeighting::Sif
                      : args.weighting == "tfidf" ? DocumentWeighting::TfIdf
                                                  : DocumentWeighting::Mean;
  options.sublinear_tf = args.sublinear_tf;
  options.sif_a = args.sif_a;
  options.threads = args.threads;
  DocumentVectors result = document_vectors(documents, model, options);
  SaveOptions save_options;
  save_options.format = parse_format(args.to);
  if (save_options.format == Format::Auto) save_options.format = format_for_output(args.output);
  save_options.threads = args.threads;
  save(KeyedVectors(std::move(labels), std::move(result.vectors)), args.output, save_options);
  std::string note;
  if (result.sif_counts_from_documents)
    note = "; the model has no word counts: SIF's p(w) from the documents";
  fmt::print(
      stderr,
      "docs: {} documents, {} tokens; {} vectors of dimension {} from {} ({} documents without "
      "a known word are zero){}; {:.2f} s reading; wrote {} ({})\n",
      documents.size(), documents.tokens(), args.weighting, model.dim(), args.vectors,
      result.empty_documents, note, read_seconds, args.output, format_name(save_options.format));
}

void run_docs(const DocsArgs& args) {
  check_arguments(args);
  VocabularyOptions vocabulary_options;
  vocabulary_options.min_df = parse_document_frequency(args.min_df, "--min-df");
  vocabulary_options.max_df = parse_document_frequency(args.max_df, "--max-df");
  vocabulary_options.max_features = args.max_features;
  const auto start = std::chrono::steady_clock::now();
  ProgressLine progress;
  CorpusOptions corpus_options;
  corpus_options.lowercase_and_split_punctuation = args.lowercase;
  DocumentCollection documents = read_documents(args.input, corpus_options, [&](double fraction) {
    progress.show(fmt::format("reading {}  {:5.1f}%", args.input, 100 * fraction));
  });
  progress.finish();
  const double read_seconds = seconds_since(start);
  if (args.vectors.empty()) {
    write_sparse(args, documents, vocabulary_options, read_seconds);
  } else {
    write_dense(args, documents, read_seconds);
  }
}

}  // namespace

void add_docs_command(CLI::App& app) {
  auto args = std::make_shared<DocsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "docs", "Document vectors: one-hot, bag-of-words or TF-IDF rows, or averaged word vectors");
  cmd->add_option("--input", args->input,
                  "Documents: UTF-8 text, one document per line (.gz/.xz/.zst too)")
      ->required();
  cmd->add_option(
         "--output", args->output,
         "Output: a .npz sparse matrix (plus STEM.vocab.txt), or with --vectors a model file")
      ->required();
  cmd->add_option("--vectors", args->vectors, "Word-vector model: write dense document vectors");
  CLI::Option* weighting =
      cmd->add_option("--weighting", args->weighting, "Dense: mean, tfidf or sif (default mean)")
          ->check(CLI::IsMember({"mean", "tfidf", "sif"}));
  CLI::Option* represent = cmd->add_option("--represent", args->represent,
                                           "Sparse: onehot, bow or tfidf (default tfidf)")
                               ->check(CLI::IsMember({"onehot", "bow", "tfidf"}));
  CLI::Option* min_df = cmd->add_option(
      "--min-df", args->min_df, "Keep words in at least N documents (or a fraction, e.g. 0.01)");
  CLI::Option* max_df =
      cmd->add_option("--max-df", args->max_df,
                      "Keep words in at most this fraction of documents (or N documents)");
  CLI::Option* max_features = cmd->add_option("--max-features", args->max_features,
                                              "Keep only the N words with the highest total count");
  args->sublinear_tf_option =
      cmd->add_flag("--sublinear-tf", args->sublinear_tf, "TF-IDF with tf = 1 + ln(count)");
  CLI::Option* norm = cmd->add_option("--norm", args->norm, "TF-IDF row norm: l2, l1 or none")
                          ->check(CLI::IsMember({"l2", "l1", "none"}));
  CLI::Option* no_smooth_idf =
      cmd->add_flag("--no-smooth-idf", args->no_smooth_idf,
                    "Sparse TF-IDF with idf = ln(n / df) + 1 (no smoothing)");
  CLI::Option* sif_a =
      cmd->add_option("--sif-a", args->sif_a, "SIF weight parameter a (default 1e-3)")
          ->check(CLI::PositiveNumber);
  CLI::Option* labels = cmd->add_option("--labels", args->labels,
                                        "Dense: one label per document (default: line numbers)");
  CLI::Option* to = cmd->add_option(
      "--to", args->to,
      "Dense output format: native|vec|glove|bin|npy (default: from the extension)");
  cmd->add_flag("--lowercase", args->lowercase,
                "Lowercase the text and split punctuation into tokens");
  add_threads_arg(cmd, args->threads);
  args->sparse_only = {represent, min_df, max_df, max_features, norm, no_smooth_idf};
  args->dense_only = {weighting, labels, to, sif_a};
  args->sparse_tfidf_only = {norm, no_smooth_idf, args->sublinear_tf_option};
  args->sif_a_option = sif_a;
  cmd->callback([args] { run_docs(*args); });
}

}  // namespace embkit::cli
