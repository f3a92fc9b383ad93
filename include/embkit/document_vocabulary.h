// The columns of sparse document matrices, chosen as scikit-learn's CountVectorizer chooses them;
// words sorted by their UTF-8 bytes (the code-point order in which scikit-learn sorts its
// vocabulary), so the matrices equal scikit-learn's column for column.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "embkit/document_collection.h"
#include "embkit/vocab.h"

namespace embkit {

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

// The idf of every column (0 for a column with df = 0 when smooth_idf is off: it is never used).
std::vector<double> inverse_document_frequency(const DocumentVocabulary& vocabulary,
                                               bool smooth_idf = true);

// Writes the column words, one per line in column order, atomically.
void save_vocabulary_words(const DocumentVocabulary& vocabulary, const std::string& path);

// Collection word id -> column of `vocabulary` (or row of a model's vocabulary), kNoColumn for words
// it does not hold. Looked up in parallel over `threads` (0 = all cores).
inline constexpr uint32_t kNoColumn = std::numeric_limits<uint32_t>::max();
std::vector<uint32_t> columns_of(const DocumentCollection& documents, const Vocab& vocabulary,
                                 int threads = 0);

}  // namespace embkit
