// Training data for the classifier: a file in fastText's format read once into a dictionary (words,
// then labels, each by count) and the features and labels of every trainable line.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "embkit/classifier.h"
#include "embkit/fasttext_model.h"
#include "supervised/line_features.h"

namespace embkit::supervised {

// Lines as compressed rows: example i has features[feature_ends[i-1] .. feature_ends[i]) and the
// same for labels; tokens[i] is the line's token count (labels and "</s>" included).
struct LabelledExamples {
  std::vector<uint32_t> features;
  std::vector<uint64_t> feature_ends;
  std::vector<uint32_t> labels;
  std::vector<uint64_t> label_ends;
  std::vector<uint32_t> tokens;

  size_t size() const { return feature_ends.size(); }
  std::span<const uint32_t> features_of(size_t i) const {
    const uint64_t begin = i ? feature_ends[i - 1] : 0;
    return {features.data() + begin, features.data() + feature_ends[i]};
  }
  std::span<const uint32_t> labels_of(size_t i) const {
    const uint64_t begin = i ? label_ends[i - 1] : 0;
    return {labels.data() + begin, labels.data() + label_ends[i]};
  }
  void add(std::span<const uint32_t> line_features, std::span<const uint32_t> line_labels,
           uint32_t line_tokens) {
    features.insert(features.end(), line_features.begin(), line_features.end());
    feature_ends.push_back(features.size());
    labels.insert(labels.end(), line_labels.begin(), line_labels.end());
    label_ends.push_back(labels.size());
    tokens.push_back(line_tokens);
  }
};

struct TrainingData {
  std::vector<FastTextEntry> entries;  // words, then labels
  uint32_t nwords = 0, nlabels = 0;
  uint64_t ntokens = 0;
  FeatureSettings features;  // the feature rule of the model (prune unset)
  LabelledExamples examples;
  ClassifierTrainStats stats;  // lines, examples, skipped lines, tokens, words, labels
};

// The feature rule for these options: no hash rows at all without word n-grams and character
// n-grams (fastText sets bucket to 0 then).
FeatureSettings feature_settings_for(const ClassifierOptions& options, uint32_t nwords);

// Reads `path`. Throws FormatError naming the file when it is empty, has no labelled line, or no
// label has min_count_label examples.
TrainingData read_training_data(const std::string& path, const ClassifierOptions& options);

}  // namespace embkit::supervised
