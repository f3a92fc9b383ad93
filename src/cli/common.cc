#include "cli/common.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include <iostream>

#include "cli/options_cli.h"
#include "embkit/error.h"
#include "embkit/options.h"
#include "embkit/prepare_corpus.h"
#include "embkit/progress.h"
#include "embkit/queries.h"

namespace embkit::cli {

void add_model_args(CLI::App* command, ModelArgs& args) {
  command->add_option("MODEL", args.path, "Model file (any supported format)")->required();
  command->add_option("--format", args.format,
                      "Input format: auto|native|vec|glove|bin|npy (default: detected from content)");
  command->add_option("--labels", args.labels, "Labels file for .npy models (one label per line)");
  command->add_option("--limit", args.limit, "Read only the first N vectors");
  command->add_flag("--no-oov", args.no_oov,
                    "Ignore a subword model's character n-grams: unknown words are errors");
}

void add_threads_arg(CLI::App* command, int& threads) {
  OptionSpec spec = *train_option_table().find("threads");
  spec.defaults.clear();
  spec.default_note = "all cores";
  add_checked_option(command, "--threads", spec, threads);
}

void add_k_arg(CLI::App* command, size_t& k, const std::string& help) {
  OptionSpec spec;
  spec.type = OptionType::Unsigned;
  spec.help = help;
  spec.min = 1;
  spec.max = kMaxK;
  spec.defaults[""] = uint64_t{k};
  add_checked_option(command, "-k", spec, k);
}

LoadOptions load_options(const ModelArgs& args) {
  LoadOptions options;
  options.format = parse_format(args.format);
  options.limit = args.limit;
  options.labels_path = args.labels;
  options.threads = args.threads;
  return options;
}

KeyedVectors load_model(const ModelArgs& args) {
  LoadDetails details;
  return load_model(args, false, details);
}

KeyedVectors load_model(const ModelArgs& args, bool verify, LoadDetails& details) {
  LoadOptions options = load_options(args);
  options.verify = verify;
  KeyedVectors kv = load(args.path, options, details);
  if (args.no_oov) kv.set_subwords(nullptr);
  return kv;
}

nlohmann::json json_number(float value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::strtod(std::string(buffer, end).c_str(), nullptr);
}

Metric parse_metric(const std::string& name) {
  if (name == "cosine") return Metric::Cosine;
  if (name == "dot") return Metric::Dot;
  if (name == "l2") return Metric::L2;
  throw UsageError("unknown metric '" + name + "' (use cosine, dot or l2)");
}

AnalogyMethod parse_method(const std::string& name) {
  if (name == "add") return AnalogyMethod::Add;
  if (name == "mul") return AnalogyMethod::Mul;
  throw UsageError("unknown analogy method '" + name + "' (use add or mul)");
}

int& exit_status() {
  static int status = 0;
  return status;
}

void check_standard_output() {
  // A full disk or closed pipe shows up only at the flush; without this `neighbors ... > /dev/full`
  // would print nothing and exit 0.
  errno = 0;
  std::cout.flush();  // synchronised with stdio: this is where a full device reports ENOSPC
  const int cout_errno = errno;
  errno = 0;
  bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) || std::cout.fail();
  if (!failed) return;
  if (errno || cout_errno) throw IoError("write", "standard output", errno ? errno : cout_errno);
  // An earlier flush failed (a line-buffered or std::endl write) and its errno is gone.
  throw IoError("cannot write 'standard output': part of the output was lost (disk full?)");
}

void report_error(const std::string& message) {
  std::fprintf(stderr, "embkit: error: %s\n", message.c_str());
  exit_status() = 1;
}

void for_each_word_batch(const std::vector<std::string>& words,
                         const std::function<void(const std::vector<std::string>&)>& answer) {
  if (!words.empty()) {
    answer(words);
    return;
  }
  constexpr size_t kBatch = 256;
  std::vector<std::string> batch;
  std::string word;
  while (std::cin >> word) {
    batch.push_back(word);
    if (batch.size() == kBatch) {
      answer(batch);
      batch.clear();
    }
  }
  if (!batch.empty()) answer(batch);
}

void require_output_directory(const std::string& output) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(output).parent_path();
  if (!dir.empty() && !fs::is_directory(dir))
    throw IoError(fmt::format("cannot write '{}': output directory '{}' does not exist", output,
                              dir.string()));
}

PreparedCorpus read_training_corpus(const std::string& input, uint64_t min_count, size_t max_vocab,
                                    bool lowercase) {
  ProgressLine progress;
  VocabOptions vocab_options;
  vocab_options.min_count = min_count;
  vocab_options.max_vocab = max_vocab;
  CorpusOptions corpus_options;
  corpus_options.lowercase_and_split_punctuation = lowercase;
  PreparedCorpus prepared = prepare_corpus(input, vocab_options, corpus_options, [&](double f) {
    progress.show(fmt::format("reading {}  {:5.1f}%", input, 100 * f));
  });
  progress.finish();
  return prepared;
}

std::string counts_vocab_path(const std::string& counts_path) {
  std::filesystem::path p(counts_path);
  return (p.parent_path() / (p.stem().string() + ".vocab.txt")).string();
}

Vocab read_counts_vocab(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("open", path, errno);
  Vocab vocab;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    const size_t space = line.rfind(' ');
    uint64_t count = 0;
    const char* end = line.data() + line.size();
    if (space == std::string::npos || space == 0 ||
        std::from_chars(line.data() + space + 1, end, count).ptr != end)
      throw FormatError(path, number, "expected \"word count\"");
    if (!vocab.add(std::string_view(line).substr(0, space), count))
      throw FormatError(path, number, fmt::format("duplicate word \"{}\"", line.substr(0, space)));
  }
  if (vocab.empty()) throw FormatError(path, "no words");
  return vocab;
}

}  // namespace embkit::cli
