// Supervised text classification in the manner of fastText's `supervised` mode (Joulin et al. 2017,
// "Bag of Tricks for Efficient Text Classification"): a line's features (its words, optionally their
// character n-grams, and hashed word n-grams) are averaged into a hidden vector that a linear layer
// maps to label scores.
//
// Data: one example per line, `__label__a __label__b word word ...` (the label prefix is an option);
// tokens are split on fastText's whitespace (space, tab, \n, \r, \v, \f, \0) and the end of a line is
// the token "</s>", which is a word like any other, so the features, hashes and dictionary equal
// fastText's. The dictionary holds the words, then the labels, each sorted by count (ties in order
// of first appearance), words rarer than min_count and labels rarer than min_count_label dropped.
// Lines without a known label are skipped in training (and counted); unknown words contribute
// only their character n-grams and their word n-gram hashes.
//
// Losses: softmax (full), hs (hierarchical softmax over a Huffman tree of the label counts, built as
// fastText builds it, so the saved model predicts the same under fastText), ns (negative sampling
// over labels drawn by count^0.5), ova (one independent sigmoid per label, for multi-label data).
// softmax, hs and ns train on one label of a multi-label line, drawn at random; ova on all of them.
// The input rows receive the hidden vector's gradient divided by the number of features; the
// learning rate decays linearly from `lr` to 0 over epochs x tokens.
//
// Models are fastText .bin files (embkit/fasttext_model.h): `fasttext predict` and `fasttext test`
// read what save() writes, and load() reads models fastText trained.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embkit/fasttext_model.h"

namespace embkit {

enum class ClassifierLoss { Softmax, HierarchicalSoftmax, NegativeSampling, OneVsAll };

// "softmax", "hs", "ns", "ova".
std::string_view classifier_loss_name(ClassifierLoss loss);
std::optional<ClassifierLoss> parse_classifier_loss(std::string_view name);

struct ClassifierProgress {
  double fraction = 0;  // of epochs x tokens
  uint32_t epoch = 0;   // 0-based
  double tokens_per_second_per_thread = 0;
  double learning_rate = 0;
  double loss = 0;  // mean loss per example since the previous report
  double elapsed_seconds = 0;
  double eta_seconds = 0;
};

struct ClassifierOptions {
  std::string label_prefix = "__label__";
  uint64_t min_count = 1;        // words rarer than this are dropped
  uint64_t min_count_label = 0;  // labels rarer than this are dropped
  uint32_t word_ngrams = 1;      // longest word n-gram feature (1: words only)
  uint32_t bucket = 2000000;     // hash rows for word and character n-grams
  uint32_t minn = 0;             // character n-grams minn..maxn (maxn 0: none)
  uint32_t maxn = 0;
  uint32_t dim = 100;
  uint32_t epochs = 5;
  double lr = 0.1;
  ClassifierLoss loss = ClassifierLoss::Softmax;
  uint32_t negative = 5;  // ns: negatives per example
  int threads = 0;        // 0: all cores
  uint64_t seed = 1;      // with one thread the model is a pure function of data, options, seed
  std::string pretrained_vectors;  // any format embkit::load reads; its dimension must be dim
  std::string loss_log_path;       // CSV words,epoch,fraction,lr,loss (embkit plot --loss reads it)

  double progress_interval_seconds = 0.2;
  std::function<void(const ClassifierProgress&)> on_progress;
  const std::atomic<bool>* stop = nullptr;  // set to stop early (the model is then not finished)
};

// What a training run read and did.
struct ClassifierTrainStats {
  uint64_t lines = 0;               // lines read (blank lines included)
  uint64_t examples = 0;            // lines trained on
  uint64_t unlabelled_lines = 0;    // non-blank lines without a (kept) label, skipped
  uint64_t featureless_lines = 0;   // lines with a label but no feature, skipped
  uint64_t tokens = 0;              // tokens of the data, "</s>" and labels included
  uint64_t words = 0, labels = 0;   // dictionary sizes
  uint64_t dropped_words = 0;       // distinct words below min_count
  uint64_t pretrained_words = 0;    // word rows initialised from pretrained_vectors
  double read_seconds = 0, init_seconds = 0, train_seconds = 0;  // init: the rows' random start
  double tokens_per_second = 0;     // epochs x tokens / train_seconds
  double final_loss = 0;            // mean loss per example over the last epoch
  bool interrupted = false;
};

// One predicted label: its index (0-based among the labels) and probability. As fastText reports
// them, probabilities are p + 1e-5 (exp of the score log(p + 1e-5)).
struct LabelPrediction {
  uint32_t label = 0;
  float probability = 0;
};

// Reusable memory for predictions (one per thread).
struct PredictionScratch {
  std::vector<uint32_t> features, labels, hashes;
  std::vector<float> hidden, scores;
  std::vector<std::pair<float, uint32_t>> heap;
};

class Classifier {
 public:
  Classifier();
  // Checks the model (supervised, sizes consistent) and builds the word index and, for hs, the tree.
  explicit Classifier(FastTextModel model, std::string label_prefix = "__label__");
  Classifier(Classifier&&) noexcept;
  Classifier& operator=(Classifier&&) noexcept;
  ~Classifier();

  const FastTextModel& model() const;
  FastTextModel& mutable_model();
  ClassifierLoss loss() const;
  size_t label_count() const;
  size_t word_count() const;
  size_t dim() const;
  // The label's name with its prefix ("__label__sport").
  const std::string& label_name(uint32_t label) const;
  const std::string& label_prefix() const;
  bool quantized() const;

  // Features and known labels of one line of text (no newline inside): fastText's getLine, with
  // "</s>" appended when `ends_line` (fastText reads a final line without a newline without it).
  void line_features(std::string_view line, bool ends_line, std::vector<uint32_t>& features,
                     std::vector<uint32_t>& labels, std::vector<uint32_t>& hashes) const;

  // Top-k labels of the features, best first, those with probability >= threshold only. ova and ns
  // score each label by its sigmoid, softmax by the softmax, hs by the product of the sigmoids on
  // its path (fastText's depth-first search with pruning).
  void predict_features(std::span<const uint32_t> features, size_t k, float threshold,
                        PredictionScratch& scratch, std::vector<LabelPrediction>& out) const;
  // The same for a line of text.
  std::vector<LabelPrediction> predict(std::string_view line, size_t k = 1,
                                       float threshold = 0.0f) const;

  // The .bin (or, quantized, .ftz) file, written atomically.
  void save(const std::string& path) const;
  static Classifier load(const std::string& path, std::string label_prefix = "__label__");

  // The implementation's state (src/supervised/classifier_state.h).
  struct State;
  State& state() { return *state_; }
  const State& state() const { return *state_; }

 private:
  std::unique_ptr<State> state_;
};

// Trains on a file in fastText's format (plain, .gz, .xz or .zst). Throws FormatError for data
// that cannot be trained on (empty, no labelled line, every label below min_count_label) and
// UsageError for inconsistent options.
Classifier train_classifier(const std::string& path, const ClassifierOptions& options,
                            ClassifierTrainStats* stats = nullptr);

// fastText's test: precision and recall at k over the lines that have a known label and a feature,
// and per label (predicted among the top k with probability >= threshold).
struct ClassifierLabelScore {
  uint32_t label = 0;
  uint64_t gold = 0, predicted = 0, correct = 0;
  double precision() const { return predicted ? static_cast<double>(correct) / predicted : 0; }
  double recall() const { return gold ? static_cast<double>(correct) / gold : 0; }
  double f1() const {
    double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

struct ClassifierTestResult {
  uint64_t examples = 0;  // lines scored
  uint64_t gold = 0, predicted = 0, correct = 0;
  uint64_t skipped_lines = 0;  // non-blank lines without a known label or without a feature
  std::vector<ClassifierLabelScore> labels;  // one per label, in label order
  double precision() const { return predicted ? static_cast<double>(correct) / predicted : 0; }
  double recall() const { return gold ? static_cast<double>(correct) / gold : 0; }
};

// Throws FormatError when the file is empty or no line has a label the model knows.
ClassifierTestResult test_classifier(const Classifier& classifier, const std::string& path,
                                     size_t k = 1, float threshold = 0.0f, int threads = 0);

// fastText's quantize: keep the `cutoff` input rows (words and n-grams) of largest norm ("</s>"
// always), optionally retrain the kept rows on `retrain_data`, then product-quantize the input
// matrix (256 centroids per sub-vector of `dsub` dimensions, k-means seeded by `seed`), its row
// norms separately when `qnorm`, and the output matrix (dsub 2) when `qout`.
struct QuantizeOptions {
  uint64_t cutoff = 0;  // 0: keep every row
  bool retrain = false;
  std::string retrain_data;
  bool qnorm = false;
  bool qout = false;
  uint32_t dsub = 2;
  uint32_t epochs = 5;  // retraining
  double lr = 0.1;
  int threads = 0;
  uint64_t seed = 1;
  uint32_t kmeans_iterations = 25;
  std::function<void(const ClassifierProgress&)> on_progress;
};

struct QuantizeStats {
  uint64_t rows_before = 0, rows_kept = 0, words_kept = 0, ngrams_kept = 0;
  double seconds = 0;
};

Classifier quantize_classifier(const Classifier& classifier, const QuantizeOptions& options,
                               QuantizeStats* stats = nullptr);

}  // namespace embkit
