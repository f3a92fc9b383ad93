// `embkit convert INPUT OUTPUT [--to native|vec|bin|glove|npy|fasttext-bin] [--dtype f32|f16|i8]`.
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
  SaveOptions save_options;
  save_options.format = parse_format(args.to);
  if (save_options.format == Format::Auto) save_options.format = format_for_output(args.output);
  save_options.dtype = parse_dtype(args.dtype);
  save_options.threads = args.model.threads;
  // Checked before the (possibly long) load.
  if (save_options.dtype != Dtype::F32 && save_options.format != Format::Native)
    throw UsageError(
        fmt::format("--dtype {}: only the native format (.emb) stores f16 or i8, not {}",
                    args.dtype, format_name(save_options.format)));
  save_options.labels_path = args.output_labels;
  auto start = std::chrono::steady_clock::now();
  KeyedVectors kv = load_model(args.model);
  // A .bin name holds a fastText model when the vectors have subwords (known once loaded).
  if (args.to == "auto") save_options.format = format_for_output(args.output, kv);
  save(kv, args.output, save_options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::error_code no_size;  // a FIFO or device output has none
  const auto bytes = std::filesystem::file_size(args.output, no_size);
  fmt::print("wrote {} x {} vectors to {} ({} {}, {:.1f} MB) in {:.2f} s\n", kv.size(), kv.dim(),
             args.output, format_name(save_options.format), dtype_name(save_options.dtype),
             no_size ? 0.0 : bytes / 1e6, seconds);
}

}  // namespace

void add_convert_command(CLI::App& app) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand("convert", "Convert a model between formats");
  cmd->add_option("INPUT", args->model.path, "Model to read (any supported format)")->required();
  cmd->add_option("OUTPUT", args->output, "File to write (atomically)")->required();
  cmd->add_option("--to", args->to,
                  "Output format: native|vec|glove|bin|npy|fasttext-bin (default: from the extension; "
                  ".emb native, .ftz fastText, .bin fastText for subword models)");
  cmd->add_option("--format,--from", args->model.format, "Input format (default: detected)");
  cmd->add_option("--labels", args->model.labels, "Labels file of an .npy input");
  cmd->add_option("--output-labels", args->output_labels,
                  "Labels file for .npy output (default: OUTPUT stem + .labels.txt)");
  cmd->add_option("--limit", args->model.limit, "Convert only the first N vectors");
  cmd->add_option("--dtype", args->dtype,
                  "Storage type: f32, f16 (half) or i8 (per-dimension int8 codes + scales); "
                  "f16 and i8 only for the native format");
  add_threads_arg(cmd, args->model.threads);
  cmd->callback([args] { run_convert(*args); });
}

}  // namespace embkit::cli
