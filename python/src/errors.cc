// embkit's exceptions as Python exceptions with the same messages: KeyError (unknown word), ValueError
// (UsageError: bad shape or value), embkit.IoError (an OSError: a file that cannot be read or
// written) and embkit.FormatError (a ValueError: a file whose content is wrong).
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "embkit/error.h"

namespace embkit::python {

namespace py = pybind11;

void bind_errors(py::module_& m) {
  static py::exception<FormatError> format_error(m, "FormatError", PyExc_ValueError);
  static py::exception<IoError> io_error(m, "IoError", PyExc_OSError);
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const FormatError& e) {
      format_error(e.what());
    } catch (const IoError& e) {
      io_error(e.what());
    } catch (const KeyError& e) {
      PyErr_SetString(PyExc_KeyError, e.what());
    } catch (const UsageError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const Error& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });
}

}  // namespace embkit::python
