// Documents (documents.h) and co-occurrence counts (cooccurrence.h). Sparse results cross into
// Python as CSR triplets (data float32, indices int32, indptr int64, shape), which embkit/_documents.py
// turns into scipy.sparse.csr_matrix when SciPy is importable.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "arrays.h"
#include "bindings.h"
#include "embkit/cooccurrence.h"
#include "embkit/corpus_encoder.h"
#include "embkit/documents.h"
#include "embkit/error.h"
#include "embkit/options.h"
#include "embkit/sparse.h"
#include "options.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

py::tuple csr_triplet(const SparseMatrix& matrix) {
  if (matrix.nnz() > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    throw UsageError("the sparse matrix has more entries than int32 column indices can address");
  py::array_t<float> data(matrix.nnz());
  py::array_t<int32_t> indices(matrix.nnz());
  py::array_t<int64_t> indptr(matrix.rows() + 1);
  std::copy(matrix.values().begin(), matrix.values().end(), data.mutable_data());
  std::copy(matrix.columns().begin(), matrix.columns().end(), indices.mutable_data());
  std::copy(matrix.row_starts().begin(), matrix.row_starts().end(), indptr.mutable_data());
  return py::make_tuple(data, indices, indptr, py::make_tuple(matrix.rows(), matrix.cols()));
}

std::vector<std::string_view> utf8_tokens(py::handle document) {
  if (py::isinstance<py::str>(document) || py::isinstance<py::bytes>(document))
    throw py::type_error("documents must be lists of tokens (str), got a string; split it first");
  std::vector<std::string_view> tokens;
  for (py::handle token : document) {
    if (!py::isinstance<py::str>(token))
      throw py::type_error("tokens must be str, got " +
                           py::str(py::type::of(token).attr("__name__")).cast<std::string>());
    Py_ssize_t size = 0;
    const char* bytes = PyUnicode_AsUTF8AndSize(token.ptr(), &size);
    if (!bytes) throw py::error_already_set();
    tokens.emplace_back(bytes, static_cast<size_t>(size));  // valid while the str lives
  }
  return tokens;
}

std::unique_ptr<DocumentCollection> documents_from_iterable(py::handle documents) {
  auto collection = std::make_unique<DocumentCollection>("<iterable>");
  for (py::handle document : documents) {
    if (py::isinstance<py::str>(document) || py::isinstance<py::bytes>(document))
      throw py::type_error("documents must be lists of tokens (str), got a string; split it first");
    // The list keeps the str objects alive while their UTF-8 bytes are read.
    py::list tokens_owner(py::reinterpret_borrow<py::object>(document));
    collection->add(utf8_tokens(tokens_owner));
  }
  return collection;
}

std::unique_ptr<DocumentCollection> documents_from_file(const std::string& path, bool lowercase) {
  CorpusOptions options;
  options.lowercase_and_split_punctuation = lowercase;
  py::gil_scoped_release release;
  return std::make_unique<DocumentCollection>(read_documents(path, options));
}

DocumentFrequency frequency(py::handle value, const char* name) {
  if (py::isinstance<py::float_>(value)) {
    const double fraction = value.cast<double>();
    return DocumentFrequency::proportion(fraction);
  }
  if (py::isinstance<py::int_>(value)) {
    const auto count = value.cast<int64_t>();
    if (count < 0) throw UsageError(std::string(name) + " must not be negative");
    return DocumentFrequency::documents(static_cast<uint64_t>(count));
  }
  throw py::type_error(std::string(name) + " must be an int (documents) or a float (fraction)");
}

std::unique_ptr<DocumentVocabulary> make_vocabulary(const DocumentCollection& documents, py::handle min_df,
                                                    py::handle max_df, size_t max_features,
                                                    std::optional<std::vector<std::string>> words) {
  if (words) {
    Vocab vocab;
    for (const std::string& word : *words)
      if (!vocab.add(word)) throw UsageError("vocabulary: the word '" + word + "' is given twice");
    return std::make_unique<DocumentVocabulary>(vocabulary_from(documents, vocab));
  }
  VocabularyOptions options;
  options.min_df = frequency(min_df, "min_df");
  options.max_df = frequency(max_df, "max_df");
  options.max_features = max_features;
  return std::make_unique<DocumentVocabulary>(build_vocabulary(documents, options));
}

Norm parse_norm(py::handle norm) {
  if (norm.is_none()) return Norm::None;
  const std::string name = py::str(norm);
  if (name == "l2") return Norm::L2;
  if (name == "l1") return Norm::L1;
  throw UsageError("norm must be 'l2', 'l1' or None, not '" + name + "'");
}

DocumentWeighting parse_weighting(const std::string& name) {
  if (name == "mean") return DocumentWeighting::Mean;
  if (name == "tfidf") return DocumentWeighting::TfIdf;
  if (name == "sif") return DocumentWeighting::Sif;
  throw UsageError("weighting must be 'mean', 'tfidf' or 'sif', not '" + name + "'");
}

}  // namespace

void bind_documents(py::module_& m) {
  py::class_<DocumentCollection>(m, "DocumentCollection", "Documents as word ids (C++ object).")
      .def_static("from_file", &documents_from_file, py::arg("path"), py::arg("lowercase") = false)
      .def_static("from_iterable", &documents_from_iterable, py::arg("documents"))
      .def("__len__", &DocumentCollection::size)
      .def_property_readonly("tokens", &DocumentCollection::tokens)
      .def_property_readonly("words", &DocumentCollection::words);

  py::class_<DocumentVocabulary>(m, "DocumentVocabulary", "The columns of a sparse representation.")
      .def(py::init(&make_vocabulary), py::arg("documents"), py::arg("min_df") = 1,
           py::arg("max_df") = 1.0, py::arg("max_features") = 0, py::arg("words") = py::none())
      .def("__len__", [](const DocumentVocabulary& v) { return v.words.size(); })
      .def("words", [](const DocumentVocabulary& v) {
        std::vector<std::string> words;
        for (size_t i = 0; i < v.words.size(); ++i) words.emplace_back(v.words.word(i));
        return words;
      })
      .def("document_frequency", [](const DocumentVocabulary& v) { return v.document_frequency; })
      .def("idf", [](const DocumentVocabulary& v, bool smooth) { return inverse_document_frequency(v, smooth); },
           py::arg("smooth_idf") = true);

  m.def("one_hot", [](const DocumentCollection& d, const DocumentVocabulary& v, int threads) {
    SparseMatrix matrix;
    {
      py::gil_scoped_release release;
      matrix = one_hot(d, v, threads);
    }
    return csr_triplet(matrix);
  }, py::arg("documents"), py::arg("vocabulary"), py::arg("threads") = 0);
  m.def("bag_of_words", [](const DocumentCollection& d, const DocumentVocabulary& v, int threads) {
    SparseMatrix matrix;
    {
      py::gil_scoped_release release;
      matrix = bag_of_words(d, v, threads);
    }
    return csr_triplet(matrix);
  }, py::arg("documents"), py::arg("vocabulary"), py::arg("threads") = 0);
  m.def("tf_idf", [](const DocumentCollection& d, const DocumentVocabulary& v, bool sublinear_tf,
                     bool smooth_idf, py::handle norm, int threads) {
    TfIdfOptions options;
    options.sublinear_tf = sublinear_tf;
    options.smooth_idf = smooth_idf;
    options.norm = parse_norm(norm);
    SparseMatrix matrix;
    {
      py::gil_scoped_release release;
      matrix = tf_idf(d, v, options, threads);
    }
    return csr_triplet(matrix);
  }, py::arg("documents"), py::arg("vocabulary"), py::arg("sublinear_tf") = false,
     py::arg("smooth_idf") = true, py::arg("norm") = "l2", py::arg("threads") = 0);
  m.def("document_vectors", [](const DocumentCollection& d, const KeyedVectors& model,
                               const std::string& weighting, bool sublinear_tf, double sif_a, int threads) {
    DocumentVectorOptions options;
    options.weighting = parse_weighting(weighting);
    options.sublinear_tf = sublinear_tf;
    options.sif_a = sif_a;
    options.threads = threads;
    DocumentVectors result;
    {
      py::gil_scoped_release release;
      result = document_vectors(d, model, options);
    }
    return matrix_copy(result.vectors);
  }, py::arg("documents"), py::arg("model"), py::arg("weighting") = "mean", py::arg("sublinear_tf") = false,
     py::arg("sif_a") = 1e-3, py::arg("threads") = 0);

  m.def("cooccurrence_counts", [](const DocumentCollection& d, const py::dict& kwargs) {
    // The counting options of `embkit cooccur` (its table); the vocabulary options there apply to
    // corpus files, while a collection brings its own words.
    const OptionTable& table = cooccur_option_table();
    for (auto [key, value] : kwargs) {
      const std::string name = py::str(key);
      if (name == "min_count" || name == "max_vocab" || name == "lowercase" || name == "memory" ||
          name == "temp_dir")
        throw py::type_error("cooccurrence(): '" + name +
                             "' applies to corpus files (embkit cooccur); a document collection "
                             "brings its own words and is counted in memory");
    }
    CooccurSettings settings;
    apply_cooccur_options(option_values_from_kwargs(table, "cooccurrence", "", kwargs), settings);
    // The collection's words in order of first appearance are the rows and columns.
    EncodedCorpus corpus;
    for (size_t i = 0; i < d.size(); ++i) {
      std::span<const uint32_t> ids = d.document(i);
      corpus.ids.insert(corpus.ids.end(), ids.begin(), ids.end());
      corpus.raw_tokens += ids.size();
      if (!ids.empty()) corpus.sentence_ends.push_back(corpus.ids.size());
    }
    SparseMatrix counts;
    {
      py::gil_scoped_release release;
      counts = count_cooccurrences(corpus, d.words(), settings.counting);
    }
    std::vector<std::string> words;
    for (uint32_t id = 0; id < d.words(); ++id) words.emplace_back(d.word(id));
    return py::make_tuple(csr_triplet(counts), words);
  }, py::arg("documents"), py::arg("options"));
}

}  // namespace embkit::python
