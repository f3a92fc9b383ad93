// The model `embkit demo` builds for itself: English words with planted structure, so that every query
// and evaluation the demo shows has a known right answer.
//   - relation families: country -> capital, male -> female, singular -> plural, adjective -> comparative
//     -> superlative. Every member of a tuple shares an entity vector; every role has a direction, so
//     b - a + c lands next to the expected word (up to the noise added to each word).
//   - semantic clusters (animals, colours, numbers, ...) share a centroid, so neighbours look sensible.
//   - thousands of filler pseudo-words with Zipf counts make the search space realistic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "embkit/keyed_vectors.h"

namespace embkit::cli {

struct DemoModelOptions {
  size_t filler_words = 30000;
  size_t dim = 100;
  double noise = 0.75;  // per-word noise relative to the entity and role vectors
  uint64_t seed = 1;
};

struct DemoModel {
  KeyedVectors vectors;
  std::string analogy_questions;  // questions-words.txt format
  std::string similarity_pairs;   // "word1<TAB>word2<TAB>score" lines
};

DemoModel make_demo_model(const DemoModelOptions& options);

}  // namespace embkit::cli
