// fastText's `test` (embkit/classifier.h): precision and recall at k over the lines that have a
// label the model knows and at least one feature, and the same per label; lines are scored on
// several threads, each with its own counts, merged at the end.
#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "core/threads.h"
#include "embkit/classifier.h"
#include "embkit/error.h"
#include "supervised/labelled_text.h"

namespace embkit {
namespace {

struct Line {
  std::string_view text;
  bool ends_line;
};

void score_lines(const Classifier& classifier, std::span<const Line> lines, size_t k, float threshold,
                 ClassifierTestResult& result) {
  PredictionScratch scratch;
  std::vector<LabelPrediction> predictions;
  result.labels.assign(classifier.label_count(), ClassifierLabelScore{});
  for (uint32_t l = 0; l < result.labels.size(); ++l) result.labels[l].label = l;
  for (const Line& line : lines) {
    classifier.line_features(line.text, line.ends_line, scratch.features, scratch.labels, scratch.hashes);
    if (scratch.labels.empty() || scratch.features.empty()) {
      if (!supervised::is_blank(line.text)) ++result.skipped_lines;
      continue;
    }
    classifier.predict_features(scratch.features, k, threshold, scratch, predictions);
    ++result.examples;
    result.gold += scratch.labels.size();
    result.predicted += predictions.size();
    for (const LabelPrediction& p : predictions) {
      ++result.labels[p.label].predicted;
      if (std::find(scratch.labels.begin(), scratch.labels.end(), p.label) != scratch.labels.end()) {
        ++result.labels[p.label].correct;
        ++result.correct;
      }
    }
    for (uint32_t l : scratch.labels) ++result.labels[l].gold;
  }
}

}  // namespace

ClassifierTestResult test_classifier(const Classifier& classifier, const std::string& path, size_t k,
                                     float threshold, int threads) {
  if (k == 0) throw UsageError("k must be at least 1");
  supervised::TextBytes bytes = supervised::read_text_bytes(path);
  std::vector<Line> lines;
  supervised::for_each_line(bytes.text, [&](std::string_view text, bool ends_line, uint64_t) {
    lines.push_back({text, ends_line});
  });
  if (lines.empty()) throw FormatError(path, "no examples: the file is empty");
  const size_t workers = std::max<size_t>(
      1, std::min<size_t>(static_cast<size_t>(resolve_threads(threads)), lines.size() / 256 + 1));
  std::vector<ClassifierTestResult> parts(workers);
  std::vector<std::thread> pool;
  for (size_t t = 0; t < workers; ++t)
    pool.emplace_back([&, t] {
      const size_t begin = lines.size() * t / workers, end = lines.size() * (t + 1) / workers;
      score_lines(classifier, std::span<const Line>(lines).subspan(begin, end - begin), k, threshold,
                  parts[t]);
    });
  for (std::thread& worker : pool) worker.join();
  ClassifierTestResult result = std::move(parts[0]);
  for (size_t t = 1; t < workers; ++t) {
    const ClassifierTestResult& p = parts[t];
    result.examples += p.examples;
    result.gold += p.gold;
    result.predicted += p.predicted;
    result.correct += p.correct;
    result.skipped_lines += p.skipped_lines;
    for (size_t l = 0; l < result.labels.size(); ++l) {
      result.labels[l].gold += p.labels[l].gold;
      result.labels[l].predicted += p.labels[l].predicted;
      result.labels[l].correct += p.labels[l].correct;
    }
  }
  if (result.examples == 0)
    throw FormatError(path, fmt::format("no line has a label the model knows ({} lines, labels "
                                        "start with '{}')",
                                        lines.size(), classifier.label_prefix()));
  return result;
}

}  // namespace embkit
