// Post-processing of vectors (transform.h, pca.h, anisotropy.h, random_projection.h) and int8
// storage (quantize.h). The embkit package (embkit/_transform.py) accepts KeyedVectors or arrays;
// this layer sees only arrays. Every array returned is a compact copy the caller owns.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <string>
#include <vector>

#include "arrays.h"
#include "bindings.h"
#include "embkit/anisotropy.h"
#include "embkit/error.h"
#include "embkit/pca.h"
#include "embkit/quantize.h"
#include "embkit/random_projection.h"
#include "embkit/transform.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

py::array_t<double> doubles(const std::vector<double>& values) {
  py::array_t<double> array(values.size());
  if (!values.empty()) std::memcpy(array.mutable_data(), values.data(), values.size() * sizeof(double));
  return array;
}

py::array_t<float> affine_weights(const AffineMap& map) {
  py::array_t<float> array({map.out_dim, map.in_dim});
  float* out = array.mutable_data();
  if (map.weights.empty()) {  // identity
    std::fill(out, out + map.out_dim * map.in_dim, 0.0f);
    for (size_t i = 0; i < map.out_dim; ++i) out[i * map.in_dim + i] = 1.0f;
  } else {
    std::memcpy(out, map.weights.data(), map.weights.size() * sizeof(float));
  }
  return array;
}

py::dict report_dict(const StepReport& report) {
  py::dict d;
  d["step"] = report.step;
  d["what"] = report.what;
  d["dim_in"] = report.dim_in;
  d["dim_out"] = report.dim_out;
  d["anisotropy_before"] = report.anisotropy_before;
  d["anisotropy_after"] = report.anisotropy_after;
  d["explained_variance_ratio"] = report.explained_variance_ratio;
  d["seconds"] = report.seconds;
  return d;
}

// (transform, output array, list of step report dicts)
py::tuple fit(py::handle array, const std::string& steps, uint64_t seed, int threads, size_t pairs) {
  const std::vector<StepSpec> specs = parse_steps(steps);
  Matrix x = to_matrix(array, "vectors");
  TransformOptions options;
  options.seed = seed;
  options.threads = threads;
  options.anisotropy_pairs = pairs;
  FittedTransform fitted;
  {
    py::gil_scoped_release release;
    fitted = fit_transform(x, specs, options);
  }
  py::list reports;
  for (const StepReport& report : fitted.reports) reports.append(report_dict(report));
  return py::make_tuple(std::move(fitted.transform), matrix_copy(fitted.output), reports);
}

py::array_t<float> apply(const Transform& transform, py::handle array, int threads) {
  Matrix x = to_matrix(array, "vectors");
  Matrix y;
  {
    py::gil_scoped_release release;
    y = transform.apply(x, threads);
  }
  return matrix_copy(y);
}

py::dict pca(py::handle array, size_t k, int threads) {
  Matrix x = to_matrix(array, "array");
  Pca fitted;
  Matrix projected;
  {
    py::gil_scoped_release release;
    fitted = fit_pca(x, k, threads);
    projected = fitted.projection.apply(x, threads);
  }
  py::dict d;
  d["components"] = affine_weights(fitted.projection);
  std::vector<float> mean = fitted.projection.shift;
  if (mean.empty()) mean.assign(fitted.projection.in_dim, 0.0f);
  d["mean"] = vector_copy(mean);
  d["explained_variance"] = doubles(fitted.explained_variance);
  d["explained_variance_ratio"] = doubles(fitted.explained_variance_ratio);
  d["projection"] = matrix_copy(projected);
  return d;
}

double anisotropy_of(py::handle array, size_t pairs, uint64_t seed, int threads) {
  Matrix x = to_matrix(array, "array");
  AnisotropyOptions options;
  options.pairs = pairs;
  options.seed = seed;
  options.threads = threads;
  py::gil_scoped_release release;
  return anisotropy(x, options);
}

py::array_t<float> projection_matrix(size_t in_dim, size_t k, const std::string& kind, uint64_t seed) {
  RandomProjectionOptions options;
  options.components = k;
  options.kind = parse_random_projection_kind(kind);
  options.seed = seed;
  return affine_weights(random_projection(in_dim, options));
}

py::tuple quantize(py::handle array, int threads) {
  Matrix x = to_matrix(array, "array");
  Int8Matrix codes;
  {
    py::gil_scoped_release release;
    codes = quantize_int8(x, threads);
  }
  py::array_t<int8_t> out({codes.rows(), codes.cols()});
  int8_t* data = out.mutable_data();
  for (size_t i = 0; i < codes.rows(); ++i) std::memcpy(data + i * codes.cols(), codes.row(i), codes.cols());
  return py::make_tuple(out, vector_copy(codes.scales()));
}

py::array_t<float> dequantize_codes(py::handle codes_value, py::handle scales_value, int threads) {
  py::array codes_any = py::module_::import("numpy").attr("asarray")(codes_value);
  if (codes_any.dtype().kind() != 'i' && codes_any.dtype().kind() != 'u')
    throw py::type_error("codes: expected an integer array, got dtype " +
                         py::str(codes_any.dtype()).cast<std::string>());
  if (codes_any.ndim() != 2)
    throw py::value_error("codes: expected a 2-D array, got shape " +
                          py::str(codes_any.attr("shape")).cast<std::string>());
  auto scales = as_float_array(scales_value, 1, "scales");
  auto wide = py::array_t<int64_t, py::array::c_style | py::array::forcecast>::ensure(codes_any);
  const auto rows = static_cast<size_t>(wide.shape(0));
  const auto cols = static_cast<size_t>(wide.shape(1));
  if (static_cast<size_t>(scales.shape(0)) != cols)
    throw UsageError("dequantize: " + std::to_string(scales.shape(0)) + " scales for " +
                     std::to_string(cols) + " columns");
  Int8Matrix codes(rows, cols);
  const int64_t* source = wide.data();
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < cols; ++j) {
      const int64_t v = source[i * cols + j];
      if (v < -127 || v > 127)
        throw UsageError("dequantize: code " + std::to_string(v) + " at row " + std::to_string(i) +
                         ", column " + std::to_string(j) + " is outside [-127, 127]");
      codes.mutable_row(i)[j] = static_cast<int8_t>(v);
    }
  codes.mutable_scales().assign(scales.data(), scales.data() + cols);
  Matrix out;
  {
    py::gil_scoped_release release;
    out = dequantize(codes, threads);
  }
  return matrix_copy(out);
}

}  // namespace

void bind_transform(py::module_& m) {
  py::class_<Transform>(m, "Transform", "A fitted transform pipeline (C++ object).")
      .def_property_readonly("in_dim", &Transform::in_dim)
      .def_property_readonly("out_dim", &Transform::out_dim)
      .def("steps", [](const Transform& t) {
        std::vector<std::string> steps;
        for (const FittedStep& step : t.steps) steps.push_back(step.spec.text);
        return steps;
      })
      .def("apply", &apply, py::arg("vectors"), py::arg("threads") = 0)
      .def("save", [](const Transform& t, const std::string& path) {
        py::gil_scoped_release release;
        save_transform(t, path);
      }, py::arg("path"));
  m.def("load_transform", [](const std::string& path) {
    py::gil_scoped_release release;
    return load_transform(path);
  }, py::arg("path"));
  m.def("fit_transform", &fit, py::arg("vectors"), py::arg("steps"), py::arg("seed") = 1,
        py::arg("threads") = 0, py::arg("pairs") = 10000);
  m.def("pca", &pca, py::arg("array"), py::arg("k"), py::arg("threads") = 0);
  m.def("anisotropy", &anisotropy_of, py::arg("array"), py::arg("pairs") = 10000, py::arg("seed") = 1,
        py::arg("threads") = 0);
  m.def("jl_min_dim", &jl_min_dim, py::arg("n"), py::arg("eps"));
  m.def("random_projection", &projection_matrix, py::arg("in_dim"), py::arg("k"),
        py::arg("kind") = "gaussian", py::arg("seed") = 1);
  m.def("quantize_int8", &quantize, py::arg("array"), py::arg("threads") = 0);
  m.def("dequantize", &dequantize_codes, py::arg("codes"), py::arg("scales"), py::arg("threads") = 0);
}

}  // namespace embkit::python
