// Exact top-k search (embkit/exact_search.h) over a NumPy base matrix for a NumPy query matrix: inner product,
// cosine (both sides scaled to unit length first) or squared L2 distance.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cmath>
#include <string>

#include "arrays.h"
#include "bindings.h"
#include "embkit/error.h"
#include "embkit/exact_search.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

void scale_rows_to_unit(Matrix& matrix) {
  for (size_t i = 0; i < matrix.rows(); ++i) {
    float* row = matrix.mutable_row(i);
    double squares = 0;
    for (size_t j = 0; j < matrix.cols(); ++j) squares += double(row[j]) * row[j];
    if (squares == 0) continue;  // zero rows stay zero (cosine 0 with everything)
    const double norm = std::sqrt(squares);
    for (size_t j = 0; j < matrix.cols(); ++j) row[j] = static_cast<float>(row[j] / norm);
  }
}

py::tuple top_k(py::handle base_array, py::handle query_array, size_t k, const std::string& metric,
                int threads) {
  if (metric != "dot" && metric != "cosine" && metric != "l2")
    throw UsageError("metric must be 'dot', 'cosine' or 'l2', not '" + metric + "'");
  if (k == 0) throw UsageError("k must be at least 1");
  Matrix base = to_matrix(base_array, "base");
  Matrix queries = to_matrix(query_array, "queries");
  if (base.cols() != queries.cols())
    throw UsageError("the queries have " + std::to_string(queries.cols()) + " columns but the base has " +
                     std::to_string(base.cols()));
  if (base.rows() == 0) throw UsageError("the base matrix has no rows");
  SearchOptions options;
  options.k = k;
  options.threads = threads;
  std::vector<std::vector<Hit>> hits;
  {
    py::gil_scoped_release release;
    if (metric == "cosine") {
      scale_rows_to_unit(base);
      scale_rows_to_unit(queries);
    }
    hits = metric == "l2" ? top_k_l2(base, queries, options) : top_k_inner_product(base, queries, options);
  }
  const size_t found = std::min(k, base.rows());
  py::array_t<int64_t> ids({queries.rows(), found});
  py::array_t<float> scores({queries.rows(), found});
  auto id = ids.mutable_unchecked<2>();
  auto score = scores.mutable_unchecked<2>();
  for (size_t q = 0; q < hits.size(); ++q)
    for (size_t j = 0; j < found; ++j) {
      id(q, j) = hits[q][j].id;
      score(q, j) = hits[q][j].score;
    }
  return py::make_tuple(ids, scores);
}

}  // namespace

void bind_search(py::module_& m) {
  m.def("top_k", &top_k, py::arg("base"), py::arg("queries"), py::arg("k") = 10,
        py::arg("metric") = "cosine", py::arg("threads") = 0);
}

}  // namespace embkit::python
