// Evaluation results as the JSON of `embkit eval --json` (docs/cli.md).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "embkit/analogy.h"
#include "embkit/word_pairs.h"

namespace embkit {

// The JSON objects of CLI.md ("analogy": {...}, "similarity": [{...}]); sections also carry
// "total", NaN correlations are null.
nlohmann::json to_json(const AnalogyResult& result);
nlohmann::json to_json(const SimilarityResult& result);
// With `subwords`, also the scores of the out-of-vocabulary pairs scored with n-gram vectors.
nlohmann::json to_json(const SimilarityResult& result, bool subwords);

}  // namespace embkit
