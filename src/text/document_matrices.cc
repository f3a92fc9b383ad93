// One-hot, bag-of-words and TF-IDF rows (embkit/document_matrices.h), built in fixed blocks of
// documents so the result does not depend on the thread count.
#include "embkit/document_matrices.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "core/threads.h"
#include "embkit/error.h"
#include "text/column_counts.h"

namespace embkit {

namespace {

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

}  // namespace embkit
