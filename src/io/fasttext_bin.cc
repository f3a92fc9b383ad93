// fastText model files: reading (every size checked against the bytes that remain before anything
// is allocated), writing, word vectors as fastText computes them, and the conversions to and from
// KeyedVectors.
#include "io/fasttext_bin.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include "core/atomic_file.h"
#include "core/finite.h"
#include "core/mapped_file.h"
#include "core/threads.h"
#include "embkit/data_error.h"
#include "embkit/error.h"
#include "io/model_bytes.h"
#include "io/utf8.h"

namespace embkit {

static_assert(std::endian::native == std::endian::little,
              "fastText files hold little-endian numbers; add byte swapping for this target");

namespace {

constexpr int64_t kCentroids = ProductQuantizer::kCentroids;
// The smallest dictionary entry: a one-byte word, its NUL, an int64 count and an int8 type.
constexpr size_t kMinEntryBytes = 1 + 1 + sizeof(int64_t) + sizeof(int8_t);

std::string entry_name(size_t index, std::string_view word) {
  if (word.empty()) return fmt::format("dictionary entry {}", index + 1);
  return fmt::format("dictionary entry {} ('{}')", index + 1, quote_word(word));
}

std::string_view matrix_role(bool input) { return input ? "input matrix" : "output matrix"; }

// Rows the input matrix must have: a row per word, then a row per bucket (or per kept bucket).
int64_t expected_input_rows(int32_t nwords, int64_t prune_size, int32_t bucket) {
  return int64_t{nwords} + (prune_size >= 0 ? prune_size : int64_t{bucket});
}

// Rows the output matrix must have: a row per label (supervised) or per word.
int64_t expected_output_rows(const FastTextArgs& args, int32_t nwords, int32_t nlabels) {
  return args.model == FastTextKind::Supervised ? nlabels : nwords;
}

std::string input_rows_reason(int32_t nwords, int64_t prune_size, int32_t bucket) {
  if (prune_size >= 0) return fmt::format("{} words + {} kept buckets", nwords, prune_size);
  return fmt::format("{} words + {} buckets", nwords, bucket);
}

std::string output_rows_reason(const FastTextArgs& args, int32_t nwords, int32_t nlabels) {
  if (args.model == FastTextKind::Supervised) return fmt::format("one per label, {}", nlabels);
  return fmt::format("one per word, {}", nwords);
}

// What is wrong with the arguments, if anything (shared by the reader and the writer).
std::optional<std::string> args_problem(const FastTextArgs& args) {
  if (args.dim < 1) return fmt::format("dim {} is not positive", args.dim);
  const auto loss = static_cast<int32_t>(args.loss);
  if (loss < 1 || loss > 4) return fmt::format("loss {} is not one of 1 (hs), 2 (ns), 3 (softmax), 4 (ova)", loss);
  const auto model = static_cast<int32_t>(args.model);
  if (model < 1 || model > 3)
    return fmt::format("model {} is not one of 1 (cbow), 2 (skipgram), 3 (supervised)", model);
  if (args.bucket < 0) return fmt::format("bucket {} is negative", args.bucket);
  if (args.minn < 0 || args.maxn < 0)
    return fmt::format("minn {} / maxn {}: negative n-gram lengths", args.minn, args.maxn);
  if (args.maxn > 0 && args.bucket == 0)
    return fmt::format("maxn {} asks for character n-grams but bucket is 0", args.maxn);
  if (args.model == FastTextKind::Supervised && args.word_ngrams > 1 && args.bucket == 0)
    return fmt::format("wordNgrams {} asks for word n-grams but bucket is 0", args.word_ngrams);
  if (!std::isfinite(args.t)) return fmt::format("t {} is not finite", args.t);
  return std::nullopt;
}

// A product quantizer's layout, so that every code byte (0..255) of every sub-quantizer names a
// centroid inside the table and decodes inside a row of `dim` values.
// `norms`: the one-dimensional quantizer of the row norms, else the rows' own.
std::optional<std::string> quantizer_problem(const ProductQuantizer& pq, int64_t expected_dim,
                                             bool norms) {
  if (pq.dim != expected_dim)
    return norms ? fmt::format("has dimension {} but a norm quantizer has dimension 1", pq.dim)
                 : fmt::format("has dimension {} but the matrix has {} columns", pq.dim,
                               expected_dim);
  if (pq.nsubq < 1 || pq.dsub < 1 || pq.lastdsub < 1 || pq.lastdsub > pq.dsub ||
      int64_t{pq.nsubq - 1} * pq.dsub + pq.lastdsub != pq.dim)
    return fmt::format(
        "{} sub-quantizers of {} dimensions (the last of {}) do not tile its {} dimensions, so "
        "codes would reach outside its {}-float centroid table",
        pq.nsubq, pq.dsub, pq.lastdsub, pq.dim, int64_t{pq.dim} * kCentroids);
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Reading

class Cursor {
 public:
  Cursor(std::string_view bytes, const std::string& path) : bytes_(bytes), path_(path) {}

  size_t offset() const { return offset_; }
  size_t remaining() const { return bytes_.size() - offset_; }
  std::string_view rest() const { return bytes_.substr(offset_); }

  FormatError error(size_t at, std::string_view what, std::string_view problem) const {
    return FormatError(path_, fmt::format("{} at byte {}: {}", what, at, problem));
  }
  FormatError truncated(std::string_view what, uint64_t needed) const {
    return error(offset_, what,
                 fmt::format("needs {} bytes but only {} remain (truncated file?)", needed,
                             remaining()));
  }
  const char* take(size_t count, std::string_view what) {
    if (count > remaining()) throw truncated(what, count);
    const char* at = bytes_.data() + offset_;
    offset_ += count;
    return at;
  }
  template <typename T>
  T get(std::string_view what) {
    T value;
    std::memcpy(&value, take(sizeof(T), what), sizeof(T));
    return value;
  }
  bool flag(std::string_view what) {
    const size_t at = offset_;
    const auto value = get<uint8_t>(what);
    if (value > 1) throw error(at, what, fmt::format("{} is not a boolean (0 or 1)", value));
    return value == 1;
  }

 private:
  std::string_view bytes_;
  const std::string& path_;
  size_t offset_ = 0;
};

FastTextArgs read_args(Cursor& in) {
  const size_t start = in.offset();
  FastTextArgs args;
  args.dim = in.get<int32_t>("args");
  args.ws = in.get<int32_t>("args");
  args.epoch = in.get<int32_t>("args");
  args.min_count = in.get<int32_t>("args");
  args.neg = in.get<int32_t>("args");
  args.word_ngrams = in.get<int32_t>("args");
  args.loss = static_cast<FastTextLoss>(in.get<int32_t>("args"));
  args.model = static_cast<FastTextKind>(in.get<int32_t>("args"));
  args.bucket = in.get<int32_t>("args");
  args.minn = in.get<int32_t>("args");
  args.maxn = in.get<int32_t>("args");
  args.lr_update_rate = in.get<int32_t>("args");
  args.t = in.get<double>("args");
  if (auto problem = args_problem(args)) throw in.error(start, "args", *problem);
  return args;
}

// Copies the floats at the cursor into `values`, reporting the first non-finite one by its byte.
void read_floats(Cursor& in, float* values, size_t count, std::string_view what) {
  const size_t start = in.offset();
  std::memcpy(values, in.take(count * sizeof(float), what), count * sizeof(float));
  if (size_t bad = first_non_finite(values, count); bad < count)
    throw in.error(start + bad * sizeof(float), what,
                   fmt::format("value {} is not finite ({})", bad + 1, values[bad]));
}

ProductQuantizer read_quantizer(Cursor& in, std::string_view what, int64_t expected_dim,
                                bool norms) {
  const size_t start = in.offset();
  ProductQuantizer pq;
  pq.dim = in.get<int32_t>(what);
  pq.nsubq = in.get<int32_t>(what);
  pq.dsub = in.get<int32_t>(what);
  pq.lastdsub = in.get<int32_t>(what);
  if (auto problem = quantizer_problem(pq, expected_dim, norms))
    throw in.error(start, what, *problem);
  const uint64_t count = uint64_t(pq.dim) * kCentroids;
  if (count > in.remaining() / sizeof(float)) throw in.truncated(what, count * sizeof(float));
  pq.centroids.resize(count);
  read_floats(in, pq.centroids.data(), count, what);
  return pq;
}

// A matrix of `expected_rows` x `dim`, dense or quantized.
FastTextMatrix read_matrix(Cursor& in, bool input, bool quantized, int64_t expected_rows,
                           std::string_view rows_reason, int32_t dim, int threads) {
  const std::string what(matrix_role(input));
  FastTextMatrix matrix;
  matrix.quantized = quantized;
  if (quantized) matrix.qnorm = in.flag(what);
  const size_t shape_at = in.offset();
  const auto rows = in.get<int64_t>(what);
  const auto cols = in.get<int64_t>(what);
  if (cols != dim)
    throw in.error(shape_at, what, fmt::format("has {} columns but args.dim is {}", cols, dim));
  if (rows != expected_rows)
    throw in.error(shape_at, what,
                   fmt::format("has {} rows but needs {} ({})", rows, expected_rows, rows_reason));
  if (!quantized) {
    const size_t row_bytes = size_t(cols) * sizeof(float);
    if (size_t(rows) > in.remaining() / row_bytes)
      throw in.error(in.offset(), what,
                     fmt::format("{} rows of {} bytes need more than the {} bytes that remain "
                                 "(truncated file?)",
                                 rows, row_bytes, in.remaining()));
    const size_t data_at = in.offset();
    const char* data = in.take(size_t(rows) * row_bytes, what);
    matrix.dense = Matrix(size_t(rows), size_t(cols));
    Matrix& dense = matrix.dense;
    int64_t first_bad = rows;
#pragma omp parallel for num_threads(resolve_threads(threads)) schedule(static) \
    reduction(min : first_bad) if (rows * cols > (int64_t{1} << 20))
    for (int64_t r = 0; r < rows; ++r) {
      float* row = dense.mutable_row(size_t(r));
      std::memcpy(row, data + size_t(r) * row_bytes, row_bytes);
      if (!all_finite(row, size_t(cols))) first_bad = std::min(first_bad, r);
    }
    if (first_bad < rows) {
      const float* row = dense.row(size_t(first_bad));
      const size_t bad = first_non_finite(row, size_t(cols));
      throw in.error(data_at + (size_t(first_bad) * size_t(cols) + bad) * sizeof(float), what,
                     fmt::format("row {} value {} is not finite ({})", first_bad + 1, bad + 1,
                                 row[bad]));
    }
    return matrix;
  }
  matrix.rows = rows;
  matrix.cols = cols;
  const size_t codesize_at = in.offset();
  const auto codesize = in.get<int32_t>(what);
  if (codesize < 0)
    throw in.error(codesize_at, what, fmt::format("code size {} is negative", codesize));
  const char* codes = in.take(size_t(codesize), what);
  matrix.codes.assign(codes, codes + codesize);
  matrix.pq = read_quantizer(in, what + " quantizer", cols, false);
  // rows <= 2^32 and 1 <= nsubq < 2^31: compare without forming the product.
  const int64_t nsubq = matrix.pq.nsubq;
  if (rows == 0 ? codesize != 0 : codesize % rows != 0 || codesize / rows != nsubq)
    throw in.error(codesize_at, what,
                   fmt::format("code size {} is not {} rows x {} sub-quantizers", codesize, rows,
                               nsubq));
  if (matrix.qnorm) {
    const char* norms = in.take(size_t(rows), what + " norm codes");
    matrix.norm_codes.assign(norms, norms + rows);
    matrix.norm_pq = read_quantizer(in, what + " norm quantizer", 1, true);
  }
  return matrix;
}

}  // namespace

FastTextModel parse_fasttext_model(std::string_view bytes, const std::string& path) {
  if (bytes.empty()) throw FormatError(path, "file is empty");
  Cursor in(bytes, path);
  if (bytes.size() < sizeof(int32_t) || !looks_like_fasttext_model(bytes.data(), bytes.size())) {
    uint32_t magic = 0;
    std::memcpy(&magic, bytes.data(), std::min(bytes.size(), sizeof magic));
    throw FormatError(path, fmt::format("not a fastText model (magic number 0x{:08x} at byte 0, "
                                        "expected 0x{:08x})",
                                        magic, uint32_t(kFastTextMagic)));
  }
  in.get<int32_t>("magic number");
  FastTextModel model;
  const size_t version_at = in.offset();
  model.version = in.get<int32_t>("format version");
  if (model.version < 11 || model.version > kFastTextVersion)
    throw in.error(version_at, "format version",
                   fmt::format("{} is not supported (embkit reads fastText model versions 11 and "
                               "12)",
                               model.version));
  model.args = read_args(in);
  // Version 11 supervised models predate character n-grams in supervised training.
  if (model.version == 11 && model.args.model == FastTextKind::Supervised) model.args.maxn = 0;
  const FastTextArgs& args = model.args;

  const size_t dictionary_at = in.offset();
  const auto size = in.get<int32_t>("dictionary");
  model.nwords = in.get<int32_t>("dictionary");
  model.nlabels = in.get<int32_t>("dictionary");
  model.ntokens = in.get<int64_t>("dictionary");
  model.prune_size = in.get<int64_t>("dictionary");
  if (size < 0 || model.nwords < 0 || model.nlabels < 0)
    throw in.error(dictionary_at, "dictionary",
                   fmt::format("negative size {}, nwords {} or nlabels {}", size, model.nwords,
                               model.nlabels));
  if (int64_t{model.nwords} + model.nlabels != size)
    throw in.error(dictionary_at, "dictionary",
                   fmt::format("nwords {} + nlabels {} is not its size {}", model.nwords,
                               model.nlabels, size));
  if (model.ntokens < 0)
    throw in.error(dictionary_at, "dictionary",
                   fmt::format("token count {} is negative", model.ntokens));
  if (model.prune_size < -1)
    throw in.error(dictionary_at, "dictionary",
                   fmt::format("pruned bucket count {} is below -1 (never pruned)",
                               model.prune_size));
  if (size_t(size) > in.remaining() / kMinEntryBytes)
    throw in.error(in.offset(), "dictionary",
                   fmt::format("{} entries need at least {} bytes but only {} remain (truncated "
                               "file?)",
                               size, uint64_t(size) * kMinEntryBytes, in.remaining()));
  model.entries.reserve(size_t(size));
  std::unordered_map<std::string_view, uint32_t> seen;
  seen.reserve(size_t(size));
  for (int32_t i = 0; i < size; ++i) {
    const size_t at = in.offset();
    std::string_view rest = in.rest();
    const void* nul = std::memchr(rest.data(), 0, rest.size());
    if (nul == nullptr)
      throw in.error(at, entry_name(size_t(i), {}),
                     "the word has no terminating NUL byte before the end of the file "
                     "(truncated file?)");
    std::string_view word = rest.substr(0, size_t(static_cast<const char*>(nul) - rest.data()));
    if (word.empty()) throw in.error(at, entry_name(size_t(i), {}), "empty word");
    in.take(word.size() + 1, "dictionary");
    const std::string name = in.remaining() < 9 ? entry_name(size_t(i), word) : std::string();
    if (in.remaining() < sizeof(int64_t) + 1) throw in.truncated(name, sizeof(int64_t) + 1);
    FastTextEntry entry;
    entry.count = in.get<int64_t>("dictionary");
    const auto type = in.get<uint8_t>("dictionary");
    if (entry.count < 0)
      throw in.error(at, entry_name(size_t(i), word), fmt::format("count {} is negative", entry.count));
    if (type > 1)
      throw in.error(at, entry_name(size_t(i), word),
                     fmt::format("type {} is neither 0 (word) nor 1 (label)", type));
    entry.type = static_cast<FastTextEntryType>(type);
    const bool should_be_label = i >= model.nwords;
    if ((entry.type == FastTextEntryType::Label) != should_be_label)
      throw in.error(at, entry_name(size_t(i), word),
                     fmt::format("is a {} but the dictionary declares {} words followed by {} "
                                 "labels",
                                 should_be_label ? "word" : "label", model.nwords, model.nlabels));
    auto [first, inserted] = seen.emplace(word, uint32_t(i));
    if (!inserted)
      throw in.error(at, entry_name(size_t(i), word),
                     fmt::format("duplicate word (first was entry {})", first->second + 1));
    entry.word.assign(word);
    model.entries.push_back(std::move(entry));
  }
  seen = {};

  if (model.prune_size > 0) {
    const size_t pairs_at = in.offset();
    if (uint64_t(model.prune_size) > in.remaining() / 8)
      throw in.error(pairs_at, "pruned buckets",
                     fmt::format("{} (bucket, row) pairs need {} bytes but only {} remain "
                                 "(truncated file?)",
                                 model.prune_size, uint64_t(model.prune_size) * 8, in.remaining()));
    model.prune.reserve(size_t(model.prune_size));
    for (int64_t k = 0; k < model.prune_size; ++k) {
      const size_t at = in.offset();
      const auto bucket = in.get<int32_t>("pruned buckets");
      const auto row = in.get<int32_t>("pruned buckets");
      if (bucket < 0 || bucket >= args.bucket)
        throw in.error(at, "pruned buckets",
                       fmt::format("pair {}: bucket {} is outside [0, {})", k + 1, bucket,
                                   args.bucket));
      if (row < 0 || row >= model.prune_size)
        throw in.error(at, "pruned buckets",
                       fmt::format("pair {}: row {} is outside the {} kept rows", k + 1, row,
                                   model.prune_size));
      if (!model.prune.emplace(bucket, row).second)
        throw in.error(at, "pruned buckets",
                       fmt::format("pair {}: bucket {} appears twice", k + 1, bucket));
    }
  }

  const size_t quant_at = in.offset();
  const bool quantized_input = in.flag("input quantization flag");
  if (!quantized_input && model.prune_size >= 0)
    throw in.error(quant_at, "input quantization flag",
                   fmt::format("the dictionary is pruned ({} kept buckets) but the input matrix "
                               "is not quantized (fastText refuses such files)",
                               model.prune_size));
  model.input = read_matrix(in, true, quantized_input,
                            expected_input_rows(model.nwords, model.prune_size, args.bucket),
                            input_rows_reason(model.nwords, model.prune_size, args.bucket),
                            args.dim, 0);
  const size_t qout_at = in.offset();
  const bool quantized_output = in.flag("output quantization flag");
  if (quantized_output && !quantized_input)
    throw in.error(qout_at, "output quantization flag",
                   "the output matrix is quantized but the input matrix is not");
  model.output = read_matrix(in, false, quantized_output,
                             expected_output_rows(args, model.nwords, model.nlabels),
                             output_rows_reason(args, model.nwords, model.nlabels), args.dim, 0);
  if (in.remaining() != 0)
    throw in.error(in.offset(), "end of model",
                   fmt::format("{} more bytes after the output matrix (trailing data)",
                               in.remaining()));
  return model;
}

FastTextModel read_fasttext_model(const std::string& path) {
  ModelBytes bytes = read_model_bytes(path, MappedFile::Access::Sequential);
  return parse_fasttext_model(bytes.bytes, path);
}

bool looks_like_fasttext_model(const void* bytes, size_t size) {
  if (size < sizeof(int32_t)) return false;
  int32_t magic;
  std::memcpy(&magic, bytes, sizeof magic);
  return magic == kFastTextMagic;
}

// ---------------------------------------------------------------------------------------------
// Computing with a model

SubwordSettings FastTextArgs::subwords() const {
  SubwordSettings settings;
  settings.minn = uint32_t(std::max(minn, 0));
  settings.maxn = uint32_t(std::max(maxn, 0));
  settings.bucket = uint32_t(std::max(bucket, 0));
  return settings;
}

const float* ProductQuantizer::centroid(int32_t m, uint8_t code) const {
  if (m == nsubq - 1)
    return centroids.data() + size_t(m) * kCentroids * size_t(dsub) + size_t(code) * size_t(lastdsub);
  return centroids.data() + (size_t(m) * kCentroids + code) * size_t(dsub);
}

void ProductQuantizer::add_code(const uint8_t* codes, size_t row, float scale, float* out) const {
  const uint8_t* code = codes + row * size_t(nsubq);
  for (int32_t m = 0; m < nsubq; ++m) {
    const float* c = centroid(m, code[m]);
    const int32_t length = m == nsubq - 1 ? lastdsub : dsub;
    float* target = out + size_t(m) * size_t(dsub);
    for (int32_t j = 0; j < length; ++j) target[j] += scale * c[j];
  }
}

void FastTextMatrix::add_row(size_t r, float scale, float* out) const {
  if (!quantized) {
    const float* row = dense.row(r);
    for (size_t j = 0; j < dense.cols(); ++j) out[j] += scale * row[j];
    return;
  }
  assert(r < size_t(rows));
  float norm = 1.0f;
  if (qnorm) norm = norm_pq.centroid(0, norm_codes[r])[0];
  pq.add_code(codes.data(), r, scale * norm, out);
}

namespace {

void append_ngram_ids(const FastTextModel& model, std::string_view word, std::vector<uint32_t>& out) {
  append_subword_ids(word, model.args.subwords(), uint32_t(model.nwords), out,
                     model.prune_size >= 0 ? &model.prune : nullptr);
}

// fastText's getWordVector over given ids: rows summed in order, then scaled by 1 / count.
void mean_of_rows(const FastTextMatrix& input, const std::vector<uint32_t>& ids, size_t dim,
                  float* out) {
  std::fill(out, out + dim, 0.0f);
  for (uint32_t id : ids) input.add_row(id, 1.0f, out);
  if (ids.empty()) return;
  const auto scale = static_cast<float>(1.0 / static_cast<double>(ids.size()));
  for (size_t j = 0; j < dim; ++j) out[j] *= scale;
}

}  // namespace

std::vector<uint32_t> FastTextModel::subword_ids(uint32_t id) const {
  if (id >= entries.size())
    throw UsageError(fmt::format("entry {} is not in the dictionary of {} entries", id,
                                 entries.size()));
  std::vector<uint32_t> ids;
  if (id < uint32_t(nwords)) ids.push_back(id);
  append_ngram_ids(*this, entries[id].word, ids);
  return ids;
}

std::vector<uint32_t> FastTextModel::subword_ids(std::string_view word) const {
  const size_t words = std::min(entries.size(), size_t(std::max(nwords, 0)));
  for (size_t id = 0; id < words; ++id)
    if (entries[id].word == word) return subword_ids(uint32_t(id));
  std::vector<uint32_t> ids;
  append_ngram_ids(*this, word, ids);
  return ids;
}

void FastTextModel::word_vector(std::string_view word, float* out) const {
  mean_of_rows(input, subword_ids(word), size_t(args.dim), out);
}

FastTextSummary fasttext_summary(const FastTextModel& model) {
  FastTextSummary summary;
  summary.version = model.version;
  summary.args = model.args;
  summary.nwords = model.nwords;
  summary.nlabels = model.nlabels;
  summary.ntokens = model.ntokens;
  summary.prune_size = model.prune_size;
  summary.quantized_input = model.input.quantized;
  summary.quantized_output = model.output.quantized;
  summary.qnorm = model.input.quantized && model.input.qnorm;
  return summary;
}

std::string_view fasttext_loss_name(FastTextLoss loss) {
  switch (loss) {
    case FastTextLoss::HierarchicalSoftmax:
      return "hs";
    case FastTextLoss::NegativeSampling:
      return "ns";
    case FastTextLoss::Softmax:
      return "softmax";
    case FastTextLoss::OneVsAll:
      return "ova";
  }
  return "unknown";
}

std::string_view fasttext_kind_name(FastTextKind kind) {
  switch (kind) {
    case FastTextKind::Cbow:
      return "cbow";
    case FastTextKind::SkipGram:
      return "skipgram";
    case FastTextKind::Supervised:
      return "supervised";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Checking a model built in memory (before writing it or computing with it)

namespace {

std::optional<std::string> matrix_problem(const FastTextMatrix& matrix, bool input,
                                          int64_t expected_rows, std::string_view rows_reason,
                                          int32_t dim) {
  const std::string_view what = matrix_role(input);
  const auto rows = int64_t(matrix.row_count());
  const auto cols = int64_t(matrix.col_count());
  if (cols != dim) return fmt::format("the {} has {} columns but args.dim is {}", what, cols, dim);
  if (rows != expected_rows)
    return fmt::format("the {} has {} rows but needs {} ({})", what, rows, expected_rows,
                       rows_reason);
  if (!matrix.quantized) return std::nullopt;
  if (auto problem = quantizer_problem(matrix.pq, cols, false))
    return fmt::format("the {} quantizer: {}", what, *problem);
  if (matrix.pq.centroids.size() != size_t(matrix.pq.dim) * kCentroids)
    return fmt::format("the {} quantizer holds {} centroid values, not {}", what,
                       matrix.pq.centroids.size(), size_t(matrix.pq.dim) * kCentroids);
  if (uint64_t(matrix.codes.size()) != uint64_t(rows) * uint64_t(matrix.pq.nsubq) ||
      matrix.codes.size() > size_t(std::numeric_limits<int32_t>::max()))
    return fmt::format("the {} has {} code bytes, not {} rows x {} sub-quantizers (at most "
                       "2^31 - 1)",
                       what, matrix.codes.size(), rows, matrix.pq.nsubq);
  if (!matrix.qnorm) return std::nullopt;
  if (matrix.norm_codes.size() != size_t(rows))
    return fmt::format("the {} has {} norm codes for {} rows", what, matrix.norm_codes.size(), rows);
  if (auto problem = quantizer_problem(matrix.norm_pq, 1, true))
    return fmt::format("the {} norm quantizer: {}", what, *problem);
  if (matrix.norm_pq.centroids.size() != size_t(kCentroids))
    return fmt::format("the {} norm quantizer holds {} centroid values, not {}", what,
                       matrix.norm_pq.centroids.size(), kCentroids);
  return std::nullopt;
}

// Everything the reader checks except the values (finite) and the uniqueness of the words.
std::optional<std::string> structure_problem(const FastTextModel& model) {
  const FastTextArgs& args = model.args;
  if (auto problem = args_problem(args)) return "args: " + *problem;
  if (model.nwords < 0 || model.nlabels < 0 ||
      int64_t{model.nwords} + model.nlabels != int64_t(model.entries.size()))
    return fmt::format("nwords {} + nlabels {} is not the {} dictionary entries", model.nwords,
                       model.nlabels, model.entries.size());
  if (model.ntokens < 0) return fmt::format("token count {} is negative", model.ntokens);
  for (size_t i = 0; i < model.entries.size(); ++i) {
    const FastTextEntry& entry = model.entries[i];
    if (entry.word.empty()) return entry_name(i, {}) + ": empty word";
    if (entry.word.find('\0') != std::string::npos)
      return entry_name(i, entry.word) + ": the word holds a NUL byte";
    if (entry.count < 0) return entry_name(i, entry.word) + ": negative count";
    const bool should_be_label = i >= size_t(model.nwords);
    if ((entry.type == FastTextEntryType::Label) != should_be_label ||
        (entry.type != FastTextEntryType::Label && entry.type != FastTextEntryType::Word))
      return fmt::format("{}: not a {} (words come first, then labels)", entry_name(i, entry.word),
                         should_be_label ? "label" : "word");
  }
  if (model.prune_size < -1 || (model.prune_size == -1 && !model.prune.empty()) ||
      (model.prune_size >= 0 && size_t(model.prune_size) != model.prune.size()))
    return fmt::format("prune_size {} does not match the prune map's {} buckets (-1: never "
                       "pruned)",
                       model.prune_size, model.prune.size());
  for (const auto& [bucket, row] : model.prune)
    if (bucket < 0 || bucket >= args.bucket || row < 0 || row >= model.prune_size)
      return fmt::format("pruned bucket {} -> row {} is outside [0, {}) -> [0, {})", bucket, row,
                         args.bucket, model.prune_size);
  if (model.prune_size >= 0 && !model.input.quantized)
    return "a pruned dictionary needs a quantized input matrix (fastText refuses dense pruned "
           "models)";
  if (model.output.quantized && !model.input.quantized)
    return std::string("the output matrix is quantized but the input matrix is not");
  if (auto problem = matrix_problem(model.input, true,
                                    expected_input_rows(model.nwords, model.prune_size, args.bucket),
                                    input_rows_reason(model.nwords, model.prune_size, args.bucket),
                                    args.dim))
    return problem;
  return matrix_problem(model.output, false, expected_output_rows(args, model.nwords, model.nlabels),
                        output_rows_reason(args, model.nwords, model.nlabels), args.dim);
}

std::optional<std::string> duplicate_problem(const FastTextModel& model) {
  std::unordered_map<std::string_view, size_t> seen;
  seen.reserve(model.entries.size());
  for (size_t i = 0; i < model.entries.size(); ++i) {
    auto [first, inserted] = seen.emplace(model.entries[i].word, i);
    if (!inserted)
      return fmt::format("{}: duplicate word (first was entry {})",
                         entry_name(i, model.entries[i].word), first->second + 1);
  }
  return std::nullopt;
}

std::optional<std::string> values_problem(const FastTextMatrix& matrix, std::string_view what) {
  if (!matrix.quantized) {
    for (size_t r = 0; r < matrix.dense.rows(); ++r)
      if (size_t bad = first_non_finite(matrix.dense.row(r), matrix.dense.cols());
          bad < matrix.dense.cols())
        return fmt::format("{} row {} value {} is not finite", what, r + 1, bad + 1);
    return std::nullopt;
  }
  if (!all_finite(matrix.pq.centroids.data(), matrix.pq.centroids.size()))
    return fmt::format("{} quantizer has a centroid value that is not finite", what);
  if (matrix.qnorm && !all_finite(matrix.norm_pq.centroids.data(), matrix.norm_pq.centroids.size()))
    return fmt::format("{} norm quantizer has a centroid value that is not finite", what);
  return std::nullopt;
}

void check_for_use(const FastTextModel& model, std::string_view context) {
  if (auto problem = structure_problem(model))
    throw UsageError(fmt::format("{}: {}", context, *problem));
  if (auto problem = duplicate_problem(model))
    throw UsageError(fmt::format("{}: {}", context, *problem));
}

// ---------------------------------------------------------------------------------------------
// Writing

class Writer {
 public:
  explicit Writer(AtomicFile& file) : file_(file) {}
  template <typename T>
  void put(T value) {
    file_.write(&value, sizeof value);
  }
  void bytes(const void* data, size_t size) { file_.write(data, size); }

 private:
  AtomicFile& file_;
};

void write_quantizer(Writer& out, const ProductQuantizer& pq) {
  out.put(pq.dim);
  out.put(pq.nsubq);
  out.put(pq.dsub);
  out.put(pq.lastdsub);
  out.bytes(pq.centroids.data(), pq.centroids.size() * sizeof(float));
}

void write_matrix(Writer& out, const FastTextMatrix& matrix) {
  if (!matrix.quantized) {
    const Matrix& dense = matrix.dense;
    out.put(int64_t(dense.rows()));
    out.put(int64_t(dense.cols()));
    for (size_t r = 0; r < dense.rows(); ++r) out.bytes(dense.row(r), dense.cols() * sizeof(float));
    return;
  }
  out.put(uint8_t(matrix.qnorm ? 1 : 0));
  out.put(int64_t(matrix.rows));
  out.put(int64_t(matrix.cols));
  out.put(int32_t(matrix.codes.size()));
  out.bytes(matrix.codes.data(), matrix.codes.size());
  write_quantizer(out, matrix.pq);
  if (matrix.qnorm) {
    out.bytes(matrix.norm_codes.data(), matrix.norm_codes.size());
    write_quantizer(out, matrix.norm_pq);
  }
}

}  // namespace

void write_fasttext_model(const FastTextModel& model, const std::string& path) {
  const std::string context = fmt::format("cannot write '{}'", path);
  check_for_use(model, context);
  if (auto problem = values_problem(model.input, "the input matrix"))
    throw DataError(fmt::format("{}: {}", context, *problem));
  if (auto problem = values_problem(model.output, "the output matrix"))
    throw DataError(fmt::format("{}: {}", context, *problem));

  AtomicFile file(path);
  Writer out(file);
  const FastTextArgs& args = model.args;
  out.put(kFastTextMagic);
  out.put(kFastTextVersion);
  for (int32_t value : {args.dim, args.ws, args.epoch, args.min_count, args.neg, args.word_ngrams,
                        static_cast<int32_t>(args.loss), static_cast<int32_t>(args.model),
                        args.bucket, args.minn, args.maxn, args.lr_update_rate})
    out.put(value);
  out.put(args.t);
  out.put(int32_t(model.entries.size()));
  out.put(model.nwords);
  out.put(model.nlabels);
  out.put(model.ntokens);
  out.put(model.prune_size);
  for (const FastTextEntry& entry : model.entries) {
    out.bytes(entry.word.data(), entry.word.size() + 1);  // with its terminating NUL
    out.put(entry.count);
    out.put(static_cast<uint8_t>(entry.type));
  }
  // The map has no order of its own: pairs by kept row, so equal models give equal files.
  std::vector<std::pair<int32_t, int32_t>> pairs;
  pairs.reserve(model.prune.size());
  for (const auto& [bucket, row] : model.prune) pairs.emplace_back(row, bucket);
  std::sort(pairs.begin(), pairs.end());
  for (const auto& [row, bucket] : pairs) {
    out.put(bucket);
    out.put(row);
  }
  out.put(uint8_t(model.input.quantized ? 1 : 0));
  write_matrix(out, model.input);
  out.put(uint8_t(model.output.quantized ? 1 : 0));
  write_matrix(out, model.output);
  file.commit();
}

// ---------------------------------------------------------------------------------------------
// KeyedVectors

namespace {

// The error for a model that cannot become KeyedVectors: a FormatError naming the file when it
// came from one, else a DataError.
[[noreturn]] void fail_conversion(const std::string* path, const std::string& message) {
  if (path != nullptr) throw FormatError(*path, message);
  throw DataError("fastText model: " + message);
}

void check_decoded_size(size_t rows, size_t dim, std::string_view what, const std::string* path) {
  const size_t stride = Matrix::padded_stride(dim);
  const size_t limit = MappedFile::max_stream_bytes();
  if (stride != 0 && rows > limit / sizeof(float) / stride)
    fail_conversion(path, fmt::format("the {} need {:.1f} GB as floats, more than half the memory "
                                      "({:.1f} GB)",
                                      what, double(rows) * double(stride) * 4 / 1e9,
                                      double(limit) / 1e9));
}

// KeyedVectors of the first `words` words (limit 0: all), each row fastText's word vector.
KeyedVectors word_vectors_of(const FastTextModel& model, size_t limit, int threads,
                             const std::string* path) {
  const size_t dim = size_t(model.args.dim);
  const size_t nwords = size_t(model.nwords);
  const size_t words = limit > 0 ? std::min(limit, nwords) : nwords;
  check_decoded_size(words, dim, "word vectors", path);
  Vocab vocab;
  size_t word_bytes = 0;
  for (size_t i = 0; i < words; ++i) word_bytes += model.entries[i].word.size();
  vocab.reserve(words, word_bytes);
  for (size_t i = 0; i < words; ++i) {
    const FastTextEntry& entry = model.entries[i];
    if (!vocab.add(entry.word, uint64_t(entry.count)))
      fail_conversion(path, fmt::format("{}: duplicate word", entry_name(i, entry.word)));
  }
  Matrix vectors(words, dim);
  int64_t first_bad = int64_t(words);
#pragma omp parallel num_threads(resolve_threads(threads)) if (words * dim > (size_t{1} << 18))
  {
    std::vector<uint32_t> ids;
#pragma omp for schedule(dynamic, 256) reduction(min : first_bad)
    for (int64_t i = 0; i < int64_t(words); ++i) {
      ids.clear();
      ids.push_back(uint32_t(i));
      append_ngram_ids(model, model.entries[size_t(i)].word, ids);
      float* row = vectors.mutable_row(size_t(i));
      mean_of_rows(model.input, ids, dim, row);
      if (!all_finite(row, dim)) first_bad = std::min(first_bad, i);
    }
  }
  if (first_bad < int64_t(words))
    fail_conversion(path,
                    fmt::format("the word vector of {} is not finite (its rows overflow)",
                                entry_name(size_t(first_bad), model.entries[size_t(first_bad)].word)));
  return KeyedVectors(std::move(vocab), std::move(vectors));
}

// The n-gram rows (after the word rows) of a quantized or borrowed-from model, decoded or copied.
Matrix ngram_rows_of(const FastTextModel& model, int threads, const std::string* path) {
  const size_t dim = size_t(model.args.dim);
  const size_t nwords = size_t(model.nwords);
  const size_t rows = model.input.row_count() - nwords;
  check_decoded_size(rows, dim, "n-gram rows", path);
  Matrix table(rows, dim);
#pragma omp parallel for num_threads(resolve_threads(threads)) schedule(static) \
    if (rows * dim > (size_t{1} << 18))
  for (int64_t r = 0; r < int64_t(rows); ++r)
    model.input.add_row(nwords + size_t(r), 1.0f, table.mutable_row(size_t(r)));
  if (model.input.quantized)
    for (size_t r = 0; r < rows; ++r)
      if (!all_finite(table.row(r), dim))
        fail_conversion(path, fmt::format("decoded n-gram row {} is not finite (its norm and "
                                          "centroids overflow)",
                                          r + 1));
  return table;
}

// The dense rows after the word rows, as a view that keeps the whole input matrix alive.
Matrix take_ngram_rows(FastTextModel& model) {
  const size_t nwords = size_t(model.nwords);
  auto input = std::make_shared<Matrix>(std::move(model.input.dense));
  const size_t rows = input->rows() - nwords;
  const float* first = rows == 0 ? input->data() : input->row(nwords);
  return Matrix::borrow(first, rows, input->cols(), input->stride(),
                        std::shared_ptr<const void>(input));
}

void attach_table(KeyedVectors& kv, const FastTextModel& model, Matrix rows) {
  auto table = std::make_shared<SubwordTable>();
  table->settings = model.args.subwords();
  table->rows = std::move(rows);
  if (model.prune_size >= 0) table->prune = std::make_shared<const PruneMap>(model.prune);
  kv.set_subwords(std::move(table));
}

KeyedVectors keyed_vectors_of(FastTextModel&& model, size_t limit, int threads,
                              const std::string* path) {
  KeyedVectors kv = word_vectors_of(model, limit, threads, path);
  if (!model.args.subwords().enabled()) return kv;
  // The word rows are computed: a dense input matrix can now be handed over to the table.
  Matrix rows = model.input.quantized ? ngram_rows_of(model, threads, path) : take_ngram_rows(model);
  attach_table(kv, model, std::move(rows));
  return kv;
}

}  // namespace

KeyedVectors fasttext_keyed_vectors(const FastTextModel& model) {
  check_for_use(model, "fastText model");
  KeyedVectors kv = word_vectors_of(model, 0, 0, nullptr);
  if (model.args.subwords().enabled()) attach_table(kv, model, ngram_rows_of(model, 0, nullptr));
  return kv;
}

KeyedVectors fasttext_keyed_vectors(FastTextModel&& model) {
  check_for_use(model, "fastText model");
  return keyed_vectors_of(std::move(model), 0, 0, nullptr);
}

namespace {

FastTextModel make_model(const KeyedVectors& vectors, const Matrix* output,
                         const FastTextArgs& args, const std::string& context) {
  auto usage = [&](const std::string& problem) { return UsageError(context + ": " + problem); };
  if (args.model == FastTextKind::Supervised)
    throw usage("args.model is supervised, but only unsupervised (cbow, skipgram) models are "
                "built from word vectors");
  if (auto problem = args_problem(args)) throw usage("args: " + *problem);
  if (size_t(args.dim) != vectors.dim())
    throw usage(fmt::format("args.dim is {} but the vectors have dimension {}", args.dim,
                            vectors.dim()));
  const size_t nwords = vectors.size();
  if (nwords > size_t(std::numeric_limits<int32_t>::max()))
    throw usage(fmt::format("{} words are more than a fastText dictionary holds", nwords));
  const size_t dim = vectors.dim();
  const SubwordSettings settings = args.subwords();
  const SubwordTable* table = vectors.subwords();
  if (settings.enabled()) {
    if (table == nullptr)
      throw usage(fmt::format("args ask for character n-grams (minn {}, maxn {}) but the vectors "
                              "have no subword table",
                              args.minn, args.maxn));
    const SubwordSettings& has = table->settings;
    if (has.minn != settings.minn || has.maxn != settings.maxn || has.bucket != settings.bucket)
      throw usage(fmt::format("the subword table has minn {}, maxn {}, bucket {} but args say {}, "
                              "{}, {}",
                              has.minn, has.maxn, has.bucket, args.minn, args.maxn, args.bucket));
    if (table->prune != nullptr)
      throw usage("the subword table is pruned (a quantized .ftz model's), and fastText reads "
                  "pruned n-gram tables only in quantized models, which embkit does not write");
    if (table->rows.rows() != size_t(args.bucket))
      throw usage(fmt::format("the subword table has {} rows for {} buckets", table->rows.rows(),
                              args.bucket));
  }
  if (output != nullptr && (output->rows() != nwords || output->cols() != dim))
    throw usage(fmt::format("the output matrix is {} x {}, not {} x {} (one row per word)",
                            output->rows(), output->cols(), nwords, dim));

  FastTextModel model;
  model.version = kFastTextVersion;
  model.args = args;
  model.nwords = int32_t(nwords);
  model.nlabels = 0;
  model.entries.reserve(nwords);
  const Vocab& vocab = vectors.vocab();
  for (size_t i = 0; i < nwords; ++i) {
    std::string_view word = vocab.word(i);
    if (word.empty() || word.find('\0') != std::string_view::npos)
      throw DataError(fmt::format("{}: word {} ('{}') is empty or holds a NUL byte, which a "
                                  "fastText dictionary cannot hold",
                                  context, i + 1, quote_word(word)));
    if (size_t bad = first_non_finite(vectors.vectors().row(i), dim); bad < dim)
      throw DataError(fmt::format("{}: value {} of word '{}' is not finite", context, bad + 1,
                                  quote_word(word)));
    const uint64_t count = vocab.count(i);
    FastTextEntry entry;
    entry.word.assign(word);
    entry.count = count == 0 ? 1 : int64_t(std::min<uint64_t>(count, uint64_t(INT64_MAX)));
    entry.type = FastTextEntryType::Word;
    model.ntokens = entry.count > INT64_MAX - model.ntokens ? INT64_MAX : model.ntokens + entry.count;
    model.entries.push_back(std::move(entry));
  }

  const size_t ngram_rows = size_t(args.bucket);
  model.input.dense = Matrix(nwords + ngram_rows, dim);
  Matrix& input = model.input.dense;
  if (settings.enabled())
    for (size_t r = 0; r < ngram_rows; ++r)
      std::memcpy(input.mutable_row(nwords + r), table->rows.row(r), dim * sizeof(float));
  // Each word's own row: the composed vector times the row count, less its n-gram rows.
  int64_t first_bad = int64_t(nwords);
#pragma omp parallel if (nwords * dim > (size_t{1} << 16))
  {
    std::vector<uint32_t> ids;
    std::vector<double> sum(dim);
#pragma omp for schedule(dynamic, 256) reduction(min : first_bad)
    for (int64_t i = 0; i < int64_t(nwords); ++i) {
      ids.clear();
      append_ngram_ids(model, model.entries[size_t(i)].word, ids);
      const float* composed = vectors.vectors().row(size_t(i));
      const double n = double(ids.size() + 1);
      for (size_t j = 0; j < dim; ++j) sum[j] = n * double(composed[j]);
      for (uint32_t id : ids) {
        const float* ngram = input.row(id);
        for (size_t j = 0; j < dim; ++j) sum[j] -= double(ngram[j]);
      }
      float* own = input.mutable_row(size_t(i));
      for (size_t j = 0; j < dim; ++j) own[j] = static_cast<float>(sum[j]);
      if (!all_finite(own, dim)) first_bad = std::min(first_bad, i);
    }
  }
  if (first_bad < int64_t(nwords))
    throw DataError(fmt::format("{}: the own row of word '{}' overflows float", context,
                                quote_word(vocab.word(size_t(first_bad)))));
  model.output.dense = output != nullptr ? output->clone() : Matrix(nwords, dim);
  if (auto problem = values_problem(model.output, "the output matrix"))
    throw DataError(fmt::format("{}: {}", context, *problem));
  return model;
}

}  // namespace

FastTextModel make_fasttext_model(const KeyedVectors& vectors, const Matrix* output,
                                  const FastTextArgs& args) {
  return make_model(vectors, output, args, "cannot build a fastText model");
}

void save_fasttext(const KeyedVectors& vectors, const std::string& path) {
  FastTextArgs args;
  args.dim = int32_t(std::min<size_t>(vectors.dim(), size_t(std::numeric_limits<int32_t>::max())));
  args.minn = args.maxn = args.bucket = 0;
  if (const SubwordTable* table = vectors.subwords(); table != nullptr && table->settings.enabled()) {
    const SubwordSettings& settings = table->settings;
    constexpr uint32_t kMax = uint32_t(std::numeric_limits<int32_t>::max());
    if (settings.minn > kMax || settings.maxn > kMax || settings.bucket > kMax)
      throw UsageError(fmt::format("cannot write '{}': subword settings minn {}, maxn {}, bucket "
                                   "{} do not fit fastText's 32-bit fields",
                                   path, settings.minn, settings.maxn, settings.bucket));
    args.minn = int32_t(settings.minn);
    args.maxn = int32_t(settings.maxn);
    args.bucket = int32_t(settings.bucket);
  }
  FastTextModel model = make_model(vectors, nullptr, args, fmt::format("cannot write '{}'", path));
  write_fasttext_model(model, path);
}

KeyedVectors load_fasttext(std::string_view bytes, const std::string& path,
                           const LoadOptions& options, FastTextSummary* summary) {
  FastTextModel model = parse_fasttext_model(bytes, path);
  if (summary != nullptr) *summary = fasttext_summary(model);
  return keyed_vectors_of(std::move(model), options.limit, options.threads, &path);
}

}  // namespace embkit
