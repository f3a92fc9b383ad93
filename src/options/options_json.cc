// Option tables and JSON: request objects applied to option values, and the description of a table
// that clients (the HTTP server's) read to build their forms and checks.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "embkit/error.h"
#include "embkit/options.h"

namespace embkit {
namespace {

nlohmann::json to_json(const OptionValue& value) {
  return std::visit([](const auto& v) { return nlohmann::json(v); }, value);
}

// The JSON value as the option's type, or nullopt when it has another type (a whole number is fine
// for a real, a non-negative one for an integer).
std::optional<OptionValue> from_json(const OptionSpec& spec, const nlohmann::json& value) {
  switch (spec.type) {
    case OptionType::Bool:
      if (value.is_boolean()) return value.get<bool>();
      break;
    case OptionType::Integer:
      if (value.is_number_integer()) {
        if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(INT64_MAX))
          return double(value.get<uint64_t>());
        return value.get<int64_t>();
      }
      break;
    case OptionType::Unsigned:
      if (value.is_number_unsigned()) return value.get<uint64_t>();
      break;
    case OptionType::Real:
      if (value.is_number()) return value.get<double>();
      break;
    case OptionType::String:
    case OptionType::Choice:
      if (value.is_string()) return value.get<std::string>();
      break;
  }
  return std::nullopt;
}

std::string type_wanted(const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::Bool:
      return "true or false";
    case OptionType::Integer:
      return "a whole number";
    case OptionType::Unsigned:
      return "a whole number >= 0";
    case OptionType::Real:
      return "a number";
    case OptionType::String:
      return "a string";
    case OptionType::Choice:
      return fmt::format("one of {}", fmt::join(spec.choices, ", "));
  }
  return "a value";
}

}  // namespace

OptionValues option_values_from_json(const OptionTable& table, const nlohmann::json& object) {
  if (!object.is_object())
    throw UsageError(fmt::format("{}: the options must be a JSON object", table.command));
  OptionValues values;
  std::string algorithm = table.algorithms.empty() ? "" : table.algorithms.front();
  if (const OptionSpec* selector = table.find(table.selector);
      selector && selector->defaults.count(""))
    algorithm = format_option_value(selector->defaults.at(""));
  if (auto given = object.find(table.selector); !table.selector.empty() && given != object.end()) {
    if (!given->is_string() || std::find(table.algorithms.begin(), table.algorithms.end(),
                                         given->get<std::string>()) == table.algorithms.end())
      throw UsageError(fmt::format("{}: field '{}' must be one of {}, got {}", table.command,
                                   table.selector, fmt::join(table.algorithms, ", "),
                                   given->dump()));
    algorithm = given->get<std::string>();
    values[table.selector] = algorithm;
  }
  for (const auto& [field, value] : object.items()) {
    if (field == table.selector) continue;
    const OptionSpec* spec = table.find(field);
    if (!spec || spec->cli_only)
      throw UsageError(fmt::format("{}: unknown field '{}'{}", table.command, field,
                                   unknown_name_hint(table, field)));
    if (!spec->applies_to(algorithm))
      throw UsageError(fmt::format("{}: field '{}' does not apply to {} {} (only {})",
                                   table.command, field, table.selector, algorithm,
                                   fmt::join(spec->algorithms, ", ")));
    if (value.is_null()) continue;
    std::optional<OptionValue> typed = from_json(*spec, value);
    if (!typed)
      throw UsageError(fmt::format("{}: field '{}' wants {}, got {}", table.command, field,
                                   type_wanted(*spec), value.dump()));
    if (std::string problem = option_value_problem(*spec, *typed); !problem.empty())
      throw UsageError(
          fmt::format("{}: field '{}' {} {}", table.command, field, value.dump(), problem));
    values[spec->name] = std::move(*typed);
  }
  return values;
}

nlohmann::json option_schema(const OptionTable& table) {
  nlohmann::json options = nlohmann::json::array();
  for (const OptionSpec& spec : table.options) {
    nlohmann::json defaults = nlohmann::json::object();
    for (const auto& [algorithm, value] : spec.defaults)
      defaults[algorithm.empty() ? "*" : algorithm] = to_json(value);
    nlohmann::json entry = {
        {"name", spec.name},
        {"flag", spec.flag()},
        {"type", std::string(option_type_name(spec.type))},
        {"help", spec.help},
        {"algorithms", spec.algorithms.empty() ? table.algorithms : spec.algorithms},
        {"default", defaults},
        {"cli_only", spec.cli_only}};
    if (!spec.default_note.empty()) entry["default_note"] = spec.default_note;
    if (std::isfinite(spec.min)) entry["min"] = spec.min;
    if (std::isfinite(spec.max)) entry["max"] = spec.max;
    if (!spec.choices.empty()) entry["choices"] = spec.choices;
    if (!spec.aliases.empty()) entry["aliases"] = spec.aliases;
    options.push_back(std::move(entry));
  }
  return {{"command", table.command},
          {"selector", table.selector},
          {"algorithms", table.algorithms},
          {"options", options}};
}

}  // namespace embkit
