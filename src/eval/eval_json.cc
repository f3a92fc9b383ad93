// The JSON objects of `embkit eval --json` (CLI.md). NaN correlations (no pair in the vocabulary)
// are written as null.
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "embkit/eval_json.h"

namespace embkit {
namespace {

nlohmann::json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const AnalogyResult& result) {
  nlohmann::json sections = nlohmann::json::object();
  for (const AnalogySection& section : result.sections) {
    // A section name repeated in the file adds up under one key.
    nlohmann::json& entry = sections[section.name];
    if (entry.is_null()) entry = {{"correct", 0}, {"answered", 0}, {"total", 0}};
    entry["correct"] = entry["correct"].get<size_t>() + section.correct;
    entry["answered"] = entry["answered"].get<size_t>() + section.answered;
    entry["total"] = entry["total"].get<size_t>() + section.total;
  }
  nlohmann::json out = {{"file", result.file},
          {"accuracy", result.accuracy()},
          {"semantic", result.semantic()},
          {"syntactic", result.syntactic()},
          {"correct", result.correct},
          {"answered", result.answered},
          {"total", result.total},
          {"coverage", result.coverage()},
          {"sections", std::move(sections)}};
  if (result.oov_answered > 0) {
    out["oov_answered"] = result.oov_answered;
    out["oov_correct"] = result.oov_correct;
    out["oov_accuracy"] = result.oov_accuracy();
  }
  return out;
}

nlohmann::json to_json(const SimilarityResult& result) {
  return {{"file", result.file},
          {"spearman", number_or_null(result.spearman)},
          {"pearson", number_or_null(result.pearson)},
          {"pairs", result.pairs},
          {"oov", result.oov}};
}

nlohmann::json to_json(const SimilarityResult& result, bool subwords) {
  nlohmann::json out = to_json(result);
  if (subwords) {
    out["oov_scored"] = result.oov_scored;
    out["spearman_with_oov"] = number_or_null(result.spearman_with_oov);
    out["pearson_with_oov"] = number_or_null(result.pearson_with_oov);
    out["spearman_oov"] = number_or_null(result.spearman_oov);
    out["pearson_oov"] = number_or_null(result.pearson_oov);
  }
  return out;
}

}  // namespace embkit
