// fastText's quantize for classifiers (embkit/classifier.h): keep the `cutoff` input rows of largest
// norm ("</s>" first, whatever its norm), words in dictionary order and n-grams by norm, recorded in
// the prune map bucket -> kept row; optionally retrain the kept rows on the training data; then
// product-quantize the input rows (their norms apart when qnorm) and, when qout, the output rows.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "embkit/classifier.h"
#include "embkit/error.h"
#include "supervised/classifier_state.h"
#include "supervised/classifier_training.h"
#include "supervised/labelled_text.h"
#include "supervised/product_quantizer.h"

namespace embkit {
namespace {

double row_norm(const float* row, size_t dim) {
  double sum = 0;
  for (size_t j = 0; j < dim; ++j) sum += static_cast<double>(row[j]) * row[j];
  return std::sqrt(sum);
}

// The model with only the kept rows: words (in dictionary order) and n-grams (by norm).
FastTextModel pruned_model(const FastTextModel& model, uint64_t cutoff, QuantizeStats& stats) {
  const Matrix& input = model.input.dense;
  const size_t rows = input.rows(), dim = input.cols();
  const size_t nwords = static_cast<size_t>(model.nwords);
  std::vector<double> norms(rows);
  for (size_t r = 0; r < rows; ++r) norms[r] = row_norm(input.row(r), dim);
  int64_t end_of_line = -1;
  for (size_t w = 0; w < nwords; ++w)
    if (model.entries[w].word == supervised::kEndOfLine) end_of_line = static_cast<int64_t>(w);
  std::vector<size_t> order(rows);
  std::iota(order.begin(), order.end(), size_t{0});
  auto first = [&](size_t a, size_t b) {
    if (static_cast<int64_t>(a) == end_of_line) return static_cast<int64_t>(b) != end_of_line;
    if (static_cast<int64_t>(b) == end_of_line) return false;
    return norms[a] > norms[b] || (norms[a] == norms[b] && a < b);
  };
  const size_t keep = static_cast<size_t>(std::min<uint64_t>(cutoff, rows));
  std::partial_sort(order.begin(), order.begin() + static_cast<ptrdiff_t>(keep), order.end(), first);
  order.resize(keep);
  std::vector<size_t> words, ngrams;
  for (size_t r : order) (r < nwords ? words : ngrams).push_back(r);
  std::sort(words.begin(), words.end());

  FastTextModel out;
  out.version = model.version;
  out.args = model.args;
  for (size_t w : words) out.entries.push_back(model.entries[w]);
  for (int32_t l = 0; l < model.nlabels; ++l) out.entries.push_back(model.entries[nwords + static_cast<size_t>(l)]);
  out.nwords = static_cast<int32_t>(words.size());
  out.nlabels = model.nlabels;
  out.ntokens = model.ntokens;
  for (size_t j = 0; j < ngrams.size(); ++j)
    out.prune[static_cast<int32_t>(ngrams[j] - nwords)] = static_cast<int32_t>(j);
  out.prune_size = static_cast<int64_t>(out.prune.size());
  out.input.dense = Matrix(keep, dim);
  size_t r = 0;
  for (size_t source : words) std::copy(input.row(source), input.row(source) + dim, out.input.dense.mutable_row(r++));
  for (size_t source : ngrams) std::copy(input.row(source), input.row(source) + dim, out.input.dense.mutable_row(r++));
  out.output.dense = model.output.dense.clone();
  stats.words_kept = words.size();
  stats.ngrams_kept = ngrams.size();
  return out;
}

// The features of the retraining data under the pruned dictionary.
supervised::LabelledExamples retraining_examples(const Classifier& classifier, const std::string& path) {
  supervised::TextBytes bytes = supervised::read_text_bytes(path);
  supervised::LabelledExamples examples;
  std::vector<uint32_t> features, labels, hashes;
  uint32_t tokens = 0;
  supervised::for_each_line(bytes.text, [&](std::string_view line, bool ends_line, uint64_t) {
    classifier.line_features(line, ends_line, features, labels, hashes);
    tokens = 0;
    supervised::for_each_token(line, ends_line, [&](std::string_view) { ++tokens; });
    if (!labels.empty() && !features.empty()) examples.add(features, labels, tokens);
  });
  if (examples.size() == 0)
    throw FormatError(path, "no line has a label the model knows: nothing to retrain on");
  return examples;
}

}  // namespace

Classifier quantize_classifier(const Classifier& classifier, const QuantizeOptions& options,
                               QuantizeStats* stats_out) {
  const auto start = std::chrono::steady_clock::now();
  const FastTextModel& model = classifier.model();
  if (model.input.quantized) throw UsageError("the model is quantized already");
  if (options.dsub == 0) throw UsageError("dsub must be at least 1");
  if (options.retrain && options.retrain_data.empty())
    throw UsageError("retraining needs the training data (input_data)");
  QuantizeStats stats;
  stats.rows_before = model.input.row_count();
  const bool cut = options.cutoff > 0 && options.cutoff < model.input.row_count();
  FastTextModel kept;
  if (cut) {
    kept = pruned_model(model, options.cutoff, stats);
  } else {
    kept.version = model.version;
    kept.args = model.args;
    kept.entries = model.entries;
    kept.nwords = model.nwords;
    kept.nlabels = model.nlabels;
    kept.ntokens = model.ntokens;
    kept.prune_size = model.prune_size;
    kept.prune = model.prune;
    kept.input.dense = model.input.dense.clone();
    kept.output.dense = model.output.dense.clone();
    stats.words_kept = static_cast<uint64_t>(model.nwords);
    stats.ngrams_kept = model.input.row_count() - stats.words_kept;
  }
  stats.rows_kept = kept.input.row_count();
  Classifier result(std::move(kept), classifier.label_prefix());
  if (cut && options.retrain) {
    supervised::LabelledExamples examples = retraining_examples(result, options.retrain_data);
    supervised::TrainSchedule schedule;
    schedule.epochs = options.epochs;
    schedule.lr = options.lr;
    schedule.negative = static_cast<uint32_t>(std::max(1, result.model().args.neg));
    schedule.threads = options.threads;
    schedule.seed = options.seed;
    schedule.on_progress = options.on_progress;
    supervised::train_rows(result.state(), examples, schedule);
  }

  FastTextModel& m = result.mutable_model();
  supervised::ProductQuantizerSettings pq;
  pq.dsub = options.dsub;
  pq.iterations = options.kmeans_iterations;
  pq.seed = options.seed;
  pq.threads = options.threads;
  Matrix rows = std::move(m.input.dense);
  if (options.qnorm) {
    std::vector<float> norms(rows.rows());
    for (size_t r = 0; r < rows.rows(); ++r) {
      float* row = rows.mutable_row(r);
      norms[r] = static_cast<float>(row_norm(row, rows.cols()));
      if (norms[r] > 0)
        for (size_t j = 0; j < rows.cols(); ++j) row[j] /= norms[r];
    }
    supervised::quantize_values(norms, pq, m.input.norm_pq, m.input.norm_codes);
    m.input.qnorm = true;
  }
  supervised::product_quantize(rows, pq, m.input);
  m.input.dense = Matrix();
  if (options.qout) {
    Matrix out_rows = std::move(m.output.dense);
    supervised::ProductQuantizerSettings out_pq = pq;
    out_pq.dsub = 2;
    if (options.qnorm) {
      std::vector<float> norms(out_rows.rows());
      for (size_t r = 0; r < out_rows.rows(); ++r) {
        float* row = out_rows.mutable_row(r);
        norms[r] = static_cast<float>(row_norm(row, out_rows.cols()));
        if (norms[r] > 0)
          for (size_t j = 0; j < out_rows.cols(); ++j) row[j] /= norms[r];
      }
      supervised::quantize_values(norms, out_pq, m.output.norm_pq, m.output.norm_codes);
      m.output.qnorm = true;
    }
    supervised::product_quantize(out_rows, out_pq, m.output);
    m.output.dense = Matrix();
  }
  FastTextModel final_model = std::move(m);
  Classifier quantized(std::move(final_model), classifier.label_prefix());
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (stats_out) *stats_out = stats;
  return quantized;
}

}  // namespace embkit
