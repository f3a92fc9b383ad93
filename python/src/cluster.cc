// Clustering and maps of vectors: k-means (kmeans.h), the silhouette score (silhouette.h) and t-SNE
// (tsne.h) over NumPy arrays. All three release the GIL while they run; results are owned copies.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <string>
#include <vector>

#include "arrays.h"
#include "bindings.h"
#include "embkit/error.h"
#include "embkit/kmeans.h"
#include "embkit/silhouette.h"
#include "embkit/tsne.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

ClusterMetric parse_metric(const std::string& metric) {
  if (metric == "cosine") return ClusterMetric::Cosine;
  if (metric == "l2" || metric == "euclidean") return ClusterMetric::Euclidean;
  throw UsageError("metric must be 'cosine' or 'euclidean' ('l2'), not '" + metric + "'");
}

py::dict run_kmeans(py::handle array, size_t k, const std::string& metric, size_t restarts,
                    size_t max_iter, double tol, uint64_t seed, int threads) {
  KMeansOptions options;
  options.k = k;
  options.metric = parse_metric(metric);
  options.restarts = restarts;
  options.max_iterations = max_iter;
  options.tol = tol;
  options.seed = seed;
  options.threads = threads;
  Matrix x = to_matrix(array, "array");
  KMeansResult result;
  {
    py::gil_scoped_release release;
    result = kmeans(x, options);
  }
  py::array_t<int32_t> labels(result.labels.size());
  int32_t* out = labels.mutable_data();
  for (size_t i = 0; i < result.labels.size(); ++i) out[i] = static_cast<int32_t>(result.labels[i]);
  py::dict d;
  d["centroids"] = matrix_copy(result.centroids);
  d["labels"] = labels;
  d["distances"] = vector_copy(result.distances);
  d["sizes"] = result.sizes;
  d["inertia"] = result.inertia;
  d["iterations"] = result.iterations;
  d["restart"] = result.restart;
  d["converged"] = result.converged;
  return d;
}

std::vector<uint32_t> to_labels(py::handle value, size_t rows) {
  py::array any = py::module_::import("numpy").attr("asarray")(value);
  const char kind = any.dtype().kind();
  if (kind != 'i' && kind != 'u')
    throw py::type_error("labels: expected an integer array, got dtype " +
                         py::str(any.dtype()).cast<std::string>());
  if (any.ndim() != 1)
    throw py::value_error("labels: expected a 1-D array, got shape " +
                          py::str(any.attr("shape")).cast<std::string>());
  auto wide = py::array_t<int64_t, py::array::c_style | py::array::forcecast>::ensure(any);
  if (static_cast<size_t>(wide.shape(0)) != rows)
    throw UsageError(std::to_string(wide.shape(0)) + " labels for " + std::to_string(rows) + " rows");
  std::vector<uint32_t> labels(rows);
  for (size_t i = 0; i < rows; ++i) {
    const int64_t v = wide.data()[i];
    if (v < 0 || v > int64_t(UINT32_MAX))
      throw UsageError("label " + std::to_string(v) + " of row " + std::to_string(i) + " is negative or too large");
    labels[i] = static_cast<uint32_t>(v);
  }
  return labels;
}

double silhouette(py::handle array, py::handle labels_value, const std::string& metric,
                  size_t sample_size, uint64_t seed, int threads) {
  Matrix x = to_matrix(array, "array");
  const std::vector<uint32_t> labels = to_labels(labels_value, x.rows());
  SilhouetteOptions options;
  options.metric = parse_metric(metric);
  options.sample_size = sample_size;
  options.seed = seed;
  options.threads = threads;
  py::gil_scoped_release release;
  return silhouette_score(x, labels, options);
}

py::tuple run_tsne(py::handle array, double perplexity, size_t iterations, uint64_t seed, int threads,
                   double theta, double learning_rate, size_t exact_max_points) {
  Matrix x = to_matrix(array, "array");
  TsneOptions options;
  options.perplexity = perplexity;
  options.iterations = iterations;
  options.seed = seed;
  options.threads = threads;
  options.theta = theta;
  options.learning_rate = learning_rate;
  options.exact_max_points = exact_max_points;
  TsneResult result;
  {
    py::gil_scoped_release release;
    result = tsne(x, options);
  }
  py::array_t<float> map({x.rows(), size_t{2}});
  float* out = map.mutable_data();
  for (size_t i = 0; i < result.embedding.size(); ++i) out[i] = static_cast<float>(result.embedding[i]);
  return py::make_tuple(map, result.final_kl, result.kl_history);
}

}  // namespace

void bind_cluster(py::module_& m) {
  m.def("kmeans", &run_kmeans, py::arg("array"), py::arg("k"), py::arg("metric") = "cosine",
        py::arg("restarts") = 1, py::arg("max_iter") = 300, py::arg("tol") = 1e-4, py::arg("seed") = 1,
        py::arg("threads") = 0);
  m.def("silhouette_score", &silhouette, py::arg("array"), py::arg("labels"), py::arg("metric") = "cosine",
        py::arg("sample_size") = 10000, py::arg("seed") = 1, py::arg("threads") = 0);
  m.def("tsne", &run_tsne, py::arg("array"), py::arg("perplexity") = 30.0, py::arg("iterations") = 1000,
        py::arg("seed") = 1, py::arg("threads") = 0, py::arg("theta") = 0.5, py::arg("learning_rate") = 0.0,
        py::arg("exact_max_points") = 5000);
}

}  // namespace embkit::python
