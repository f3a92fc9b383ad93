// KeyedVectors, load / save, the word queries of queries.h and the evaluations of eval.h. The Python
// class embkit.KeyedVectors (embkit/_keyed_vectors.py) gives them gensim's names and argument forms;
// this layer releases the GIL around every call that scans the model.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arrays.h"
#include "bindings.h"
#include "embkit/error.h"
#include "embkit/analogy.h"
#include "embkit/correlation.h"
#include "embkit/word_pairs.h"
#include "embkit/io.h"
#include "embkit/keyed_vectors.h"
#include "embkit/quantize.h"
#include "embkit/queries.h"
#include "embkit/exact_search.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

using Neighbors = std::vector<std::pair<std::string, float>>;

Neighbors to_pairs(const std::vector<Neighbor>& neighbors) {
  Neighbors pairs;
  pairs.reserve(neighbors.size());
  for (const Neighbor& n : neighbors) pairs.emplace_back(std::string(n.word), n.score);
  return pairs;
}

QueryOptions query_options(size_t topn, size_t restrict_vocab, int threads) {
  QueryOptions options;
  options.topn = topn;
  options.restrict_vocab = restrict_vocab;
  options.threads = threads;
  return options;
}

std::unique_ptr<KeyedVectors> from_arrays(const std::vector<std::string>& words, py::handle vectors,
                                          std::optional<std::vector<uint64_t>> counts) {
  Matrix matrix = to_matrix(vectors, "vectors");
  if (matrix.rows() != words.size())
    throw UsageError("KeyedVectors: " + std::to_string(words.size()) + " words but " +
                     std::to_string(matrix.rows()) + " vector rows");
  if (counts && counts->size() != words.size())
    throw UsageError("KeyedVectors: " + std::to_string(counts->size()) + " counts for " +
                     std::to_string(words.size()) + " words");
  Vocab vocab;
  for (size_t i = 0; i < words.size(); ++i)
    if (!vocab.add(words[i], counts ? (*counts)[i] : 0))
      throw UsageError("KeyedVectors: the word '" + words[i] + "' is given twice");
  return std::make_unique<KeyedVectors>(std::move(vocab), std::move(matrix));
}

std::unique_ptr<KeyedVectors> load_file(const std::string& path, const std::string& format,
                                        size_t limit, const std::string& labels_path, int threads) {
  LoadOptions options;
  options.format = parse_format(format);
  options.limit = limit;
  options.labels_path = labels_path;
  options.threads = threads;
  py::gil_scoped_release release;
  return std::make_unique<KeyedVectors>(load(path, options));
}

void save_file(const KeyedVectors& kv, const std::string& path, const std::string& format,
               const std::string& labels_path, int threads, const std::string& dtype) {
  SaveOptions options;
  options.dtype = parse_dtype(dtype);
  options.format = parse_format(format);
  if (options.format == Format::Auto) options.format = format_for_output(path, kv);
  options.labels_path = labels_path;
  options.threads = threads;
  py::gil_scoped_release release;
  save(kv, path, options);
}

// gensim's (score, sections): one dict per section of the file with 'correct' / 'incorrect' lists
// of (a, b, c, expected), then 'Total accuracy'. With dummy4unknown, unanswered questions count as
// incorrect.
py::tuple evaluate_analogies_gensim(const KeyedVectors& kv, const std::string& path,
                                    size_t restrict_vocab, bool case_insensitive, bool dummy4unknown,
                                    bool cosmul, int threads) {
  AnalogyOptions options;
  options.restrict_vocab = restrict_vocab;
  options.case_insensitive = case_insensitive;
  options.method = cosmul ? AnalogyMethod::Mul : AnalogyMethod::Add;
  options.threads = threads;
  options.keep_questions = true;
  AnalogyResult result;
  {
    py::gil_scoped_release release;
    result = evaluate_analogies(kv, path, options);
  }
  py::list sections, all_correct, all_incorrect;
  for (const AnalogySection& section : result.sections) {
    py::list correct, incorrect;
    for (const AnalogyQuestion& question : section.questions) {
      const auto& k = question.keys;
      if (question.outcome == AnalogyOutcome::Correct)
        correct.append(py::make_tuple(k[0], k[1], k[2], k[3]));
      else if (question.outcome == AnalogyOutcome::Incorrect || dummy4unknown)
        incorrect.append(py::make_tuple(k[0], k[1], k[2], k[3]));
    }
    for (py::handle q : correct) all_correct.append(q);
    for (py::handle q : incorrect) all_incorrect.append(q);
    py::dict entry;
    entry["section"] = section.name;
    entry["correct"] = correct;
    entry["incorrect"] = incorrect;
    sections.append(entry);
  }
  py::dict total;
  total["section"] = "Total accuracy";
  total["correct"] = all_correct;
  total["incorrect"] = all_incorrect;
  sections.append(total);
  const size_t seen = py::len(all_correct) + py::len(all_incorrect);
  const double score = seen ? double(py::len(all_correct)) / double(seen) : 0.0;
  return py::make_tuple(score, sections);
}

// (pearson, spearman, pairs used, oov pairs); p-values are computed by the Python layer.
py::tuple evaluate_pairs(const KeyedVectors& kv, const std::string& path, size_t restrict_vocab,
                         bool case_insensitive, bool dummy4unknown) {
  SimilarityOptions options;
  options.restrict_vocab = restrict_vocab;
  options.case_insensitive = case_insensitive;
  options.dummy4unknown = dummy4unknown;
  SimilarityResult result;
  {
    py::gil_scoped_release release;
    result = evaluate_word_pairs(kv, path, options);
  }
  const size_t used = dummy4unknown ? result.pairs : result.pairs - result.oov;
  return py::make_tuple(result.pearson, result.spearman, used, result.oov);
}

// Cosine of `vector` with each of the first `rows` words (all when 0); zero rows give 0.
py::array_t<float> cosines(const KeyedVectors& kv, py::handle vector, size_t rows, int threads) {
  auto query = as_float_array(vector, 1, "vector");
  if (static_cast<size_t>(query.shape(0)) != kv.dim())
    throw UsageError("the query vector has dimension " + std::to_string(query.shape(0)) +
                     " but the model has " + std::to_string(kv.dim()));
  rows = rows == 0 ? kv.size() : std::min(rows, kv.size());
  std::vector<float> unit(kv.dim());
  double squares = 0;
  for (size_t j = 0; j < kv.dim(); ++j) squares += double(query.data()[j]) * query.data()[j];
  const double norm = std::sqrt(squares);
  for (size_t j = 0; j < kv.dim(); ++j) unit[j] = norm > 0 ? float(query.data()[j] / norm) : 0.0f;
  py::array_t<float> out(rows);
  float* result = out.mutable_data();
  {
    py::gil_scoped_release release;
    inner_products(kv.unit_rows(), unit, rows, result, threads);
  }
  return out;
}

}  // namespace

void bind_keyed_vectors(py::module_& m) {
  py::class_<KeyedVectors>(m, "KeyedVectors", "A vocabulary and its float32 vectors (C++ object).")
      .def(py::init(&from_arrays), py::arg("words"), py::arg("vectors"), py::arg("counts") = py::none())
      .def("__len__", &KeyedVectors::size)
      .def_property_readonly("dim", &KeyedVectors::dim)
      .def_property_readonly(
          "vectors", [](py::object self) { return matrix_view(self.cast<const KeyedVectors&>().vectors(), self); })
      .def_property_readonly("unit_vectors", [](py::object self) {
        const KeyedVectors& kv = self.cast<const KeyedVectors&>();
        py::gil_scoped_release release;
        const Matrix& unit = kv.unit_rows();
        py::gil_scoped_acquire acquire;
        return matrix_view(unit, self);
      })
      .def_property_readonly("norms", [](py::object self) {
        const KeyedVectors& kv = self.cast<const KeyedVectors&>();
        std::span<const float> norms = kv.norms();
        return vector_view(norms.data(), norms.size(), self);
      })
      .def("row", [](py::object self, size_t i, bool norm) {
        const KeyedVectors& kv = self.cast<const KeyedVectors&>();
        if (i >= kv.size()) throw py::index_error("index " + std::to_string(i) + " out of range");
        const Matrix& matrix = norm ? kv.unit_rows() : kv.vectors();
        return vector_view(matrix.row(i), kv.dim(), self);
      }, py::arg("index"), py::arg("norm") = false)
      .def("index", &KeyedVectors::index, py::arg("word"))
      .def("find", [](const KeyedVectors& kv, std::string_view word) { return kv.vocab().find(word); })
      .def_property_readonly("has_subwords", &KeyedVectors::has_subwords)
      .def("has_vector", &KeyedVectors::has_vector, py::arg("word"))
      .def("word_vector", [](const KeyedVectors& kv, std::string_view word) {
        return vector_copy(kv.word_vector(word));  // KeyError when there is no vector
      }, py::arg("word"))
      .def("word", [](const KeyedVectors& kv, size_t i) {
        if (i >= kv.size()) throw py::index_error("index " + std::to_string(i) + " out of range");
        return std::string(kv.vocab().word(i));
      })
      .def("words", [](const KeyedVectors& kv) {
        py::list words(kv.size());
        for (size_t i = 0; i < kv.size(); ++i) {
          std::string_view w = kv.vocab().word(i);
          words[i] = py::str(w.data(), w.size());
        }
        return words;
      })
      .def("counts", [](const KeyedVectors& kv) -> std::optional<std::vector<uint64_t>> {
        if (!kv.vocab().has_counts()) return std::nullopt;
        return std::vector<uint64_t>(kv.vocab().counts_data(), kv.vocab().counts_data() + kv.size());
      })
      .def("save", &save_file, py::arg("path"), py::arg("format") = "auto", py::arg("labels_path") = "",
           py::arg("threads") = 0, py::arg("dtype") = "f32")
      .def("similarity", [](const KeyedVectors& kv, std::string_view a, std::string_view b,
                            const std::string& metric) {
        Metric m = metric == "dot" ? Metric::Dot : metric == "l2" ? Metric::L2 : Metric::Cosine;
        return similarity(kv, a, b, m);
      }, py::arg("a"), py::arg("b"), py::arg("metric") = "cosine")
      .def("most_similar", [](const KeyedVectors& kv, const std::vector<std::string>& positive,
                              const std::vector<std::string>& negative, size_t topn,
                              size_t restrict_vocab, int threads) {
        py::gil_scoped_release release;
        return to_pairs(most_similar(kv, positive, negative, query_options(topn, restrict_vocab, threads)));
      }, py::arg("positive"), py::arg("negative"), py::arg("topn"), py::arg("restrict_vocab"),
         py::arg("threads") = 0)
      .def("most_similar_cosmul", [](const KeyedVectors& kv, const std::vector<std::string>& positive,
                                     const std::vector<std::string>& negative, size_t topn,
                                     size_t restrict_vocab, int threads) {
        py::gil_scoped_release release;
        return to_pairs(
            most_similar_cosmul(kv, positive, negative, query_options(topn, restrict_vocab, threads)));
      }, py::arg("positive"), py::arg("negative"), py::arg("topn"), py::arg("restrict_vocab"),
         py::arg("threads") = 0)
      .def("similar_by_vector", [](const KeyedVectors& kv, py::handle vector, size_t topn,
                                   size_t restrict_vocab, int threads) {
        auto query = as_float_array(vector, 1, "vector");
        std::span<const float> values(query.data(), static_cast<size_t>(query.shape(0)));
        py::gil_scoped_release release;
        return to_pairs(similar_by_vector(kv, values, query_options(topn, restrict_vocab, threads)));
      }, py::arg("vector"), py::arg("topn"), py::arg("restrict_vocab"), py::arg("threads") = 0)
      .def("doesnt_match", [](const KeyedVectors& kv, const std::vector<std::string>& words) {
        std::vector<std::string> skipped;
        std::string odd = doesnt_match(kv, words, &skipped);
        return std::make_pair(odd, skipped);
      }, py::arg("words"))
      .def("cosines", &cosines, py::arg("vector"), py::arg("rows") = 0, py::arg("threads") = 0)
      .def("evaluate_word_analogies", &evaluate_analogies_gensim, py::arg("path"),
           py::arg("restrict_vocab"), py::arg("case_insensitive"), py::arg("dummy4unknown"),
           py::arg("cosmul") = false, py::arg("threads") = 0)
      .def("evaluate_word_pairs", &evaluate_pairs, py::arg("path"), py::arg("restrict_vocab"),
           py::arg("case_insensitive"), py::arg("dummy4unknown"));

  m.def("load", &load_file, py::arg("path"), py::arg("format") = "auto", py::arg("limit") = 0,
        py::arg("labels_path") = "", py::arg("threads") = 0);
  m.def("spearman", &spearman);
  m.def("pearson", &pearson);
}

}  // namespace embkit::python
