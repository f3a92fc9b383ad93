// Linear probes (probe.h) of a KeyedVectors and the charts of plot.h (scatter, heatmap, loss curve).
// The probe returns the keys of `embkit probe --json`; plots are written atomically by the library.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "arrays.h"
#include "bindings.h"
#include "embkit/error.h"
#include "embkit/keyed_vectors.h"
#include "embkit/heatmap_plot.h"
#include "embkit/loss_plot.h"
#include "embkit/scatter_plot.h"
#include "embkit/probe.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

py::dict probe_result(const ProbeResult& result, double c, bool examples) {
  py::dict d;
  d["accuracy"] = result.accuracy;
  d["macro_f1"] = result.macro_f1;
  d["baseline_accuracy"] = result.baseline_accuracy;
  d["train"] = result.train;
  d["test"] = result.test;
  d["labels"] = result.labels;
  d["oov"] = result.oov.size();
  d["c"] = c;
  d["oov_words"] = result.oov;
  if (examples) {
    py::list list;
    for (const ProbeExample& e : result.examples)
      list.append(py::make_tuple(e.word, e.label, e.test, e.predicted));
    d["examples"] = list;
  }
  return d;
}

ProbeOptions probe_options(double test_fraction, uint64_t seed, double c, double tolerance, int threads) {
  ProbeOptions options;
  options.test_fraction = test_fraction;
  options.seed = seed;
  options.c = c;
  options.tolerance = tolerance;
  options.threads = threads;
  return options;
}

// `words`: (word, label) pairs in file order, or a path of `word label` lines.
py::dict probe(const KeyedVectors& kv, py::handle labels, double test_fraction, uint64_t seed, double c,
               double tolerance, int threads, bool examples) {
  std::vector<LabelledWord> words;
  if (py::isinstance<py::str>(labels)) {
    words = read_labelled_words(labels.cast<std::string>());
  } else {
    size_t line = 0;
    for (py::handle item : labels) {
      auto pair = item.cast<std::pair<std::string, std::string>>();
      words.push_back({pair.first, pair.second, ++line});
    }
    if (words.empty()) throw UsageError("probe: no labelled words");
  }
  ProbeResult result;
  {
    py::gil_scoped_release release;
    result = linear_probe(kv, words, probe_options(test_fraction, seed, c, tolerance, threads));
  }
  return probe_result(result, c, examples);
}

std::vector<Point2> to_points(py::handle value) {
  auto array = as_float_array(value, 2, "points");
  if (array.shape(1) != 2)
    throw py::value_error("points: expected shape (n, 2), got (" + std::to_string(array.shape(0)) + ", " +
                          std::to_string(array.shape(1)) + ")");
  std::vector<Point2> points(static_cast<size_t>(array.shape(0)));
  for (size_t i = 0; i < points.size(); ++i) points[i] = {array.data()[2 * i], array.data()[2 * i + 1]};
  return points;
}

py::dict scatter(const std::string& path, py::handle points_value, const std::vector<std::string>& labels,
                 std::optional<std::vector<int>> groups, const std::string& title,
                 std::vector<std::string> group_names) {
  const std::vector<Point2> points = to_points(points_value);
  std::vector<int> group_ids = groups.value_or(std::vector<int>{});
  if (!group_ids.empty() && group_ids.size() != points.size())
    throw UsageError(std::to_string(group_ids.size()) + " groups for " + std::to_string(points.size()) +
                     " points");
  ScatterOptions options;
  options.title = title;
  options.group_names = std::move(group_names);
  ScatterReport report;
  {
    py::gil_scoped_release release;
    report = plot_scatter(path, points, labels, group_ids, options);
  }
  py::dict d;
  d["labels_placed"] = report.labels_placed;
  d["labels_moved"] = report.labels_moved;
  d["labels_shrunk"] = report.labels_shrunk;
  d["labels_dropped"] = report.labels_dropped;
  return d;
}

void heatmap(const std::string& path, const std::vector<std::string>& labels, py::handle matrix,
             const std::string& title) {
  auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(
      as_float_array(matrix, 2, "matrix"));
  const auto n = static_cast<py::ssize_t>(labels.size());
  if (array.shape(0) != n || array.shape(1) != n)
    throw UsageError("heatmap: the matrix must be " + std::to_string(n) + " x " + std::to_string(n) +
                     " for " + std::to_string(n) + " labels");
  HeatmapOptions options;
  options.title = title;
  std::vector<double> values(array.data(), array.data() + n * n);
  py::gil_scoped_release release;
  plot_heatmap(path, labels, values, options);
}

void loss(const std::string& path, const std::string& loss_csv, const std::string& title) {
  LossPlotOptions options;
  options.title = title;
  py::gil_scoped_release release;
  plot_loss(path, read_loss_log(loss_csv), options);
}

}  // namespace

void bind_analysis(py::module_& m) {
  m.def("probe", &probe, py::arg("kv"), py::arg("labels"), py::arg("test_fraction") = 0.2,
        py::arg("seed") = 1, py::arg("c") = 1.0, py::arg("tolerance") = 0.01, py::arg("threads") = 0,
        py::arg("examples") = false);
  m.def("plot_scatter", &scatter, py::arg("path"), py::arg("points"), py::arg("labels"),
        py::arg("groups") = py::none(), py::arg("title") = "", py::arg("group_names") = std::vector<std::string>{});
  m.def("plot_heatmap", &heatmap, py::arg("path"), py::arg("labels"), py::arg("matrix"),
        py::arg("title") = "cosine similarity");
  m.def("plot_loss", &loss, py::arg("path"), py::arg("loss_csv"), py::arg("title") = "training loss");
}

}  // namespace embkit::python
