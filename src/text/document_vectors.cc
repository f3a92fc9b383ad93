// Dense document vectors (embkit/document_vectors.h): weighted averages of word vectors, and SIF's
// principal-component removal.
#include "embkit/document_vectors.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <thread>

#include "core/threads.h"
#include "embkit/document_vocabulary.h"
#include "embkit/data_error.h"
#include "embkit/error.h"
#include "text/column_counts.h"

namespace embkit {

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
  if (model.size() == 0 || model.dim() == 0) throw DataError("the word-vector model is empty");
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

}  // namespace embkit
