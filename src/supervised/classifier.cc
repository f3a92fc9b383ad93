// Classifier (embkit/classifier.h): a supervised fastText model with the index and tree that
// prediction needs; features of a line, top-k prediction for every loss, save and load.
#include "embkit/classifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "embkit/error.h"
#include "supervised/classifier_kernels.h"
#include "supervised/classifier_state.h"
#include "supervised/labelled_text.h"

namespace embkit {

using supervised::classifier_kernels;

namespace supervised {

ClassifierLoss loss_of(FastTextLoss loss) {
  switch (loss) {
    case FastTextLoss::HierarchicalSoftmax:
      return ClassifierLoss::HierarchicalSoftmax;
    case FastTextLoss::NegativeSampling:
      return ClassifierLoss::NegativeSampling;
    case FastTextLoss::OneVsAll:
      return ClassifierLoss::OneVsAll;
    case FastTextLoss::Softmax:
      break;
  }
  return ClassifierLoss::Softmax;
}

FastTextLoss fasttext_loss_of(ClassifierLoss loss) {
  switch (loss) {
    case ClassifierLoss::HierarchicalSoftmax:
      return FastTextLoss::HierarchicalSoftmax;
    case ClassifierLoss::NegativeSampling:
      return FastTextLoss::NegativeSampling;
    case ClassifierLoss::OneVsAll:
      return FastTextLoss::OneVsAll;
    case ClassifierLoss::Softmax:
      break;
  }
  return FastTextLoss::Softmax;
}

void add_quantized_row(const FastTextMatrix& matrix, size_t row, float scale, float* out) {
  const ProductQuantizer& pq = matrix.pq;
  if (matrix.qnorm) {
    const uint8_t code = matrix.norm_codes[row];
    scale *= matrix.norm_pq.centroids[static_cast<size_t>(code) * static_cast<size_t>(matrix.norm_pq.dsub)];
  }
  const uint8_t* codes = matrix.codes.data() + row * static_cast<size_t>(pq.nsubq);
  const size_t ksub = ProductQuantizer::kCentroids;
  for (int32_t m = 0; m < pq.nsubq; ++m) {
    const size_t d = static_cast<size_t>(m == pq.nsubq - 1 ? pq.lastdsub : pq.dsub);
    const float* centroid = pq.centroids.data() + static_cast<size_t>(m) * ksub * static_cast<size_t>(pq.dsub) +
                            static_cast<size_t>(codes[m]) * d;
    float* target = out + static_cast<size_t>(m) * static_cast<size_t>(pq.dsub);
    for (size_t j = 0; j < d; ++j) target[j] += scale * centroid[j];
  }
}

}  // namespace supervised

std::string_view classifier_loss_name(ClassifierLoss loss) {
  switch (loss) {
    case ClassifierLoss::HierarchicalSoftmax:
      return "hs";
    case ClassifierLoss::NegativeSampling:
      return "ns";
    case ClassifierLoss::OneVsAll:
      return "ova";
    case ClassifierLoss::Softmax:
      break;
  }
  return "softmax";
}

std::optional<ClassifierLoss> parse_classifier_loss(std::string_view name) {
  for (ClassifierLoss loss : {ClassifierLoss::Softmax, ClassifierLoss::HierarchicalSoftmax,
                              ClassifierLoss::NegativeSampling, ClassifierLoss::OneVsAll})
    if (classifier_loss_name(loss) == name) return loss;
  return std::nullopt;
}

void Classifier::State::hidden_of(std::span<const uint32_t> features, float* hidden) const {
  const size_t width = stride();
  const Matrix& input = model.input.dense;
  if (!model.input.quantized && input.stride() % Matrix::kAlignmentFloats == 0) {
    classifier_kernels().mean_rows(input.data(), input.stride(), features.data(), features.size(), hidden);
    return;
  }
  std::fill(hidden, hidden + width, 0.0f);
  if (model.input.quantized) {
    for (uint32_t f : features) supervised::add_quantized_row(model.input, f, 1.0f, hidden);
  } else {
    for (uint32_t f : features) {
      const float* row = input.row(f);
      for (size_t j = 0; j < input.cols(); ++j) hidden[j] += row[j];
    }
  }
  const float inverse = static_cast<float>(1.0 / static_cast<double>(features.size()));
  for (size_t j = 0; j < width; ++j) hidden[j] *= inverse;
}

Classifier::Classifier() : state_(std::make_unique<State>()) {}
Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;
Classifier::~Classifier() = default;

Classifier::Classifier(FastTextModel model, std::string label_prefix)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.model = std::move(model);
  s.prefix = std::move(label_prefix);
  const FastTextModel& m = s.model;
  if (m.args.model != FastTextKind::Supervised)
    throw UsageError("not a supervised model (a fastText word-vector model: use it as vectors)");
  if (m.nlabels <= 0) throw UsageError("the model has no labels");
  if (m.nwords < 0 || static_cast<size_t>(m.nwords) + static_cast<size_t>(m.nlabels) != m.entries.size())
    throw UsageError("the model's dictionary does not match its word and label counts");
  const size_t dim = static_cast<size_t>(m.args.dim);
  if (m.input.col_count() != dim || m.output.col_count() != dim)
    throw UsageError(fmt::format("the model's matrices are not {} wide", dim));
  if (m.output.row_count() != static_cast<size_t>(m.nlabels))
    throw UsageError(fmt::format("the output matrix has {} rows for {} labels", m.output.row_count(),
                                 m.nlabels));
  s.loss = supervised::loss_of(m.args.loss);
  s.features.nwords = static_cast<uint32_t>(m.nwords);
  s.features.word_ngrams = static_cast<uint32_t>(std::max(1, m.args.word_ngrams));
  s.features.bucket = static_cast<uint32_t>(std::max(0, m.args.bucket));
  s.features.subwords = SubwordSettings{static_cast<uint32_t>(std::max(0, m.args.minn)),
                                        static_cast<uint32_t>(std::max(0, m.args.maxn)), s.features.bucket};
  s.features.prune = m.prune_size >= 0 ? &s.model.prune : nullptr;
  const size_t hashed = m.prune_size >= 0 ? static_cast<size_t>(m.prune_size) : s.features.bucket;
  if (m.input.row_count() != static_cast<size_t>(m.nwords) + hashed)
    throw UsageError(fmt::format("the input matrix has {} rows, the dictionary needs {}",
                                 m.input.row_count(), static_cast<size_t>(m.nwords) + hashed));
  s.index.reserve(m.entries.size());
  for (const FastTextEntry& e : m.entries) s.index.intern(e.word, fasttext_hash(e.word));
  std::vector<std::string_view> words;
  if (s.features.subwords.enabled())
    for (int32_t w = 0; w < m.nwords; ++w) words.push_back(m.entries[static_cast<size_t>(w)].word);
  s.word_features.build(s.features, words);
  if (s.loss == ClassifierLoss::HierarchicalSoftmax) {
    std::vector<int64_t> counts;
    for (int32_t l = 0; l < m.nlabels; ++l)
      counts.push_back(m.entries[static_cast<size_t>(m.nwords + l)].count);
    s.tree = supervised::HuffmanTree(counts);
  }
}

const FastTextModel& Classifier::model() const { return state_->model; }
FastTextModel& Classifier::mutable_model() { return state_->model; }
ClassifierLoss Classifier::loss() const { return state_->loss; }
size_t Classifier::label_count() const { return static_cast<size_t>(state_->model.nlabels); }
size_t Classifier::word_count() const { return static_cast<size_t>(state_->model.nwords); }
size_t Classifier::dim() const { return static_cast<size_t>(state_->model.args.dim); }
const std::string& Classifier::label_prefix() const { return state_->prefix; }
bool Classifier::quantized() const { return state_->model.input.quantized; }
const std::string& Classifier::label_name(uint32_t label) const {
  return state_->model.entries[static_cast<size_t>(state_->model.nwords) + label].word;
}

void Classifier::line_features(std::string_view line, bool ends_line, std::vector<uint32_t>& features,
                               std::vector<uint32_t>& labels, std::vector<uint32_t>& hashes) const {
  const State& s = *state_;
  supervised::LineFeatureBuilder builder(s.features, s.word_features, features, hashes);
  labels.clear();
  const uint32_t nwords = s.features.nwords;
  const std::string_view prefix = s.prefix;
  supervised::for_each_token(line, ends_line, [&](std::string_view token) {
    const uint32_t hash = fasttext_hash(token);
    const int64_t id = s.index.find(token, hash);
    if (id >= 0) {
      if (static_cast<uint32_t>(id) < nwords)
        builder.add_known_word(static_cast<uint32_t>(id), hash);
      else
        labels.push_back(static_cast<uint32_t>(id) - nwords);
    } else if (token.substr(0, prefix.size()) != prefix) {
      builder.add_unknown_word(token, hash);
    }
  });
  builder.finish();
}

namespace {

// Prediction reproduces fastText's arithmetic step by step (sequential float dot products, the
// softmax's exponentials in double, its 512-point sigmoid table for ns and ova, the same heap
// operations for the k best), so that rankings, ties included, and printed probabilities equal
// `fasttext predict`'s on the same model.

// fastText's score of a probability: log(p + 1e-5), in double, kept as a float.
float std_log(float x) { return static_cast<float>(std::log(static_cast<double>(x) + 1e-5)); }

// fastText's tabulated sigmoid: 513 values on [-8, 8], read without interpolation.
struct PredictionSigmoid {
  static constexpr int64_t kSize = 512;
  static constexpr int64_t kMax = 8;
  float values[kSize + 1];
  PredictionSigmoid() {
    for (int64_t i = 0; i <= kSize; ++i) {
      const float x = static_cast<float>(i * 2 * kMax) / kSize - kMax;
      values[i] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
    }
  }
  float operator()(float x) const {
    if (x < -kMax) return 0.0f;
    if (x > kMax) return 1.0f;
    const float position = (x + kMax) * kSize / kMax / 2;
    return values[static_cast<int64_t>(position)];
  }
};

const PredictionSigmoid& prediction_sigmoid() {
  static const PredictionSigmoid table;
  return table;
}

// row . hidden, summed in order (or, for a quantized row, per sub-quantizer, times the norm).
float output_score(const FastTextMatrix& output, size_t row, const float* hidden) {
  if (!output.quantized) {
    const float* w = output.dense.row(row);
    float d = 0.0f;
    for (size_t j = 0; j < output.dense.cols(); ++j) d += w[j] * hidden[j];
    return d;
  }
  const ProductQuantizer& pq = output.pq;
  float norm = 1.0f;
  if (output.qnorm) norm = output.norm_pq.centroids[output.norm_codes[row]];
  const uint8_t* codes = output.codes.data() + row * static_cast<size_t>(pq.nsubq);
  const size_t ksub = ProductQuantizer::kCentroids;
  float result = 0.0f;
  for (int32_t m = 0; m < pq.nsubq; ++m) {
    const size_t d = static_cast<size_t>(m == pq.nsubq - 1 ? pq.lastdsub : pq.dsub);
    const float* c = pq.centroids.data() + static_cast<size_t>(m) * ksub * static_cast<size_t>(pq.dsub) +
                     static_cast<size_t>(codes[m]) * d;
    const float* x = hidden + static_cast<size_t>(m) * static_cast<size_t>(pq.dsub);
    for (size_t n = 0; n < d; ++n) result += x[n] * c[n];
  }
  return result * norm;
}

using Scored = std::pair<float, uint32_t>;
bool compare_pairs(const Scored& l, const Scored& r) { return l.first > r.first; }

// The k best (score, label) pairs in a min-heap on the score, with fastText's heap operations.
struct TopK {
  std::vector<Scored>& heap;
  size_t k;
  bool full() const { return heap.size() == k; }
  float worst() const { return heap.front().first; }
  void push(float score, uint32_t label) {
    heap.emplace_back(score, label);
    std::push_heap(heap.begin(), heap.end(), compare_pairs);
    if (heap.size() > k) {
      std::pop_heap(heap.begin(), heap.end(), compare_pairs);
      heap.pop_back();
    }
  }
  void finish(std::vector<LabelPrediction>& out) {
    std::sort_heap(heap.begin(), heap.end(), compare_pairs);
    out.clear();
    for (const auto& [score, label] : heap) out.push_back({label, std::exp(score)});
  }
};

void hs_search(const Classifier::State& s, const float* hidden, size_t node, float score,
               float log_threshold, TopK& top) {
  if (score < log_threshold) return;
  if (top.full() && score < top.worst()) return;
  const supervised::HuffmanTree& tree = s.tree;
  if (tree.is_leaf(node)) {
    top.push(score, static_cast<uint32_t>(node));
    return;
  }
  const float dot = output_score(s.model.output, node - tree.leaves(), hidden);
  const float f = static_cast<float>(1. / (1 + std::exp(-static_cast<double>(dot))));
  hs_search(s, hidden, static_cast<size_t>(tree.left(node)), score + std_log(static_cast<float>(1.0 - f)),
            log_threshold, top);
  hs_search(s, hidden, static_cast<size_t>(tree.right(node)), score + std_log(f), log_threshold, top);
}

}  // namespace

void Classifier::predict_features(std::span<const uint32_t> features, size_t k, float threshold,
                                  PredictionScratch& scratch, std::vector<LabelPrediction>& out) const {
  out.clear();
  scratch.heap.clear();
  if (features.empty() || k == 0) return;
  const State& s = *state_;
  const size_t labels = label_count();
  k = std::min(k, labels);
  scratch.hidden.resize(s.stride());
  float* hidden = scratch.hidden.data();
  s.hidden_of(features, hidden);
  TopK top{scratch.heap, k};
  if (s.loss == ClassifierLoss::HierarchicalSoftmax) {
    hs_search(s, hidden, s.tree.root(), 0.0f, std_log(threshold), top);
    top.finish(out);
    return;
  }
  scratch.scores.resize(labels);
  float* scores = scratch.scores.data();
  for (size_t i = 0; i < labels; ++i) scores[i] = output_score(s.model.output, i, hidden);
  if (s.loss == ClassifierLoss::Softmax) {
    float top_score = scores[0], z = 0.0f;
    for (size_t i = 0; i < labels; ++i) top_score = std::max(scores[i], top_score);
    for (size_t i = 0; i < labels; ++i) {
      scores[i] = static_cast<float>(std::exp(static_cast<double>(scores[i] - top_score)));
      z += scores[i];
    }
    for (size_t i = 0; i < labels; ++i) scores[i] /= z;
  } else {
    const PredictionSigmoid& sigmoid = prediction_sigmoid();
    for (size_t i = 0; i < labels; ++i) scores[i] = sigmoid(scores[i]);
  }
  for (size_t i = 0; i < labels; ++i) {
    if (scores[i] < threshold) continue;
    const float score = std_log(scores[i]);
    if (top.full() && score < top.worst()) continue;
    top.push(score, static_cast<uint32_t>(i));
  }
  top.finish(out);
}

std::vector<LabelPrediction> Classifier::predict(std::string_view line, size_t k, float threshold) const {
  PredictionScratch scratch;
  std::vector<LabelPrediction> out;
  line_features(line, true, scratch.features, scratch.labels, scratch.hashes);
  predict_features(scratch.features, k, threshold, scratch, out);
  return out;
}

void Classifier::save(const std::string& path) const { write_fasttext_model(state_->model, path); }

Classifier Classifier::load(const std::string& path, std::string label_prefix) {
  FastTextModel model = read_fasttext_model(path);
  try {
    return Classifier(std::move(model), std::move(label_prefix));
  } catch (const UsageError& e) {
    throw FormatError(path, e.what());
  }
}

}  // namespace embkit
