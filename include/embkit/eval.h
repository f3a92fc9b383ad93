// Forwarding header: analogy and word-pair evaluation, correlations and their JSON have headers of
// their own.
#pragma once

#include "embkit/analogy.h"
#include "embkit/correlation.h"
#include "embkit/eval_json.h"
#include "embkit/word_pairs.h"
