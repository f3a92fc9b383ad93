// Dense document vectors from a word-vector model: the plain mean, the TF-IDF-weighted mean, and
// SIF (Arora, Liang & Ma 2017, "A simple but tough-to-beat baseline for sentence embeddings").
#pragma once

#include <cstddef>
#include <vector>

#include "embkit/document_collection.h"
#include "embkit/keyed_vectors.h"
#include "embkit/matrix.h"

namespace embkit {

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

}  // namespace embkit
