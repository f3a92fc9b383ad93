#include "arrays.h"

#include <cstring>
#include <string>

namespace embkit::python {

namespace {

void make_read_only(py::array& array) {
  py::detail::array_proxy(array.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
}

}  // namespace

py::array_t<float, py::array::c_style> as_float_array(py::handle value, int ndim, const char* what) {
  py::module_ numpy = py::module_::import("numpy");
  py::array array = numpy.attr("asarray")(value);
  const char kind = array.dtype().kind();
  // b: bool, i/u: integers, f: floats; everything else (complex, strings, objects, dates) is refused.
  if (kind != 'b' && kind != 'i' && kind != 'u' && kind != 'f')
    throw py::type_error(std::string(what) + ": expected an array of real numbers, got dtype " +
                         py::str(array.dtype()).cast<std::string>());
  if (array.ndim() != ndim)
    throw py::value_error(std::string(what) + ": expected a " + std::to_string(ndim) +
                          "-D array, got shape " + py::str(array.attr("shape")).cast<std::string>());
  return py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(array);
}

Matrix to_matrix(py::handle value, const char* what) {
  auto array = as_float_array(value, 2, what);
  const auto rows = static_cast<size_t>(array.shape(0));
  const auto cols = static_cast<size_t>(array.shape(1));
  Matrix matrix(rows, cols);
  const float* source = array.data();
  for (size_t i = 0; i < rows; ++i) std::memcpy(matrix.mutable_row(i), source + i * cols, cols * sizeof(float));
  return matrix;
}

py::array matrix_view(const Matrix& matrix, py::handle owner) {
  const auto item = static_cast<py::ssize_t>(sizeof(float));
  py::array array(py::dtype::of<float>(),
                  {static_cast<py::ssize_t>(matrix.rows()), static_cast<py::ssize_t>(matrix.cols())},
                  {static_cast<py::ssize_t>(matrix.stride()) * item, item}, matrix.data(), owner);
  make_read_only(array);
  return array;
}

py::array vector_view(const float* data, size_t size, py::handle owner) {
  py::array array(py::dtype::of<float>(), {static_cast<py::ssize_t>(size)},
                  {static_cast<py::ssize_t>(sizeof(float))}, data, owner);
  make_read_only(array);
  return array;
}

py::array_t<float> matrix_copy(const Matrix& matrix) {
  py::array_t<float> array({matrix.rows(), matrix.cols()});
  float* out = array.mutable_data();
  for (size_t i = 0; i < matrix.rows(); ++i)
    std::memcpy(out + i * matrix.cols(), matrix.row(i), matrix.cols() * sizeof(float));
  return array;
}

py::array_t<float> vector_copy(std::span<const float> values) {
  py::array_t<float> array(values.size());
  if (!values.empty()) std::memcpy(array.mutable_data(), values.data(), values.size() * sizeof(float));
  return array;
}

}  // namespace embkit::python
