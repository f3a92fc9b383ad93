// Sparse document matrices — one-hot presence, bag-of-words counts and TF-IDF — equal to
// scikit-learn's CountVectorizer / TfidfVectorizer with analyzer=str.split: one row per document,
// one column per word of a DocumentVocabulary. Values are computed in double and stored as float.
#pragma once

#include "embkit/document_collection.h"
#include "embkit/document_vocabulary.h"
#include "embkit/sparse.h"

namespace embkit {

enum class Norm { None, L1, L2 };

struct TfIdfOptions {
  bool sublinear_tf = false;  // tf = 1 + ln(count) instead of the count
  bool smooth_idf = true;     // idf = ln((1 + n) / (1 + df)) + 1; off: ln(n / df) + 1
  Norm norm = Norm::L2;       // rows scaled to unit L2 / L1 norm (all-zero rows stay zero)
};

// documents x columns. Rows are computed in parallel over `threads` (0 = all cores); the result
// does not depend on the thread count.
SparseMatrix one_hot(const DocumentCollection& documents, const DocumentVocabulary& vocabulary,
                     int threads = 0);
SparseMatrix bag_of_words(const DocumentCollection& documents, const DocumentVocabulary& vocabulary,
                          int threads = 0);
SparseMatrix tf_idf(const DocumentCollection& documents, const DocumentVocabulary& vocabulary,
                    const TfIdfOptions& options = {}, int threads = 0);

}  // namespace embkit
