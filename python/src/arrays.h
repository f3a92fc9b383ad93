// Conversions between NumPy arrays and embkit's matrices. Inputs are converted once to C-contiguous
// float32 (any real or integer dtype); dtypes that cannot be (strings, objects, complex) raise
// TypeError. Outputs are either read-only views of a model's padded rows (strides = the row stride)
// or compact C-contiguous float32 arrays that own a copy.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <span>
#include <vector>

#include "embkit/matrix.h"

namespace embkit::python {

namespace py = pybind11;

// `value` (an array or anything np.asarray accepts) as a C-contiguous float32 array of `ndim`
// dimensions (1 or 2); `what` names the argument in errors.
py::array_t<float, py::array::c_style> as_float_array(py::handle value, int ndim, const char* what);
// A 2-D input copied into an owned, padded Matrix.
Matrix to_matrix(py::handle value, const char* what);
// A read-only (rows x cols) view of `matrix`'s memory that keeps `owner` alive.
py::array matrix_view(const Matrix& matrix, py::handle owner);
py::array vector_view(const float* data, size_t size, py::handle owner);
// A compact copy.
py::array_t<float> matrix_copy(const Matrix& matrix);
py::array_t<float> vector_copy(std::span<const float> values);

}  // namespace embkit::python
