// The PPMI + SVD pipeline (embkit/ppmi_svd.h): counting, PPMI (ppmi.cc), truncated SVD
// (truncated_svd.cc) and the eigenvalue weighting.
#include "embkit/ppmi_svd.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "embkit/error.h"

namespace embkit {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}


void check_pipeline_options(const Vocab& vocab, const PpmiSvdOptions& options) {
  if (!(options.eig_power >= 0 && options.eig_power <= 1))
    throw UsageError(fmt::format("eigenvalue weighting power must be in [0, 1], got {}",
                                 options.eig_power));
  if (options.svd.rank == 0) throw UsageError("dim must be at least 1");
  if (options.svd.rank > vocab.size())
    throw UsageError(fmt::format("dim {} exceeds the vocabulary size {}", options.svd.rank, vocab.size()));
}

// PPMI, SVD and the eigenvalue weighting; `owned` (if given) is released once PPMI is computed.
void weight_and_factorise(const Vocab& vocab, const SparseMatrix& counts, SparseMatrix* owned,
                          const PpmiSvdOptions& options, PpmiSvdResult& result) {
  auto start = Clock::now();
  if (options.on_progress) options.on_progress("ppmi", 0.0);
  SparseMatrix weighted = ppmi(counts, options.ppmi);
  if (owned) *owned = SparseMatrix();
  result.ppmi_nnz = weighted.nnz();
  result.ppmi_seconds = seconds_since(start);

  start = Clock::now();
  if (options.on_progress) options.on_progress("svd", 0.0);
  TruncatedSvd svd = truncated_svd(weighted, options.svd);
  result.svd_seconds = seconds_since(start);
  if (options.on_progress) options.on_progress("svd", 1.0);

  const size_t dim = options.svd.rank;
  Matrix words(vocab.size(), dim);
  result.contexts = Matrix(vocab.size(), dim);
  for (size_t c = 0; c < dim; ++c) {
    const float scale = static_cast<float>(std::pow(svd.s[c], options.eig_power));
    for (size_t r = 0; r < vocab.size(); ++r) {
      words.mutable_row(r)[c] = svd.u.row(r)[c] * scale;
      result.contexts.mutable_row(r)[c] = svd.v.row(r)[c] * scale;
    }
  }
  result.singular_values = svd.s;
  result.vectors = KeyedVectors(vocab.head(vocab.size()), std::move(words));
}

}  // namespace

PpmiSvdResult train_ppmi_svd(const Vocab& vocab, const EncodedCorpus& corpus,
                             const PpmiSvdOptions& options) {
  check_pipeline_options(vocab, options);
  PpmiSvdResult result;
  auto start = Clock::now();
  CooccurrenceOptions counting = options.counting;
  if (options.on_progress && !counting.on_progress)
    counting.on_progress = [&](double f) { options.on_progress("counting", f); };
  SparseMatrix counts = count_cooccurrences(corpus, vocab.size(), counting, &result.counting);
  result.cooccurrence_nnz = counts.nnz();
  result.count_seconds = seconds_since(start);
  weight_and_factorise(vocab, counts, &counts, options, result);
  return result;
}

PpmiSvdResult train_ppmi_svd_on_counts(const Vocab& vocab, const SparseMatrix& counts,
                                       const PpmiSvdOptions& options) {
  check_pipeline_options(vocab, options);
  if (counts.rows() != vocab.size() || counts.cols() != vocab.size())
    throw UsageError(fmt::format("ppmi-svd: the co-occurrence matrix is {} x {} but the vocabulary has {} words",
                                 counts.rows(), counts.cols(), vocab.size()));
  PpmiSvdResult result;
  result.cooccurrence_nnz = counts.nnz();
  weight_and_factorise(vocab, counts, nullptr, options, result);
  return result;
}

}  // namespace embkit
