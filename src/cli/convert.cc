// `embkit convert INPUT OUTPUT [--to native|vec|bin|glove|npy] [--dtype f32]`.
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "cli/common.h"
#include "embkit/error.h"

namespace embkit::cli {
namespace {

struct ConvertArgs {
  ModelArgs model;
  std::string output;
  std::string to = "auto";
  std::string dtype = "f32";
  std::string output_labels;
};

void run_convert(const ConvertArgs& args) {
  if (args.dtype != "f32")
    throw UsageError(fmt::format("--dtype {}: this version of embkit stores float32 only", args.dtype));
  SaveOptions save_options;
  save_options.format = parse_format(args.to);
  if (save_options.format == Format::Auto) save_options.format = format_for_output(args.output);
  save_options.labels_path = args.output_labels;
  auto start = std::chrono::steady_clock::now();
  KeyedVectors kv = load_model(args.model);
  save(kv, args.output, save_options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("wrote {} x {} vectors to {} ({}, {:.1f} MB) in {:.2f} s\n", kv.size(), kv.dim(), args.output,
             format_name(save_options.format), std::filesystem::file_size(args.output) / 1e6, seconds);
}

}  // namespace

void add_convert_command(CLI::App& app) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand("convert", "Convert a model between formats");
  cmd->add_option("INPUT", args->model.path, "Model to read (any supported format)")->required();
  cmd->add_option("OUTPUT", args->output, "File to write (atomically)")->required();
  cmd->add_option("--to", args->to,
                  "Output format: native|vec|glove|bin|npy (default: from the extension; .emb native)");
  cmd->add_option("--format,--from", args->model.format, "Input format (default: detected)");
  cmd->add_option("--labels", args->model.labels, "Labels file of an .npy input");
  cmd->add_option("--output-labels", args->output_labels,
                  "Labels file for .npy output (default: OUTPUT stem + .labels.txt)");
  cmd->add_option("--limit", args->model.limit, "Convert only the first N vectors");
  cmd->add_option("--dtype", args->dtype, "Storage type of the output (f32)");
  add_threads_arg(cmd, args->model.threads);
  cmd->callback([args] { run_convert(*args); });
}

}  // namespace embkit::cli
