#include "cli/common.h"

#include <charconv>
#include <cstdio>

#include "embkit/error.h"
#include "embkit/queries.h"

namespace embkit::cli {

void add_model_args(CLI::App* command, ModelArgs& args) {
  command->add_option("MODEL", args.path, "Model file (any supported format)")->required();
  command->add_option("--format", args.format,
                      "Input format: auto|native|vec|glove|bin|npy (default: detected from content)");
  command->add_option("--labels", args.labels, "Labels file for .npy models (one label per line)");
  command->add_option("--limit", args.limit, "Read only the first N vectors");
}

void add_threads_arg(CLI::App* command, int& threads) {
  command->add_option("--threads", threads, "Threads (default: all cores)")->check(CLI::NonNegativeNumber);
}

KeyedVectors load_model(const ModelArgs& args) {
  LoadOptions options;
  options.format = parse_format(args.format);
  options.limit = args.limit;
  options.labels_path = args.labels;
  options.threads = args.threads;
  return load(args.path, options);
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

void report_error(const std::string& message) {
  std::fprintf(stderr, "embkit: error: %s\n", message.c_str());
  exit_status() = 1;
}

}  // namespace embkit::cli
