// embkit._embkit: the compiled half of the Python package. embkit/__init__.py wraps it with gensim's
// names; everything here is a thin layer over include/embkit/*.h.
#include "bindings.h"

PYBIND11_MODULE(_embkit, m) {
  m.doc() = "embkit's C++ library (the embkit package wraps it; import embkit instead).";
  embkit::python::bind_errors(m);
  embkit::python::bind_keyed_vectors(m);
  embkit::python::bind_training(m);
  embkit::python::bind_documents(m);
  embkit::python::bind_search(m);
  embkit::python::bind_transform(m);
  embkit::python::bind_cluster(m);
  embkit::python::bind_analysis(m);
  embkit::python::bind_index(m);
  embkit::python::bind_options(m);
  embkit::python::bind_classify(m);
}
