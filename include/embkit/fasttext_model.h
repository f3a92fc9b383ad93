// fastText's own model files (.bin, and quantized .ftz) as written by fastText 0.9.x, file format
// version 12 (11 is read too): the training arguments, the dictionary (words, then labels, with
// counts), optional pruning of the n-gram buckets, and the input and output matrices, each dense or
// product-quantized. Unsupervised (skip-gram / CBOW) and supervised models share the layout.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "embkit/keyed_vectors.h"
#include "embkit/matrix.h"
#include "embkit/subwords.h"

namespace embkit {

enum class FastTextLoss : int32_t { HierarchicalSoftmax = 1, NegativeSampling = 2, Softmax = 3, OneVsAll = 4 };
enum class FastTextKind : int32_t { Cbow = 1, SkipGram = 2, Supervised = 3 };

// fastText's Args as saved, field by field.
struct FastTextArgs {
  int32_t dim = 100;
  int32_t ws = 5;
  int32_t epoch = 5;
  int32_t min_count = 5;
  int32_t neg = 5;
  int32_t word_ngrams = 1;
  FastTextLoss loss = FastTextLoss::NegativeSampling;
  FastTextKind model = FastTextKind::SkipGram;
  int32_t bucket = 2000000;
  int32_t minn = 3;
  int32_t maxn = 6;
  int32_t lr_update_rate = 100;
  double t = 1e-4;

  SubwordSettings subwords() const;
};

enum class FastTextEntryType : uint8_t { Word = 0, Label = 1 };

struct FastTextEntry {
  std::string word;
  int64_t count = 0;
  FastTextEntryType type = FastTextEntryType::Word;
};

// fastText's ProductQuantizer: 256 centroids per sub-quantizer of `dsub` dimensions (the last one
// `lastdsub`); centroids of sub-quantizer m are at m * 256 * dsub, each `dsub` (last: lastdsub) long.
struct ProductQuantizer {
  int32_t dim = 0;
  int32_t nsubq = 0;
  int32_t dsub = 0;
  int32_t lastdsub = 0;
  std::vector<float> centroids;  // dim * 256

  static constexpr int32_t kCentroids = 256;
  const float* centroid(int32_t m, uint8_t code) const;
  // out[0..dim) += scale * decoded row `row` of `codes` (nsubq bytes per row).
  void add_code(const uint8_t* codes, size_t row, float scale, float* out) const;
};

// A model matrix: dense (rows x cols floats) or product-quantized (codes of rows x nsubq bytes,
// optional quantized norms when `qnorm`).
struct FastTextMatrix {
  bool quantized = false;
  Matrix dense;  // when !quantized

  bool qnorm = false;
  int64_t rows = 0, cols = 0;  // when quantized (dense: dense.rows() / cols())
  std::vector<uint8_t> codes;
  ProductQuantizer pq;
  std::vector<uint8_t> norm_codes;  // rows bytes, when qnorm
  ProductQuantizer norm_pq;

  size_t row_count() const { return quantized ? static_cast<size_t>(rows) : dense.rows(); }
  size_t col_count() const { return quantized ? static_cast<size_t>(cols) : dense.cols(); }
  // out[0..cols) += scale * row r (decoded when quantized).
  void add_row(size_t r, float scale, float* out) const;
};

struct FastTextModel {
  int32_t version = 12;
  FastTextArgs args;
  std::vector<FastTextEntry> entries;  // words first (frequency order), then labels
  int32_t nwords = 0;
  int32_t nlabels = 0;
  int64_t ntokens = 0;
  int64_t prune_size = -1;  // -1: never pruned; otherwise prune.size()
  PruneMap prune;
  FastTextMatrix input;   // nwords + bucket rows (bucket pruned: nwords + prune.size())
  FastTextMatrix output;  // nwords rows (unsupervised) or nlabels rows (supervised)

  // The subword ids of entry `id` (the word row, then its n-gram rows; fastText's getSubwords).
  // A label has no input row of its own: its ids are its n-grams only. Throws UsageError when `id`
  // is not an entry.
  std::vector<uint32_t> subword_ids(uint32_t id) const;
  // The ids of any word: its own row when in the dictionary, then its n-grams (none for "</s>").
  // Labels are not words here. A linear search of the dictionary: fasttext_keyed_vectors() looks
  // up many words faster.
  std::vector<uint32_t> subword_ids(std::string_view word) const;
  // fastText's getWordVector: the mean of the rows of subword_ids(word), zeros when there are none.
  void word_vector(std::string_view word, float* out) const;
};

// True when `bytes` start with fastText's magic number (0x2F4F16BA, little-endian).
bool looks_like_fasttext_model(const void* bytes, size_t size);

// Reads a .bin / .ftz file. Throws IoError when it cannot be read and FormatError ("path: what is
// wrong", with the byte offset) for a wrong magic or version, a truncated file, sizes that do not
// add up, non-finite values, or trailing bytes.
FastTextModel read_fasttext_model(const std::string& path);

// Writes atomically (temporary file + rename), in format version 12.
void write_fasttext_model(const FastTextModel& model, const std::string& path);

// The words of a model as KeyedVectors: each row is fastText's word vector (print-word-vectors),
// counts kept, and the n-gram rows attached as the subword table so unseen words get vectors.
// Supervised models give their word vectors too (labels excluded).
KeyedVectors fasttext_keyed_vectors(const FastTextModel& model);
// The same, taking over the model's dense n-gram rows instead of copying them.
KeyedVectors fasttext_keyed_vectors(FastTextModel&& model);

// An unsupervised (args.model CBOW or skip-gram) model holding `vectors`: one dictionary word per
// row, in order, with the vocabulary's counts (1 where there are none); a "</s>" row is kept as
// fastText keeps it (its own row only), none is added. The rows of KeyedVectors are composed
// vectors (the mean of the word's own row and its n-gram rows), so each word's own row is
// recovered as n * vector - sum(n-gram rows), n = 1 + its n-gram count; without n-grams
// (args.maxn 0) it is the vector itself. The n-gram rows come from the vectors' subword table,
// whose settings must be args' minn / maxn / bucket; with maxn 0 the `bucket` extra rows are
// zeros. `output` (nwords x dim, e.g. a context matrix) or zeros is the output matrix.
// Throws UsageError when the vectors and args disagree (dimension, subword settings, a pruned
// table: fastText reads pruned n-gram tables only in quantized models), DataError for non-finite
// values or words fastText's format cannot hold (empty, or with a NUL byte).
FastTextModel make_fasttext_model(const KeyedVectors& vectors, const Matrix* output,
                                  const FastTextArgs& args);

// What a model file holds besides its vectors (`embkit info`).
struct FastTextSummary {
  int32_t version = 12;
  FastTextArgs args;
  int32_t nwords = 0;
  int32_t nlabels = 0;
  int64_t ntokens = 0;
  int64_t prune_size = -1;
  bool quantized_input = false;
  bool quantized_output = false;
  bool qnorm = false;
};
FastTextSummary fasttext_summary(const FastTextModel& model);

std::string_view fasttext_loss_name(FastTextLoss loss);  // "hs", "ns", "softmax", "ova"
std::string_view fasttext_kind_name(FastTextKind kind);  // "cbow", "skipgram", "supervised"

}  // namespace embkit
