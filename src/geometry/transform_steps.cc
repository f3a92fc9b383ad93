// Parsing of transform step lists ("center,whiten:zca:1e-5,pca:50"); the grammar is in transform.h.
#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "embkit/error.h"
#include "embkit/transform.h"

namespace embkit {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

UsageError bad_step(std::string_view step, std::string_view why) {
  return UsageError(fmt::format("bad transform step '{}': {}", step, why));
}

size_t positive_count(std::string_view step, std::string_view text, std::string_view what) {
  size_t value = 0;
  auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc() || end != text.data() + text.size() || value == 0)
    throw bad_step(step, fmt::format("{} must be a positive integer, got '{}'", what, text));
  return value;
}

void require_arguments(std::string_view step, const std::vector<std::string_view>& parts,
                       size_t least, size_t most, std::string_view usage) {
  if (parts.size() - 1 < least || parts.size() - 1 > most)
    throw bad_step(step, fmt::format("use {}", usage));
}

void parse_whiten(std::string_view step, const std::vector<std::string_view>& parts,
                  StepSpec& spec) {
  require_arguments(step, parts, 0, 2, "whiten, whiten:pca, whiten:zca or whiten:zca:EPS");
  if (parts.size() > 1) {
    if (parts[1] == "pca") {
      spec.whitening.kind = WhiteningKind::Pca;
    } else if (parts[1] == "zca") {
      spec.whitening.kind = WhiteningKind::Zca;
    } else {
      throw bad_step(step, fmt::format("whitening is pca or zca, not '{}'", parts[1]));
    }
  }
  if (parts.size() > 2) {
    const std::string_view text = parts[2];
    double eps = -1;
    auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), eps);
    if (status != std::errc() || end != text.data() + text.size() || !(eps >= 0) ||
        !std::isfinite(eps))
      throw bad_step(step, fmt::format("eps must be a number >= 0, got '{}'", text));
    spec.whitening.eps = eps;
  }
}

StepSpec parse_step(std::string_view step) {
  const std::vector<std::string_view> parts = split(step, ':');
  const std::string_view name = parts[0];
  StepSpec spec;
  spec.text = std::string(step);
  if (name == "center" || name == "normalize") {
    require_arguments(step, parts, 0, 0, fmt::format("{} without arguments", name));
    spec.kind = name == "center" ? StepKind::Center : StepKind::Normalize;
  } else if (name == "whiten") {
    spec.kind = StepKind::Whiten;
    parse_whiten(step, parts, spec);
  } else if (name == "abtt" || name == "pca") {
    require_arguments(step, parts, 1, 1, fmt::format("{}:N", name));
    spec.kind = name == "abtt" ? StepKind::Abtt : StepKind::Pca;
    spec.count = positive_count(
        step, parts[1], name == "abtt" ? "the number of directions" : "the number of components");
  } else if (name == "rp") {
    require_arguments(step, parts, 1, 2, "rp:K or rp:K:gaussian|sparse|verysparse");
    spec.kind = StepKind::RandomProjection;
    spec.count = positive_count(step, parts[1], "the output dimension");
    if (parts.size() > 2) {
      try {
        spec.projection = parse_random_projection_kind(parts[2]);
      } catch (const UsageError& e) {
        throw bad_step(step, e.what());
      }
    }
  } else if (name == "quantize") {
    if (parts.size() != 2 || parts[1] != "int8") throw bad_step(step, "use quantize:int8");
    spec.kind = StepKind::Quantize;
  } else {
    throw bad_step(step,
                   "unknown step (use center, normalize, whiten, abtt:D, pca:K, rp:K, "
                   "quantize:int8)");
  }
  return spec;
}

}  // namespace

std::string_view step_kind_name(StepKind kind) {
  switch (kind) {
    case StepKind::Center:
      return "center";
    case StepKind::Normalize:
      return "normalize";
    case StepKind::Whiten:
      return "whiten";
    case StepKind::Abtt:
      return "abtt";
    case StepKind::Pca:
      return "pca";
    case StepKind::RandomProjection:
      return "rp";
    case StepKind::Quantize:
      return "quantize";
  }
  return "center";
}

std::vector<StepSpec> parse_steps(std::string_view steps) {
  if (steps.empty()) throw UsageError("the transform step list is empty");
  std::vector<StepSpec> specs;
  for (std::string_view step : split(steps, ',')) {
    if (step.empty())
      throw UsageError(fmt::format("empty step in the transform step list '{}'", steps));
    specs.push_back(parse_step(step));
  }
  for (size_t i = 0; i + 1 < specs.size(); ++i)
    if (specs[i].kind == StepKind::Quantize)
      throw bad_step(specs[i].text, "quantize:int8 must be the last step");
  return specs;
}

}  // namespace embkit
