// Approximate and compressed search: hnswlib and FAISS indexes over a model (vector_index.h) and exact top-k
// on int8 codes with optional float re-ranking (int8_search.h).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <string>
#include <vector>

#include "arrays.h"
#include "bindings.h"
#include "embkit/error.h"
#include "embkit/int8_search.h"
#include "embkit/keyed_vectors.h"
#include "embkit/vector_index.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

Metric parse_search_metric(const std::string& metric) {
  if (metric == "cosine") return Metric::Cosine;
  if (metric == "dot") return Metric::Dot;
  throw UsageError("metric must be 'cosine' or 'dot', not '" + metric + "'");
}

py::tuple hits_arrays(const std::vector<std::vector<Hit>>& hits, size_t k) {
  size_t found = k;
  for (const auto& row : hits) found = std::min(found, row.size());
  py::array_t<int64_t> ids({hits.size(), found});
  py::array_t<float> scores({hits.size(), found});
  auto id = ids.mutable_unchecked<2>();
  auto score = scores.mutable_unchecked<2>();
  for (size_t q = 0; q < hits.size(); ++q)
    for (size_t j = 0; j < found; ++j) {
      id(q, j) = hits[q][j].id;
      score(q, j) = hits[q][j].score;
    }
  return py::make_tuple(ids, scores);
}

VectorIndex build_index(const KeyedVectors& kv, const std::string& type, const std::string& params,
                        const std::string& metric, uint64_t seed, int threads) {
  IndexBuildOptions options;
  options.type = parse_index_type(type);
  options.metric = parse_search_metric(metric);
  options.params = params;
  options.seed = seed;
  options.threads = threads;
  py::gil_scoped_release release;
  return VectorIndex::build(kv, options);
}

// Neighbours of stored words, as `embkit index search` gives them: the query is the vector the
// index holds for the word, and the word itself is left out.
std::vector<std::vector<std::pair<std::string, float>>> search_words(const VectorIndex& index,
                                                                     const std::vector<std::string>& words,
                                                                     size_t k, int threads) {
  if (k == 0) throw UsageError("k must be at least 1");
  std::vector<uint32_t> ids;
  for (const std::string& word : words) {
    auto id = index.vocab().find(word);
    if (!id) throw KeyError(word);
    ids.push_back(*id);
  }
  Matrix queries(ids.size(), index.dim());
  for (size_t i = 0; i < ids.size(); ++i) {
    std::vector<float> vector = index.reconstruct(ids[i]);
    std::copy(vector.begin(), vector.end(), queries.mutable_row(i));
  }
  std::vector<std::vector<Hit>> hits;
  {
    py::gil_scoped_release release;
    hits = index.search(queries, k + 1, threads);
  }
  std::vector<std::vector<std::pair<std::string, float>>> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i)
    for (const Hit& hit : hits[i]) {
      if (hit.id == ids[i]) continue;
      if (out[i].size() == k) break;
      out[i].emplace_back(std::string(index.vocab().word(hit.id)), hit.score);
    }
  return out;
}

py::tuple search_vectors(const VectorIndex& index, py::handle vectors, size_t k, int threads) {
  if (k == 0) throw UsageError("k must be at least 1");
  Matrix queries = to_matrix(vectors, "queries");
  if (queries.cols() != index.dim())
    throw UsageError("the queries have " + std::to_string(queries.cols()) + " columns but the index has " +
                     std::to_string(index.dim()));
  std::vector<std::vector<Hit>> hits;
  {
    py::gil_scoped_release release;
    hits = index.search(queries, k, threads);
  }
  return hits_arrays(hits, k);
}

void scale_rows_to_unit(Matrix& matrix) {
  for (size_t i = 0; i < matrix.rows(); ++i) {
    float* row = matrix.mutable_row(i);
    double squares = 0;
    for (size_t j = 0; j < matrix.cols(); ++j) squares += double(row[j]) * row[j];
    if (squares == 0) continue;
    const double norm = std::sqrt(squares);
    for (size_t j = 0; j < matrix.cols(); ++j) row[j] = static_cast<float>(row[j] / norm);
  }
}

// rerank < 0: int8 scores only; 0: re-rank 4 k candidates; > 0: that many.
py::tuple int8_search(py::handle base_array, py::handle query_array, size_t k, const std::string& metric,
                      long rerank, int threads) {
  if (k == 0) throw UsageError("k must be at least 1");
  const Metric m = parse_search_metric(metric);
  Matrix base = to_matrix(base_array, "base");
  Matrix queries = to_matrix(query_array, "queries");
  if (base.rows() == 0) throw UsageError("the base matrix has no rows");
  if (base.cols() != queries.cols())
    throw UsageError("the queries have " + std::to_string(queries.cols()) + " columns but the base has " +
                     std::to_string(base.cols()));
  Int8SearchOptions options;
  options.k = k;
  options.rerank = rerank > 0 ? static_cast<size_t>(rerank) : 0;
  options.threads = threads;
  std::vector<std::vector<Hit>> hits;
  {
    py::gil_scoped_release release;
    Int8Index index = Int8Index::build(base, m, threads);
    if (m == Metric::Cosine) scale_rows_to_unit(base);  // the rows the index was built from
    hits = int8_top_k(index, queries, options, rerank < 0 ? nullptr : &base);
  }
  return hits_arrays(hits, k);
}

}  // namespace

void bind_index(py::module_& m) {
  py::class_<VectorIndex>(m, "VectorIndex", "An hnswlib or FAISS index over a model's rows (C++ object).")
      .def_static("build", &build_index, py::arg("kv"), py::arg("type") = "flat", py::arg("params") = "",
                  py::arg("metric") = "cosine", py::arg("seed") = 1, py::arg("threads") = 0)
      .def_static("load", [](const std::string& path) {
        py::gil_scoped_release release;
        return VectorIndex::load(path);
      }, py::arg("path"))
      .def("save", [](const VectorIndex& index, const std::string& path) {
        py::gil_scoped_release release;
        index.save(path);
      }, py::arg("path"))
      .def("set_search_params", &VectorIndex::set_search_params, py::arg("params"))
      .def("search_words", &search_words, py::arg("words"), py::arg("k") = 10, py::arg("threads") = 0)
      .def("search_vectors", &search_vectors, py::arg("vectors"), py::arg("k") = 10, py::arg("threads") = 0)
      .def("reconstruct", [](const VectorIndex& index, uint32_t id) {
        if (id >= index.rows()) throw py::index_error("row " + std::to_string(id) + " out of range");
        return vector_copy(index.reconstruct(id));
      }, py::arg("row"))
      .def("word", [](const VectorIndex& index, uint32_t id) {
        if (id >= index.rows()) throw py::index_error("row " + std::to_string(id) + " out of range");
        return std::string(index.vocab().word(id));
      })
      .def_property_readonly("type", [](const VectorIndex& i) { return std::string(index_type_name(i.type())); })
      .def_property_readonly("metric", [](const VectorIndex& i) {
        return std::string(i.metric() == Metric::Dot ? "dot" : "cosine");
      })
      .def_property_readonly("params", &VectorIndex::params)
      .def("__len__", &VectorIndex::rows)
      .def_property_readonly("dim", &VectorIndex::dim);
  m.def("int8_top_k", &int8_search, py::arg("base"), py::arg("queries"), py::arg("k") = 10,
        py::arg("metric") = "cosine", py::arg("rerank") = 0, py::arg("threads") = 0);
}

}  // namespace embkit::python
