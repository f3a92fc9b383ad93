// The columns of sparse document matrices (embkit/document_vocabulary.h): CountVectorizer's choice
// by document frequency and total count, words sorted by bytes; idf.
#include "embkit/document_vocabulary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/atomic_file.h"
#include "core/threads.h"
#include "embkit/error.h"

namespace embkit {

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


}  // namespace

std::vector<uint32_t> columns_of(const DocumentCollection& documents, const Vocab& vocabulary,
                                 int threads) {
  std::vector<uint32_t> columns(documents.words());
  if (!vocabulary.empty()) vocabulary.find(documents.word(0));  // build the index once, up front
#pragma omp parallel for schedule(static) num_threads(resolve_threads(threads))
  for (size_t id = 0; id < columns.size(); ++id)
    columns[id] = vocabulary.find(documents.word(static_cast<uint32_t>(id))).value_or(kNoColumn);
  return columns;
}

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

}  // namespace embkit
