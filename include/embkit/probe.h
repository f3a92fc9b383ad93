// Linear probe: how much of a labelling (part of speech, topic, sentiment, ...) a linear classifier
// can read off the word vectors. Labelled words are split into train and test sets per label
// (stratified, seeded); L2-regularised logistic regression is trained on the raw vectors with
// LIBLINEAR (Fan et al. 2008, solver L2R_LR: a trust-region Newton method; several labels are
// handled one-vs-rest, as LIBLINEAR 2.3 has no multinomial solver, with the per-label problems
// trained in parallel; a bias feature of value 1 is appended and regularised, like scikit-learn's
// LogisticRegression(solver="liblinear")).
// Reported: test accuracy, macro-averaged F1 (scikit-learn's f1_score(average="macro") over the
// labels present in the test truth or the predictions) and the accuracy of always answering the
// training set's most frequent label.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "embkit/keyed_vectors.h"

namespace embkit {

struct LabelledWord {
  std::string word;
  std::string label;
  size_t line = 0;  // in the labels file
};

// Reads `word label` lines (whitespace separated); blank lines and lines starting with '#' are
// skipped. Throws IoError, or FormatError naming file:line for a line without exactly two fields or
// a word labelled twice; FormatError when no labelled word is left.
std::vector<LabelledWord> read_labelled_words(const std::string& path);

struct ProbeOptions {
  double test_fraction = 0.2;  // of every label's words, rounded; a label keeps >= 1 training word
  uint64_t seed = 1;           // the split
  double c = 1.0;              // inverse regularisation strength (LIBLINEAR's and scikit-learn's C)
  double tolerance = 0.01;  // LIBLINEAR's eps: stop when |grad f| <= eps * |grad f(0)| (scaled by
                            // the smaller class share); 0.01 is LIBLINEAR's own default
  int threads = 0;          // one-vs-rest problems trained in parallel; 0 = all cores
};

struct ProbeExample {
  std::string word;
  std::string label;
  bool test = false;
  std::string predicted;  // test examples only
};

struct ProbeResult {
  double accuracy = 0;
  double macro_f1 = 0;
  double baseline_accuracy = 0;  // always the most frequent training label (ties: first seen)
  size_t train = 0, test = 0;
  size_t labels = 0;                   // distinct labels among the words in the model
  std::vector<std::string> oov;        // labelled words missing from the model, file order
  std::vector<ProbeExample> examples;  // in the model, file order
};

// Throws UsageError when no labelled word is in the model, fewer than 2 labels remain, the test set
// is empty, or test_fraction is outside (0, 1).
ProbeResult linear_probe(const KeyedVectors& kv, const std::vector<LabelledWord>& words,
                         const ProbeOptions& options = {});

// Accuracy and macro-F1 of predictions against truth (label ids; equal lengths, not empty).
double accuracy(std::span<const uint32_t> truth, std::span<const uint32_t> predicted);
double macro_f1(std::span<const uint32_t> truth, std::span<const uint32_t> predicted);

}  // namespace embkit
