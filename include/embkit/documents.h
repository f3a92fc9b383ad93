// Documents as vectors. A document collection is read from a text file, one document per line
// (line i is document i; empty lines are empty documents), with the corpus reader's tokenisation.
// From it come sparse representations — one-hot presence, bag-of-words counts and TF-IDF, equal to
// scikit-learn's CountVectorizer / TfidfVectorizer with analyzer=str.split — and dense document
// vectors from a word-vector model: the plain mean, the TF-IDF-weighted mean, and SIF (Arora, Liang
// & Ma 2017, "A simple but tough-to-beat baseline for sentence embeddings").
//
// Sparse matrices have one row per document and one column per word of a DocumentVocabulary; its
// words are sorted by their UTF-8 bytes (the code-point order in which scikit-learn sorts its
// vocabulary), so the matrices are the same as scikit-learn's, column for column. Values are
// computed in double and stored as float.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embkit/corpus.h"
#include "embkit/keyed_vectors.h"
#include "embkit/matrix.h"
#include "embkit/sparse.h"
#include "embkit/vocab.h"

namespace embkit {

// The documents of a collection as word ids, with every distinct word (ids in order of first
// appearance), its total count and its document frequency.
class DocumentCollection {
 public:
  // `name` is the collection's file, used in error messages ("documents" when empty).
  explicit DocumentCollection(std::string name = {});
  ~DocumentCollection();
  DocumentCollection(DocumentCollection&&) noexcept;
  DocumentCollection& operator=(DocumentCollection&&) noexcept;

  // Appends a document made of `tokens` (an empty span appends an empty document).
  void add(std::span<const std::string_view> tokens);

  size_t size() const;      // documents
  uint64_t tokens() const;  // tokens of all documents
  size_t words() const;     // distinct words
  std::string_view word(uint32_t id) const;
  uint64_t count(uint32_t id) const;               // occurrences in all documents
  uint64_t document_frequency(uint32_t id) const;  // documents that contain the word
  // The word ids of document `index`, in text order.
  std::span<const uint32_t> document(size_t index) const;
  const std::string& name() const;

 private:
  struct Impl;
  friend DocumentCollection read_documents(const std::string&, const CorpusOptions&,
                                           const std::function<void(double)>&);
  std::unique_ptr<Impl> impl_;
};

// Reads a text file (plain, .gz, .xz or .zst) with one document per line; tokens as CorpusReader
// gives them (`options.lowercase_and_split_punctuation`; lines cut into max_sentence_tokens pieces
// are joined back into one document). Document i is line i + 1 of the file, empty and blank lines
// and trailing ones included; an empty file has no documents. `on_progress(fraction)` is called
// now and then. Throws IoError when the file cannot be read and FormatError (file and line) for
// binary junk, invalid UTF-8 and corrupt compressed data.
DocumentCollection read_documents(const std::string& path, const CorpusOptions& options = {},
                                  const std::function<void(double)>& on_progress = {});

// A bound on document frequency: a number of documents, or a fraction of the collection's documents
// (scikit-learn's int and float min_df / max_df).
struct DocumentFrequency {
  double value = 1;
  bool fraction = false;

  static DocumentFrequency documents(uint64_t count) { return {static_cast<double>(count), false}; }
  static DocumentFrequency proportion(double fraction) { return {fraction, true}; }
  // The bound as a number of documents for a collection of `documents` documents.
  double in_documents(size_t documents) const { return fraction ? value * documents : value; }
};

// Which words become columns, as CountVectorizer chooses them: words in at least min_df and at most
// max_df documents, then (when max_features > 0) the max_features of them with the highest total
// count (ties: the word first in byte order).
struct VocabularyOptions {
  DocumentFrequency min_df = DocumentFrequency::documents(1);
  DocumentFrequency max_df = DocumentFrequency::proportion(1.0);
  size_t max_features = 0;  // 0 = no limit
};

// The columns of a sparse representation and the statistics TF-IDF needs.
struct DocumentVocabulary {
  Vocab words;  // column j is words.word(j); counts: occurrences in the collection
  std::vector<uint64_t> document_frequency;  // per column
  size_t documents = 0;                      // documents in the collection (n of the idf)
};

// Chooses the columns from the collection's words, sorted by bytes. Throws UsageError when a
// fraction is outside [0, 1], when max_df allows fewer documents than min_df, or when no word is
// left; FormatError (naming the collection) when the documents have no words at all.
DocumentVocabulary build_vocabulary(const DocumentCollection& documents,
                                    const VocabularyOptions& options = {});
// Uses the words of `vocabulary` as the columns, in its order (CountVectorizer's `vocabulary=`):
// collection words that are not in it are ignored; counts and document frequencies come from the
// collection (0 for words it does not contain).
DocumentVocabulary vocabulary_from(const DocumentCollection& documents, const Vocab& vocabulary);

enum class Norm { None, L1, L2 };

struct TfIdfOptions {
  bool sublinear_tf = false;  // tf = 1 + ln(count) instead of the count
  bool smooth_idf = true;     // idf = ln((1 + n) / (1 + df)) + 1; off: ln(n / df) + 1
  Norm norm = Norm::L2;       // rows scaled to unit L2 / L1 norm (all-zero rows stay zero)
};

// The idf of every column (0 for a column with df = 0 when smooth_idf is off: it is never used).
std::vector<double> inverse_document_frequency(const DocumentVocabulary& vocabulary,
                                               bool smooth_idf = true);

// documents x columns. Rows are computed in parallel over `threads` (0 = all cores); the result
// does not depend on the thread count.
SparseMatrix one_hot(const DocumentCollection& documents, const DocumentVocabulary& vocabulary,
                     int threads = 0);
SparseMatrix bag_of_words(const DocumentCollection& documents, const DocumentVocabulary& vocabulary,
                          int threads = 0);
SparseMatrix tf_idf(const DocumentCollection& documents, const DocumentVocabulary& vocabulary,
                    const TfIdfOptions& options = {}, int threads = 0);

// Writes the column words, one per line in column order, atomically.
void save_vocabulary_words(const DocumentVocabulary& vocabulary, const std::string& path);

enum class DocumentWeighting {
  Mean,   // the average of the vectors of the document's known tokens
  TfIdf,  // the average weighted by tf * idf (idf over the collection, smooth; tf as TfIdfOptions)
  Sif,    // smooth inverse frequency, then the first principal component removed
};

struct DocumentVectorOptions {
  DocumentWeighting weighting = DocumentWeighting::Mean;
  bool sublinear_tf = false;  // TfIdf weighting only
  // SIF: token weight a / (a + p(w)); p(w) = the word's count over the model vocabulary's total
  // count when the model has counts, else its count over the collection's tokens.
  double sif_a = 1e-3;
  int threads = 0;  // 0 = all cores; the result does not depend on it
};

struct DocumentVectors {
  Matrix vectors;                          // documents x model dimension
  size_t empty_documents = 0;              // documents without a word of the model: zero rows
  bool sif_counts_from_documents = false;  // SIF took p(w) from the collection (no model counts)
  std::vector<float> removed_component;    // SIF: the unit direction removed (empty otherwise)
};

// Dense document vectors: `mean` and `tfidf` are weighted averages of the model's vectors over the
// known tokens of each document (a word counted as often as it occurs); `sif` is Arora et al.'s
// v_d = (1 / |d|) sum over the known tokens of a / (a + p(w)) v_w, |d| the number of known tokens,
// followed by removing from every row its projection on the first principal component of the
// (uncentred) document matrix — the top eigenvector of the dim x dim matrix X^T X, computed in
// double. Throws UsageError for sif_a <= 0 or an empty model.
DocumentVectors document_vectors(const DocumentCollection& documents, const KeyedVectors& model,
                                 const DocumentVectorOptions& options = {});

// Row labels for `documents` documents: their line numbers "1", "2", ... when `labels_path` is
// empty, else the lines of that file, one label per document. Throws IoError when the file cannot
// be read and FormatError when the number of labels differs from the number of documents or a
// label is empty, not UTF-8 or repeated (naming the line).
Vocab document_labels(size_t documents, const std::string& labels_path = {});

}  // namespace embkit
