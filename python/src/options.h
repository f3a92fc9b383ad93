// Option tables in Python: keyword arguments checked against a table (embkit/options.h) the way
// Python checks a function's parameters.
#pragma once

#include <pybind11/pybind11.h>

#include <string_view>

#include "embkit/options.h"

namespace embkit::python {

// The keyword arguments of `function` (for example "train") for `algorithm`. None counts as not
// given. Raises TypeError for an unknown name ("train() got an unexpected keyword argument 'windw'
// (did you mean 'window'?)"), a name the algorithm does not take or a value of the wrong type, and
// ValueError naming the option and its range for a value outside it.
OptionValues option_values_from_kwargs(const OptionTable& table, std::string_view function,
                                       std::string_view algorithm, const pybind11::dict& kwargs);

}  // namespace embkit::python
