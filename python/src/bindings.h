// The pieces of the extension module embkit._embkit, one function per area of the library. New areas
// (transforms, clustering, probes, plots) add a bind_<area>() here, a <area>.cc beside it and one
// call in module.cc.
#pragma once

#include <pybind11/pybind11.h>

namespace embkit::python {

void bind_errors(pybind11::module_& m);
void bind_keyed_vectors(pybind11::module_& m);
void bind_training(pybind11::module_& m);
void bind_documents(pybind11::module_& m);
void bind_search(pybind11::module_& m);
void bind_transform(pybind11::module_& m);
void bind_cluster(pybind11::module_& m);
void bind_analysis(pybind11::module_& m);
void bind_index(pybind11::module_& m);
void bind_options(pybind11::module_& m);
void bind_classify(pybind11::module_& m);

}  // namespace embkit::python
