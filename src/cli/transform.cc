// `embkit transform MODEL OUTPUT --steps center,whiten,abtt:2,normalize,pca:50,rp:64 ...`: fits a
// post-processing pipeline on a model's vectors, writes the transformed model (any format, by
// extension), reports what every step did and optionally saves the fitted transform; with
// `--apply FILE` applies a saved transform instead of fitting one.
#include "embkit/transform.h"

#include <fmt/format.h>

#include <string>

#include "cli/common.h"
#include "embkit/error.h"
#include "embkit/progress.h"

namespace embkit::cli {
namespace {

struct TransformArgs {
  ModelArgs model;
  std::string output, steps, save_transform, apply, to = "auto";
  uint64_t seed = 1;
  bool json = false;
};

std::string ratios_text(const std::vector<double>& ratios) {
  constexpr size_t kShown = 5;
  std::string text;
  double total = 0;
  for (size_t i = 0; i < ratios.size(); ++i) {
    total += ratios[i];
    if (i < kShown) text += fmt::format("{}{:.4f}", i ? " " : "", ratios[i]);
  }
  if (ratios.size() > kShown) text += " ...";
  return fmt::format("{} (sum of {}: {:.4f})", text, ratios.size(), total);
}

std::string report_line(const StepReport& report, StepKind kind) {
  std::string line = fmt::format("{}: {}; {} -> {} dimensions; anisotropy {:.4f} -> {:.4f}",
                                 report.step, report.what, report.dim_in, report.dim_out,
                                 report.anisotropy_before, report.anisotropy_after);
  if (!report.explained_variance_ratio.empty()) {
    const char* label = kind == StepKind::Abtt  ? "removed variance ratio"
                        : kind == StepKind::Pca ? "explained variance ratio"
                                                : "top variance ratio";
    line += fmt::format("; {} {}", label, ratios_text(report.explained_variance_ratio));
  }
  return line + fmt::format(" ({:.2f} s)", report.seconds);
}

nlohmann::json report_json(const StepReport& report) {
  nlohmann::json ratios = nlohmann::json::array();
  for (double r : report.explained_variance_ratio) ratios.push_back(r);
  return {{"step", report.step},
          {"what", report.what},
          {"dim_in", report.dim_in},
          {"dim_out", report.dim_out},
          {"anisotropy_before", report.anisotropy_before},
          {"anisotropy_after", report.anisotropy_after},
          {"explained_variance_ratio", ratios},
          {"seconds", report.seconds}};
}

// How OUTPUT is written; checked before any work. quantize:int8 as the last step stores int8 codes,
// which only the native format holds.
SaveOptions output_options(const TransformArgs& args, bool quantized) {
  SaveOptions options;
  options.format = parse_format(args.to);
  if (options.format == Format::Auto) options.format = format_for_output(args.output);
  options.threads = args.model.threads;
  if (quantized) {
    if (options.format != Format::Native)
      throw UsageError(fmt::format("quantize:int8 stores int8 codes, which only the native format "
                                   "holds: write {} as .emb or use --to native",
                                   args.output));
    // The vectors are already dequantized codes: quantizing them again gives the same codes.
    options.dtype = Dtype::I8;
  }
  return options;
}

void write_model(const TransformArgs& args, const KeyedVectors& model, Matrix vectors,
                 const SaveOptions& options) {
  save(KeyedVectors(model.vocab().head(model.size()), std::move(vectors)), args.output, options);
}

void run_apply(const TransformArgs& args, const KeyedVectors& model) {
  const Transform transform = load_transform(args.apply);
  if (model.dim() != transform.in_dim())
    throw UsageError(fmt::format("{} was fitted on vectors of dimension {} but {} has dimension {}",
                                 args.apply, transform.in_dim(), args.model.path, model.dim()));
  const SaveOptions save_options =
      output_options(args, transform.steps.back().spec.kind == StepKind::Quantize);
  write_model(args, model, transform.apply(model.vectors(), args.model.threads), save_options);
  std::string steps;
  nlohmann::json step_list = nlohmann::json::array();
  for (const FittedStep& step : transform.steps) {
    steps += (steps.empty() ? "" : ",") + step.spec.text;
    step_list.push_back(
        {{"step", step.spec.text}, {"dim_in", step.in_dim}, {"dim_out", step.out_dim}});
  }
  if (args.json) {
    fmt::print("{}\n", nlohmann::json{{"model", args.model.path},
                                      {"output", args.output},
                                      {"vectors", model.size()},
                                      {"transform", args.apply},
                                      {"applied", true},
                                      {"steps", step_list}}
                           .dump());
  } else {
    fmt::print("applied {} ({}) to {} vectors: {} -> {} dimensions; wrote {}\n", args.apply, steps,
               model.size(), transform.in_dim(), transform.out_dim(), args.output);
  }
}

void run_fit(const TransformArgs& args, const KeyedVectors& model) {
  const std::vector<StepSpec> steps = parse_steps(args.steps);
  const SaveOptions save_options = output_options(args, steps.back().kind == StepKind::Quantize);
  TransformOptions options;
  options.seed = args.seed;
  options.threads = args.model.threads;
  ProgressLine progress;
  options.on_step = [&](size_t i, std::string_view text) {
    progress.show(fmt::format("transform: step {}/{} {}", i + 1, steps.size(), text), true);
  };
  FittedTransform fitted;
  try {
    fitted = fit_transform(model.vectors(), steps, options);
  } catch (const UsageError& e) {  // name the model: "m.vec: pca:50 asks for more components ..."
    throw UsageError(fmt::format("{}: {}", args.model.path, e.what()));
  }
  progress.finish();
  write_model(args, model, std::move(fitted.output), save_options);
  if (!args.save_transform.empty()) save_transform(fitted.transform, args.save_transform);
  if (args.json) {
    nlohmann::json reports = nlohmann::json::array();
    for (const StepReport& report : fitted.reports) reports.push_back(report_json(report));
    nlohmann::json out = {{"model", args.model.path}, {"output", args.output},
                          {"vectors", model.size()},  {"seed", args.seed},
                          {"applied", false},         {"steps", reports}};
    out["transform"] =
        args.save_transform.empty() ? nlohmann::json() : nlohmann::json(args.save_transform);
    fmt::print("{}\n", out.dump());
    return;
  }
  for (size_t i = 0; i < steps.size(); ++i)
    fmt::print("{}\n", report_line(fitted.reports[i], steps[i].kind));
  fmt::print("wrote {} ({} vectors, dimension {}){}\n", args.output, model.size(),
             fitted.transform.out_dim(),
             args.save_transform.empty() ? "" : " and the transform to " + args.save_transform);
}

void run_transform(const TransformArgs& args) {
  if (args.steps.empty() == args.apply.empty())
    throw UsageError(
        "give either --steps LIST (fit a transform) or --apply FILE (use a saved one)");
  if (!args.apply.empty() && !args.save_transform.empty())
    throw UsageError("--save-transform goes with --steps; --apply uses a transform already saved");
  if (!args.steps.empty()) parse_steps(args.steps);  // bad steps fail before the model is read
  require_output_directory(args.output);
  if (!args.save_transform.empty()) require_output_directory(args.save_transform);
  const KeyedVectors model = load_model(args.model);
  if (args.apply.empty()) {
    run_fit(args, model);
  } else {
    run_apply(args, model);
  }
}

}  // namespace

void add_transform_command(CLI::App& app) {
  auto args = std::make_shared<TransformArgs>();
  CLI::App* cmd = app.add_subcommand(
      "transform", "Post-process vectors: center, whiten, abtt, normalize, pca, random projection");
  add_model_args(cmd, args->model);
  cmd->add_option("OUTPUT", args->output, "Transformed model to write (format from the extension)")
      ->required();
  cmd->add_option("--steps", args->steps,
                  "Comma-separated steps: center, normalize, whiten[:pca|zca[:EPS]], abtt:D, "
                  "pca:K, rp:K[:gaussian|sparse|verysparse], quantize:int8");
  cmd->add_option("--apply", args->apply, "Apply a transform saved by --save-transform");
  cmd->add_option("--save-transform", args->save_transform,
                  "Save the fitted transform (safetensors) to apply to other vectors later");
  cmd->add_option("--seed", args->seed,
                  "Seed for random projections and anisotropy pairs (default 1)");
  cmd->add_option("--to", args->to,
                  "Output format: native|vec|glove|bin|npy (default: from the extension)");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  add_threads_arg(cmd, args->model.threads);
  cmd->callback([args] { run_transform(*args); });
}

}  // namespace embkit::cli
