// Documents as vectors: the collection (word ids per document, counts, document frequencies), the
// vocabulary choice of CountVectorizer, sparse rows built in fixed blocks of documents (so the
// result does not depend on the thread count), and dense averages of word vectors with SIF's
// principal-component removal.
#include "embkit/documents.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>
#include <thread>

#include "core/atomic_file.h"
#include "core/mapped_file.h"
#include "core/threads.h"
#include "embkit/error.h"
#include "io/utf8.h"
#include "text/chunk_prefetcher.h"
#include "text/decompress_stream.h"
#include "text/tokenizer.h"
#include "text/word_counter.h"

namespace embkit {

// --- the collection ----------------------------------------------------------------------------

struct DocumentCollection::Impl {
  struct WordDocuments {
    uint64_t last = 0;       // 1 + the last document that contains the word
    uint64_t frequency = 0;  // documents that contain it
  };

  std::string name;
  WordCounter counter;
  std::vector<WordDocuments> word_documents;  // per word id
  std::vector<uint32_t> ids;
  std::vector<uint64_t> ends;  // document i is ids[ends[i - 1], ends[i])

  // Adds a token to the open document (number ends.size()).
  void add_token(std::string_view token) {
    const uint32_t id = counter.add(token, name);
    if (id == word_documents.size()) word_documents.emplace_back();
    WordDocuments& documents = word_documents[id];
    if (documents.last != ends.size() + 1) {
      documents.last = ends.size() + 1;
      ++documents.frequency;
    }
    ids.push_back(id);
  }
  void close_document() { ends.push_back(ids.size()); }
};

DocumentCollection::DocumentCollection(std::string name) : impl_(std::make_unique<Impl>()) {
  impl_->name = name.empty() ? "documents" : std::move(name);
}
DocumentCollection::~DocumentCollection() = default;
DocumentCollection::DocumentCollection(DocumentCollection&&) noexcept = default;
DocumentCollection& DocumentCollection::operator=(DocumentCollection&&) noexcept = default;

void DocumentCollection::add(std::span<const std::string_view> tokens) {
  for (std::string_view token : tokens) impl_->add_token(token);
  impl_->close_document();
}

size_t DocumentCollection::size() const { return impl_->ends.size(); }
uint64_t DocumentCollection::tokens() const { return impl_->ids.size(); }
size_t DocumentCollection::words() const { return impl_->counter.size(); }
std::string_view DocumentCollection::word(uint32_t id) const { return impl_->counter.word(id); }
uint64_t DocumentCollection::count(uint32_t id) const { return impl_->counter.count(id); }
uint64_t DocumentCollection::document_frequency(uint32_t id) const {
  return impl_->word_documents[id].frequency;
}
std::span<const uint32_t> DocumentCollection::document(size_t index) const {
  const uint64_t begin = index == 0 ? 0 : impl_->ends[index - 1];
  return {impl_->ids.data() + begin, impl_->ids.data() + impl_->ends[index]};
}
const std::string& DocumentCollection::name() const { return impl_->name; }

namespace {

// Lines of a file that has been read once already: newlines, plus an unterminated last line. The
// tokenizer only reports lines that hold tokens, so this is how blank lines at the end of the file
// become documents. Plain text is scanned at memory speed; compressed text is decompressed again.
size_t count_lines(const std::string& path) {
  DecompressStream stream(path);
  std::vector<char> buffer(size_t{1} << 20);
  size_t lines = 0;
  char last = '\n';
  try {
    while (size_t size = stream.read(buffer.data(), buffer.size())) {
      lines += static_cast<size_t>(std::count(buffer.data(), buffer.data() + size, '\n'));
      last = buffer[size - 1];
    }
  } catch (const CorruptStreamError& error) {
    throw FormatError(path, error.what());
  }
  return lines + (last != '\n');
}

}  // namespace

DocumentCollection read_documents(const std::string& path, const CorpusOptions& options,
                                  const std::function<void(double)>& on_progress) {
  DocumentCollection collection(path);
  // The tokenizer (as CorpusReader uses it) hands tokens straight to the collection: the line of a
  // sentence is known from its first token on, so blank lines are filled in and the pieces of a
  // line cut at max_sentence_tokens land in one document.
  struct Sink {
    DocumentCollection::Impl& documents;
    const Tokenizer* tokenizer = nullptr;
    size_t open_line = 0;  // the line of the open document; 0 = none is open
    void token(std::string_view word) {
      const size_t line = tokenizer->sentence_line();
      if (line != open_line) {
        if (open_line != 0) documents.close_document();
        while (documents.ends.size() + 1 < line) documents.close_document();
        open_line = line;
      }
      documents.add_token(word);
    }
  } sink{*collection.impl_};
  ChunkPrefetcher source(path);
  Tokenizer tokenizer(source, options, path);
  sink.tokenizer = &tokenizer;
  for (size_t sentences = 0; tokenizer.next_sentence(sink); ++sentences)
    if (on_progress && sentences % 4096 == 0 && source.file_bytes() > 0)
      on_progress(static_cast<double>(source.bytes_consumed()) / source.file_bytes());
  if (sink.open_line != 0) collection.impl_->close_document();
  // Blank lines after the last token (the file is read again only when it is a regular file: a
  // pipe cannot be).
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) {
    const size_t lines = count_lines(path);
    while (collection.size() < lines) collection.impl_->close_document();
  }
  if (on_progress) on_progress(1.0);
  return collection;
}

// --- vocabulary --------------------------------------------------------------------------------

namespace {

void check_bound(const DocumentFrequency& bound, const char* name) {
  if (!(bound.value >= 0) || (bound.fraction && bound.value > 1))
    throw UsageError(fmt::format(
        "{} must be a fraction in [0, 1] or a number of documents (got {})", name, bound.value));
}

DocumentVocabulary make_vocabulary(const DocumentCollection& documents,
                                   std::span<const uint32_t> kept) {
  DocumentVocabulary vocabulary;
  vocabulary.documents = documents.size();
  vocabulary.words.reserve(kept.size(), 0);
  vocabulary.document_frequency.reserve(kept.size());
  for (uint32_t id : kept) {
    vocabulary.words.add(documents.word(id), documents.count(id));
    vocabulary.document_frequency.push_back(documents.document_frequency(id));
  }
  return vocabulary;
}

constexpr uint32_t kNoColumn = std::numeric_limits<uint32_t>::max();

// Collection word id -> column of `vocabulary`, or kNoColumn.
std::vector<uint32_t> columns_of(const DocumentCollection& documents, const Vocab& vocabulary,
                                 int threads) {
  std::vector<uint32_t> columns(documents.words());
  if (!vocabulary.empty()) vocabulary.find(documents.word(0));  // build the index once, up front
#pragma omp parallel for schedule(static) num_threads(resolve_threads(threads))
  for (size_t id = 0; id < columns.size(); ++id)
    columns[id] = vocabulary.find(documents.word(static_cast<uint32_t>(id))).value_or(kNoColumn);
  return columns;
}

}  // namespace

DocumentVocabulary build_vocabulary(const DocumentCollection& documents,
                                    const VocabularyOptions& options) {
  check_bound(options.min_df, "min_df");
  check_bound(options.max_df, "max_df");
  if (documents.words() == 0) throw FormatError(documents.name(), "the documents have no words");
  const double low = options.min_df.in_documents(documents.size());
  const double high = options.max_df.in_documents(documents.size());
  if (high < low)
    throw UsageError(
        fmt::format("max_df allows at most {} documents, fewer than min_df's {}", high, low));
  std::vector<uint32_t> kept;
  for (uint32_t id = 0; id < documents.words(); ++id) {
    const auto df = static_cast<double>(documents.document_frequency(id));
    if (df >= low && df <= high) kept.push_back(id);
  }
  if (kept.empty())
    throw UsageError(
        fmt::format("no word is in at least {} and at most {} of the {} documents: lower min_df or "
                    "raise max_df",
                    low, high, documents.size()));
  if (options.max_features > 0 && kept.size() > options.max_features) {
    auto more_frequent = [&](uint32_t a, uint32_t b) {
      if (documents.count(a) != documents.count(b)) return documents.count(a) > documents.count(b);
      return documents.word(a) < documents.word(b);
    };
    std::nth_element(kept.begin(), kept.begin() + static_cast<ptrdiff_t>(options.max_features),
                     kept.end(), more_frequent);
    kept.resize(options.max_features);
  }
  std::sort(kept.begin(), kept.end(),
            [&](uint32_t a, uint32_t b) { return documents.word(a) < documents.word(b); });
  return make_vocabulary(documents, kept);
}

DocumentVocabulary vocabulary_from(const DocumentCollection& documents, const Vocab& vocabulary) {
  DocumentVocabulary result;
  result.documents = documents.size();
  result.document_frequency.assign(vocabulary.size(), 0);
  std::vector<uint64_t> counts(vocabulary.size(), 0);
  const std::vector<uint32_t> columns = columns_of(documents, vocabulary, 0);
  for (uint32_t id = 0; id < documents.words(); ++id) {
    if (columns[id] == kNoColumn) continue;
    counts[columns[id]] = documents.count(id);
    result.document_frequency[columns[id]] = documents.document_frequency(id);
  }
  result.words.reserve(vocabulary.size(), vocabulary.total_bytes());
  for (size_t column = 0; column < vocabulary.size(); ++column)
    result.words.add(vocabulary.word(column), counts[column]);
  return result;
}

std::vector<double> inverse_document_frequency(const DocumentVocabulary& vocabulary,
                                               bool smooth_idf) {
  // As scikit-learn: idf = ln(n / df) + 1 with n and df each plus one when smoothing.
  const auto n = static_cast<double>(vocabulary.documents + (smooth_idf ? 1 : 0));
  std::vector<double> idf(vocabulary.document_frequency.size(), 0.0);
  for (size_t column = 0; column < idf.size(); ++column) {
    const auto df =
        static_cast<double>(vocabulary.document_frequency[column] + (smooth_idf ? 1 : 0));
    if (df > 0) idf[column] = std::log(n / df) + 1.0;
  }
  return idf;
}

void save_vocabulary_words(const DocumentVocabulary& vocabulary, const std::string& path) {
  AtomicFile file(path);
  for (size_t column = 0; column < vocabulary.words.size(); ++column) {
    file.write(vocabulary.words.word(column));
    file.write("\n");
  }
  file.commit();
}

// --- sparse rows -------------------------------------------------------------------------------

namespace {

// The distinct columns of a document with their counts, sorted by column: tokens are tallied in a
// table over all columns (zero between documents), so only the distinct columns are sorted.
class ColumnCounts {
 public:
  explicit ColumnCounts(size_t columns) : tally_(columns, 0) {}

  // `column_of` maps word ids to columns below the table's size (kNoColumn: not a column).
  void collect(std::span<const uint32_t> ids, std::span<const uint32_t> column_of) {
    columns.clear();
    counts.clear();
    for (uint32_t id : ids) {
      const uint32_t column = column_of[id];
      if (column != kNoColumn && tally_[column]++ == 0) columns.push_back(column);
    }
    std::sort(columns.begin(), columns.end());
    for (uint32_t column : columns) {
      counts.push_back(tally_[column]);
      tally_[column] = 0;
    }
  }

  std::vector<uint32_t> columns;
  std::vector<uint32_t> counts;

 private:
  std::vector<uint32_t> tally_;
};

constexpr size_t kBlockDocuments = 1024;

// Builds the CSR matrix: each fixed block of documents is done by one thread into its own arrays,
// then the blocks are laid end to end. `values(counts, columns, out)` fills a row's values.
template <class RowValues>
SparseMatrix build_rows(const DocumentCollection& documents, const DocumentVocabulary& vocabulary,
                        int threads, const RowValues& values) {
  const std::vector<uint32_t> column_of = columns_of(documents, vocabulary.words, threads);
  const size_t rows = documents.size();
  const size_t blocks = (rows + kBlockDocuments - 1) / kBlockDocuments;
  struct Block {
    std::vector<uint64_t> row_sizes;
    std::vector<uint32_t> columns;
    std::vector<float> values;
  };
  std::vector<Block> parts(blocks);
#pragma omp parallel num_threads(resolve_threads(threads))
  {
    ColumnCounts row(vocabulary.words.size());
#pragma omp for schedule(dynamic, 1)
    for (size_t b = 0; b < blocks; ++b) {
      Block& part = parts[b];
      for (size_t d = b * kBlockDocuments; d < std::min(rows, (b + 1) * kBlockDocuments); ++d) {
        row.collect(documents.document(d), column_of);
        part.row_sizes.push_back(row.columns.size());
        part.columns.insert(part.columns.end(), row.columns.begin(), row.columns.end());
        part.values.resize(part.columns.size());
        values(std::span<const uint32_t>(row.counts), std::span<const uint32_t>(row.columns),
               std::span<float>(part.values).last(row.columns.size()));
      }
    }
  }
  std::vector<uint64_t> row_starts(rows + 1, 0);
  std::vector<uint64_t> block_starts(blocks + 1, 0);
  size_t row = 0;
  for (size_t b = 0; b < blocks; ++b) {
    for (uint64_t size : parts[b].row_sizes) {
      row_starts[row + 1] = row_starts[row] + size;
      ++row;
    }
    block_starts[b + 1] = block_starts[b] + parts[b].columns.size();
  }
  std::vector<uint32_t> columns(block_starts[blocks]);
  std::vector<float> entries(block_starts[blocks]);
#pragma omp parallel for schedule(dynamic, 1) num_threads(resolve_threads(threads))
  for (size_t b = 0; b < blocks; ++b) {
    std::copy(parts[b].columns.begin(), parts[b].columns.end(), columns.begin() + block_starts[b]);
    std::copy(parts[b].values.begin(), parts[b].values.end(), entries.begin() + block_starts[b]);
    parts[b] = Block{};
  }
  return SparseMatrix(rows, vocabulary.words.size(), std::move(row_starts), std::move(columns),
                      std::move(entries));
}

}  // namespace

SparseMatrix one_hot(const DocumentCollection& documents, const DocumentVocabulary& vocabulary,
                     int threads) {
  return build_rows(documents, vocabulary, threads,
                    [](std::span<const uint32_t>, std::span<const uint32_t>, std::span<float> out) {
                      std::fill(out.begin(), out.end(), 1.0f);
                    });
}

SparseMatrix bag_of_words(const DocumentCollection& documents, const DocumentVocabulary& vocabulary,
                          int threads) {
  return build_rows(
      documents, vocabulary, threads,
      [](std::span<const uint32_t> counts, std::span<const uint32_t>, std::span<float> out) {
        std::copy(counts.begin(), counts.end(), out.begin());
      });
}

SparseMatrix tf_idf(const DocumentCollection& documents, const DocumentVocabulary& vocabulary,
                    const TfIdfOptions& options, int threads) {
  const std::vector<double> idf = inverse_document_frequency(vocabulary, options.smooth_idf);
  const bool sublinear = options.sublinear_tf;
  auto weight = [&](uint32_t count, uint32_t column) {
    const double tf = sublinear ? 1.0 + std::log(static_cast<double>(count)) : count;
    return tf * idf[column];
  };
  return build_rows(documents, vocabulary, threads,
                    [&](std::span<const uint32_t> counts, std::span<const uint32_t> columns,
                        std::span<float> out) {
                      double norm = 0;
                      for (size_t i = 0; i < counts.size(); ++i) {
                        const double w = weight(counts[i], columns[i]);
                        norm += options.norm == Norm::L2 ? w * w : std::abs(w);
                      }
                      if (options.norm == Norm::L2) norm = std::sqrt(norm);
                      if (options.norm == Norm::None || norm == 0) norm = 1;
                      for (size_t i = 0; i < counts.size(); ++i)
                        out[i] = static_cast<float>(weight(counts[i], columns[i]) / norm);
                    });
}

// --- dense document vectors --------------------------------------------------------------------

namespace {

// The first principal component of the rows (uncentred, as SIF's reference code): the eigenvector
// of the largest eigenvalue of X^T X, accumulated in double over fixed blocks of rows. Its sign is
// chosen so that its largest entry is positive.
std::vector<double> first_component(const Matrix& rows) {
  const auto dim = static_cast<Eigen::Index>(rows.cols());
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(dim, dim);
  constexpr size_t kBlockRows = 1024;
  Eigen::MatrixXd block(dim, static_cast<Eigen::Index>(kBlockRows));
  for (size_t start = 0; start < rows.rows(); start += kBlockRows) {
    const size_t count = std::min(kBlockRows, rows.rows() - start);
    for (size_t r = 0; r < count; ++r)
      block.col(static_cast<Eigen::Index>(r)) =
          Eigen::Map<const Eigen::VectorXf>(rows.row(start + r), dim).cast<double>();
    gram.selfadjointView<Eigen::Lower>().rankUpdate(
        block.leftCols(static_cast<Eigen::Index>(count)));
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram);  // reads the lower triangle
  Eigen::VectorXd top = solver.eigenvectors().col(dim - 1);
  Eigen::Index largest = 0;
  top.cwiseAbs().maxCoeff(&largest);
  if (top[largest] < 0) top = -top;
  return {top.data(), top.data() + dim};
}

}  // namespace

DocumentVectors document_vectors(const DocumentCollection& documents, const KeyedVectors& model,
                                 const DocumentVectorOptions& options) {
  if (model.size() == 0 || model.dim() == 0) throw UsageError("the word-vector model is empty");
  if (options.weighting == DocumentWeighting::Sif && !(options.sif_a > 0))
    throw UsageError(fmt::format("the SIF parameter a must be positive (got {})", options.sif_a));
  const int threads = resolve_threads(options.threads);
  const std::vector<uint32_t> row_of = columns_of(documents, model.vocab(), threads);
  DocumentVectors result;

  // Per word: the factor on its vector (SIF's weight; 1 otherwise) and, for tf-idf, its idf.
  std::vector<double> factor(documents.words(), 1.0);
  std::vector<double> idf;
  if (options.weighting == DocumentWeighting::Sif) {
    const Vocab& vocab = model.vocab();
    const double model_total =
        vocab.has_counts()
            ? std::accumulate(vocab.counts_data(), vocab.counts_data() + vocab.size(), 0.0)
            : 0.0;
    result.sif_counts_from_documents = !(model_total > 0);
    for (uint32_t id = 0; id < documents.words(); ++id) {
      if (row_of[id] == kNoColumn) continue;
      const double p = result.sif_counts_from_documents
                           ? static_cast<double>(documents.count(id)) / documents.tokens()
                           : static_cast<double>(vocab.count(row_of[id])) / model_total;
      factor[id] = options.sif_a / (options.sif_a + p);
    }
  } else if (options.weighting == DocumentWeighting::TfIdf) {
    DocumentVocabulary all;
    all.documents = documents.size();
    for (uint32_t id = 0; id < documents.words(); ++id)
      all.document_frequency.push_back(documents.document_frequency(id));
    idf = inverse_document_frequency(all, true);
  }

  // Rows: sum over the document's distinct known words of mass * factor * vector, over the summed
  // mass; the mass of a word is its count, or tf * idf.
  const size_t dim = model.dim();
  result.vectors = Matrix(documents.size(), dim);
  std::vector<uint32_t> identity(documents.words());
  std::iota(identity.begin(), identity.end(), 0u);
  size_t empty = 0;
#pragma omp parallel num_threads(threads) reduction(+ : empty)
  {
    ColumnCounts words(documents.words());
    std::vector<double> sum(dim);
#pragma omp for schedule(dynamic, 256)
    for (size_t d = 0; d < documents.size(); ++d) {
      words.collect(documents.document(d), identity);
      std::fill(sum.begin(), sum.end(), 0.0);
      double mass_total = 0;
      for (size_t i = 0; i < words.columns.size(); ++i) {
        const uint32_t id = words.columns[i];
        if (row_of[id] == kNoColumn) continue;
        double mass = words.counts[i];
        if (options.weighting == DocumentWeighting::TfIdf)
          mass = (options.sublinear_tf ? 1.0 + std::log(mass) : mass) * idf[id];
        mass_total += mass;
        const double scale = mass * factor[id];
        const float* vector = model.vectors().row(row_of[id]);
        for (size_t j = 0; j < dim; ++j) sum[j] += scale * vector[j];
      }
      if (mass_total == 0) {
        ++empty;
        continue;
      }
      float* out = result.vectors.mutable_row(d);
      for (size_t j = 0; j < dim; ++j) out[j] = static_cast<float>(sum[j] / mass_total);
    }
  }
  result.empty_documents = empty;

  if (options.weighting == DocumentWeighting::Sif) {
    const std::vector<double> u = first_component(result.vectors);
    result.removed_component.assign(u.begin(), u.end());
#pragma omp parallel for schedule(static) num_threads(threads)
    for (size_t d = 0; d < documents.size(); ++d) {
      float* row = result.vectors.mutable_row(d);
      double projection = 0;
      for (size_t j = 0; j < dim; ++j) projection += row[j] * u[j];
      for (size_t j = 0; j < dim; ++j) row[j] = static_cast<float>(row[j] - projection * u[j]);
    }
  }
  return result;
}

// --- labels ------------------------------------------------------------------------------------

Vocab document_labels(size_t documents, const std::string& labels_path) {
  Vocab labels;
  if (labels_path.empty()) {
    for (size_t i = 1; i <= documents; ++i) labels.add(std::to_string(i));
    return labels;
  }
  auto file = MappedFile::open(labels_path, MappedFile::Access::Sequential);
  std::string_view text = file->bytes();
  const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) +
                       (!text.empty() && text.back() != '\n');
  if (lines != documents)
    throw FormatError(labels_path, fmt::format("has {} labels for {} documents", lines, documents));
  labels.reserve(documents, text.size());
  for (size_t line = 1; line <= lines; ++line) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view label = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (!label.empty() && label.back() == '\r') label.remove_suffix(1);
    if (label.empty()) throw FormatError(labels_path, line, "empty label");
    if (!is_valid_utf8(label)) throw FormatError(labels_path, line, "label is not UTF-8 text");
    if (!labels.add(label))
      throw FormatError(labels_path, line,
                        fmt::format("duplicate label '{}' (first on line {})", quote_word(label),
                                    *labels.find(label) + 1));
  }
  return labels;
}

}  // namespace embkit
