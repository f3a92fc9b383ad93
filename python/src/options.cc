// embkit.option_schema(command) and the keyword-argument reader every binding with an option table
// uses.
#include "options.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "bindings.h"
#include "embkit/classify_options.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

std::string type_name_of(py::handle value) { return py::str(py::type::of(value).attr("__name__")); }

bool is_whole_number(py::handle value) {
  return !py::isinstance<py::bool_>(value) && PyIndex_Check(value.ptr());
}

// The value as the option's type; TypeError or ValueError naming the option otherwise.
OptionValue typed_value(const OptionSpec& spec, std::string_view function, py::handle value) {
  auto wrong_type = [&](std::string_view wanted) {
    return py::type_error(fmt::format("{}(): {} must be {}, not {}", function, spec.name, wanted,
                                      type_name_of(value)));
  };
  auto out_of_range = [&] {
    return py::value_error(fmt::format("{}(): {}={} is out of range {}", function, spec.name,
                                       py::repr(value).cast<std::string>(), describe_range(spec)));
  };
  switch (spec.type) {
    case OptionType::Bool:
      if (!py::isinstance<py::bool_>(value)) throw wrong_type("a bool");
      return value.cast<bool>();
    case OptionType::Integer:
    case OptionType::Unsigned: {
      if (!is_whole_number(value)) throw wrong_type("an int");
      py::int_ number = py::reinterpret_steal<py::int_>(PyNumber_Index(value.ptr()));
      if (spec.type == OptionType::Integer) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(number.ptr(), &overflow);
        if (overflow) throw out_of_range();
        return int64_t{v};
      }
      if (number < py::int_(0)) throw out_of_range();
      unsigned long long v = PyLong_AsUnsignedLongLong(number.ptr());
      if (PyErr_Occurred()) {
        PyErr_Clear();
        throw out_of_range();
      }
      return uint64_t{v};
    }
    case OptionType::Real:
      if (py::isinstance<py::bool_>(value) ||
          !(py::isinstance<py::float_>(value) || is_whole_number(value)))
        throw wrong_type("a number");
      return value.cast<double>();
    case OptionType::String:
      if (py::hasattr(value, "__fspath__"))
        return py::str(py::module_::import("os").attr("fspath")(value)).cast<std::string>();
      if (!py::isinstance<py::str>(value)) throw wrong_type("a str");
      return value.cast<std::string>();
    case OptionType::Choice:
      if (!py::isinstance<py::str>(value)) throw wrong_type("a str");
      return value.cast<std::string>();
  }
  throw wrong_type("a value");
}

py::object option_schema_of(const std::string& command) {
  const OptionTable* table = command == "train"               ? &train_option_table()
                             : command == "index build"       ? &index_option_table()
                             : command == "cooccur"           ? &cooccur_option_table()
                             : command == "classify train"    ? &classify_option_table()
                             : command == "classify quantize" ? &classify_quantize_option_table()
                                                              : nullptr;
  if (!table)
    throw py::value_error(
        "option_schema(): command must be 'train', 'index build', 'cooccur', 'classify train' or "
        "'classify quantize', not '" + command + "'");
  return py::module_::import("json").attr("loads")(option_schema(*table).dump());
}

}  // namespace

OptionValues option_values_from_kwargs(const OptionTable& table, std::string_view function,
                                       std::string_view algorithm, const py::dict& kwargs) {
  OptionValues values;
  for (auto [key, value] : kwargs) {
    const std::string name = py::str(key);
    const OptionSpec* spec = table.find(name);
    if (!spec || spec->cli_only || spec->name == table.selector)
      throw py::type_error(fmt::format("{}() got an unexpected keyword argument '{}'{}", function,
                                       name, unknown_name_hint(table, name)));
    if (!spec->applies_to(algorithm))
      throw py::type_error(fmt::format("{}(): option '{}' does not apply to {} '{}' (only {})",
                                       function, name, table.selector, algorithm,
                                       fmt::join(spec->algorithms, ", ")));
    if (value.is_none()) continue;
    OptionValue typed = typed_value(*spec, function, value);
    if (std::string problem = option_value_problem(*spec, typed); !problem.empty())
      throw py::value_error(fmt::format("{}(): {}={} {}", function, name,
                                        py::repr(value).cast<std::string>(), problem));
    values[spec->name] = std::move(typed);
  }
  return values;
}

void bind_options(py::module_& m) {
  m.def("option_schema", &option_schema_of, py::arg("command"),
        "The options of a command ('train', 'index build', 'cooccur'): name, type, default by algorithm, "
        "range, help.");
}

}  // namespace embkit::python
