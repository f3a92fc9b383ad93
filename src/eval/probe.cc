// Linear probe (embkit/probe.h): labels file, stratified split, LIBLINEAR logistic regression
// (one-vs-rest problems trained in parallel), accuracy / macro-F1 / majority baseline.
#include "embkit/probe.h"

#include <fmt/format.h>
#include <linear.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <unordered_map>

#include "core/threads.h"
#include "embkit/error.h"

namespace embkit {
namespace {

void quiet(const char*) {}

// Example ids split per label: a seeded shuffle of each label's words, the first
// round(fraction * count) of them (at most count - 1) go to the test set.
std::vector<bool> stratified_test_mask(const std::vector<uint32_t>& label_of, size_t labels,
                                       const ProbeOptions& options) {
  std::vector<std::vector<size_t>> by_label(labels);
  for (size_t i = 0; i < label_of.size(); ++i) by_label[label_of[i]].push_back(i);
  std::mt19937_64 rng(options.seed);
  std::vector<bool> test(label_of.size(), false);
  for (std::vector<size_t>& members : by_label) {
    for (size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[rng() % i]);
    size_t count = members.size();
    size_t wanted =
        static_cast<size_t>(std::llround(options.test_fraction * static_cast<double>(count)));
    wanted = std::min(wanted, count - 1);
    for (size_t i = 0; i < wanted; ++i) test[members[i]] = true;
  }
  return test;
}

// LIBLINEAR's sparse rows for dense vectors: dim features (1-based) plus the bias slot and the
// terminator, all in one buffer.
struct LiblinearRows {
  std::vector<feature_node> nodes;
  std::vector<feature_node*> rows;

  LiblinearRows(const KeyedVectors& kv, const std::vector<uint32_t>& ids) {
    const size_t dim = kv.dim(), width = dim + 2;
    nodes.resize(ids.size() * width);
    for (size_t r = 0; r < ids.size(); ++r) {
      feature_node* row = nodes.data() + r * width;
      const float* vector = kv.vectors().row(ids[r]);
      for (size_t d = 0; d < dim; ++d) row[d] = {static_cast<int>(d + 1), vector[d]};
      row[dim] = {static_cast<int>(dim + 1), 1.0};  // bias feature
      row[dim + 1] = {-1, 0.0};
    }
    for (size_t r = 0; r < ids.size(); ++r) rows.push_back(nodes.data() + r * width);
  }
};

struct ModelDeleter {
  void operator()(model* m) const { free_and_destroy_model(&m); }
};

// Decision values of the one-vs-rest problem "label vs the rest" for every test row. LIBLINEAR
// numbers a binary model's classes in order of first appearance, so the sign is fixed up to make
// positive values mean `label`.
std::vector<double> one_vs_rest_scores(const LiblinearRows& train_x, const LiblinearRows& test_x,
                                       const std::vector<uint32_t>& train_labels, uint32_t label,
                                       int features, const ProbeOptions& options) {
  std::vector<double> y(train_labels.size());
  for (size_t i = 0; i < y.size(); ++i) y[i] = train_labels[i] == label ? 1.0 : -1.0;
  problem prob{};
  prob.l = static_cast<int>(y.size());
  prob.n = features;
  prob.y = y.data();
  prob.x = const_cast<feature_node**>(train_x.rows.data());
  prob.bias = 1.0;
  parameter param{};
  param.solver_type = L2R_LR;
  param.eps = options.tolerance;
  param.C = options.c;
  std::unique_ptr<model, ModelDeleter> trained(train(&prob, &param));
  const double sign = trained->label[0] == 1 ? 1.0 : -1.0;
  std::vector<double> scores(test_x.rows.size());
  double decision[2] = {0, 0};
  for (size_t i = 0; i < scores.size(); ++i) {
    predict_values(trained.get(), test_x.rows[i], decision);
    scores[i] = sign * decision[0];
  }
  return scores;
}

// The one-vs-rest scheme LIBLINEAR applies to more than two labels (one binary L2R_LR problem per
// label, the largest decision value wins), with the binary problems trained in parallel: each is
// deterministic, so the result does not depend on the thread count. Two labels are one problem.
std::vector<uint32_t> train_and_predict(const KeyedVectors& kv, size_t labels,
                                        const std::vector<uint32_t>& train_rows,
                                        const std::vector<uint32_t>& train_labels,
                                        const std::vector<uint32_t>& test_rows,
                                        const ProbeOptions& options) {
  set_print_string_function(quiet);
  const LiblinearRows train_x(kv, train_rows), test_x(kv, test_rows);
  const int features = static_cast<int>(kv.dim() + 1);
  const size_t problems = labels == 2 ? 1 : labels;
  std::vector<std::vector<double>> scores(problems);
#pragma omp parallel for schedule(dynamic) num_threads(resolve_threads(options.threads))
  for (size_t label = 0; label < problems; ++label)
    scores[label] = one_vs_rest_scores(train_x, test_x, train_labels, static_cast<uint32_t>(label),
                                       features, options);
  std::vector<uint32_t> predicted(test_rows.size());
  for (size_t i = 0; i < predicted.size(); ++i) {
    if (problems == 1) {
      predicted[i] = scores[0][i] > 0 ? 0 : 1;
      continue;
    }
    uint32_t best = 0;
    for (uint32_t label = 1; label < problems; ++label)
      if (scores[label][i] > scores[best][i]) best = label;
    predicted[i] = best;
  }
  return predicted;
}

}  // namespace

std::vector<LabelledWord> read_labelled_words(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("open", path, errno);
  std::vector<LabelledWord> words;
  std::unordered_map<std::string, size_t> seen;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream fields(line);
    std::string word, label, extra;
    if (!(fields >> word)) continue;
    if (word[0] == '#') continue;
    if (!(fields >> label) || (fields >> extra))
      throw FormatError(path, number, "expected \"word label\"");
    auto [at, inserted] = seen.emplace(word, number);
    if (!inserted)
      throw FormatError(path, number,
                        fmt::format("\"{}\" is already labelled on line {}", word, at->second));
    words.push_back({std::move(word), std::move(label), number});
  }
  if (in.bad()) throw IoError("read", path, errno);
  if (words.empty()) throw FormatError(path, "no labelled words");
  return words;
}

ProbeResult linear_probe(const KeyedVectors& kv, const std::vector<LabelledWord>& words,
                         const ProbeOptions& options) {
  if (!(options.test_fraction > 0 && options.test_fraction < 1))
    throw UsageError(
        fmt::format("test fraction {} must be between 0 and 1", options.test_fraction));
  if (!(options.c > 0)) throw UsageError(fmt::format("C = {} must be positive", options.c));
  if (!(options.tolerance > 0))
    throw UsageError(fmt::format("tolerance {} must be positive", options.tolerance));
  ProbeResult result;
  std::vector<uint32_t> rows, label_of;
  std::vector<std::string> label_names;
  std::map<std::string, uint32_t> label_ids;
  for (const LabelledWord& labelled : words) {
    std::optional<uint32_t> id = kv.vocab().find(labelled.word);
    if (!id) {
      result.oov.push_back(labelled.word);
      continue;
    }
    auto [at, inserted] =
        label_ids.emplace(labelled.label, static_cast<uint32_t>(label_names.size()));
    if (inserted) label_names.push_back(labelled.label);
    rows.push_back(*id);
    label_of.push_back(at->second);
    result.examples.push_back({labelled.word, labelled.label, false, {}});
  }
  if (rows.empty())
    throw UsageError(fmt::format("none of the {} labelled words is in the model", words.size()));
  result.labels = label_names.size();
  if (result.labels < 2)
    throw UsageError(fmt::format(
        "a probe needs at least 2 labels; the {} words in the model carry 1", rows.size()));
  std::vector<bool> test = stratified_test_mask(label_of, result.labels, options);
  std::vector<uint32_t> train_rows, train_labels, test_rows, test_labels;
  for (size_t i = 0; i < rows.size(); ++i) {
    result.examples[i].test = test[i];
    (test[i] ? test_rows : train_rows).push_back(rows[i]);
    (test[i] ? test_labels : train_labels).push_back(label_of[i]);
  }
  result.train = train_rows.size();
  result.test = test_rows.size();
  if (test_rows.empty())
    throw UsageError(fmt::format(
        "no test words: {} labelled words in the model are too few for test fraction {}",
        rows.size(), options.test_fraction));
  std::vector<uint32_t> predicted =
      train_and_predict(kv, result.labels, train_rows, train_labels, test_rows, options);
  result.accuracy = accuracy(test_labels, predicted);
  result.macro_f1 = macro_f1(test_labels, predicted);
  std::vector<size_t> train_counts(result.labels, 0);
  for (uint32_t label : train_labels) ++train_counts[label];
  uint32_t majority = static_cast<uint32_t>(
      std::max_element(train_counts.begin(), train_counts.end()) - train_counts.begin());
  result.baseline_accuracy =
      accuracy(test_labels, std::vector<uint32_t>(test_labels.size(), majority));
  for (size_t i = 0, t = 0; i < rows.size(); ++i)
    if (test[i]) result.examples[i].predicted = label_names[predicted[t++]];
  return result;
}

double accuracy(std::span<const uint32_t> truth, std::span<const uint32_t> predicted) {
  if (truth.size() != predicted.size() || truth.empty())
    throw UsageError(
        fmt::format("accuracy of {} predictions for {} labels", predicted.size(), truth.size()));
  size_t correct = 0;
  for (size_t i = 0; i < truth.size(); ++i) correct += truth[i] == predicted[i];
  return static_cast<double>(correct) / static_cast<double>(truth.size());
}

double macro_f1(std::span<const uint32_t> truth, std::span<const uint32_t> predicted) {
  if (truth.size() != predicted.size() || truth.empty())
    throw UsageError(
        fmt::format("F1 of {} predictions for {} labels", predicted.size(), truth.size()));
  struct Counts {
    size_t true_positive = 0, false_positive = 0, false_negative = 0;
  };
  std::map<uint32_t, Counts> per_label;
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] == predicted[i]) {
      ++per_label[truth[i]].true_positive;
    } else {
      ++per_label[predicted[i]].false_positive;
      ++per_label[truth[i]].false_negative;
    }
  }
  double total = 0;
  for (const auto& [label, counts] : per_label) {
    // 2 tp / (2 tp + fp + fn) is 2PR / (P + R); 0 when the label is never right (scikit-learn's
    // zero_division default).
    double denominator = 2.0 * counts.true_positive + counts.false_positive + counts.false_negative;
    total += denominator > 0 ? 2.0 * counts.true_positive / denominator : 0.0;
  }
  return total / static_cast<double>(per_label.size());
}

}  // namespace embkit
