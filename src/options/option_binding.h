// Option table entries bound to the members of a command's settings struct: the binding both reads
// the default off a default-constructed struct and writes a given value into it, so the struct's
// member initializer is the only place a default is written.
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "embkit/options.h"

namespace embkit::options {

template <typename Settings>
struct Binding {
  std::vector<std::string> algorithms;  // the algorithms whose member this is; empty: all
  std::function<OptionValue(const Settings&)> get;
  std::function<void(Settings&, const OptionValue&)> set;

  bool covers(std::string_view algorithm) const {
    return algorithms.empty() ||
           std::find(algorithms.begin(), algorithms.end(), algorithm) != algorithms.end();
  }
};

template <typename Settings>
struct BoundOption {
  OptionSpec spec;
  std::vector<Binding<Settings>> bindings;
};

template <typename T>
OptionValue to_option_value(const T& value) {
  if constexpr (std::is_same_v<T, bool>)
    return value;
  else if constexpr (std::is_same_v<T, std::string>)
    return value;
  else if constexpr (std::is_floating_point_v<T>)
    return static_cast<double>(value);
  else if constexpr (std::is_signed_v<T>)
    return static_cast<int64_t>(value);
  else
    return static_cast<uint64_t>(value);
}

// Values reaching here were checked against the table (type and range), so the casts keep them.
template <typename T>
void from_option_value(const OptionValue& value, T& out) {
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string> || std::is_same_v<V, std::string>) {
          if constexpr (std::is_same_v<T, V>) out = v;
        } else {
          out = static_cast<T>(v);
        }
      },
      value);
}

// A member reached by `access(settings)` (a generic lambda returning a reference, used for const
// and non-const settings alike).
template <typename Settings, typename Access>
Binding<Settings> bind(std::vector<std::string> algorithms, Access access) {
  return {std::move(algorithms), [access](const Settings& s) { return to_option_value(access(s)); },
          [access](Settings& s, const OptionValue& v) { from_option_value(v, access(s)); }};
}

// A member holding one of a few values, each named by a choice.
template <typename Settings, typename Access, typename T>
Binding<Settings> bind_choice(std::vector<std::string> algorithms, Access access,
                              std::vector<std::pair<std::string, T>> names) {
  return {std::move(algorithms),
          [access, names](const Settings& s) -> OptionValue {
            for (const auto& [name, value] : names)
              if (access(s) == value) return name;
            return std::string();
          },
          [access, names](Settings& s, const OptionValue& v) {
            for (const auto& [name, value] : names)
              if (name == std::get<std::string>(v)) access(s) = value;
          }};
}

// The table of bound options: every spec with its defaults by algorithm, read off
// `defaults_for(algorithm)` (a default-constructed settings struct for that algorithm).
template <typename Settings, typename Defaults>
OptionTable make_table(std::string command, std::string selector,
                       std::vector<std::string> algorithms,
                       const std::vector<BoundOption<Settings>>& bound, Defaults defaults_for) {
  OptionTable table{std::move(command), std::move(selector), std::move(algorithms), {}};
  for (const BoundOption<Settings>& option : bound) {
    OptionSpec spec = option.spec;
    if (spec.name == table.selector) {
      if (!option.bindings.empty()) spec.defaults[""] = option.bindings.front().get(Settings{});
      spec.choices = table.algorithms;
    } else {
      for (const std::string& algorithm : table.algorithms) {
        if (!spec.applies_to(algorithm)) continue;
        for (const Binding<Settings>& binding : option.bindings)
          if (binding.covers(algorithm)) {
            spec.defaults[algorithm] = binding.get(defaults_for(algorithm));
            break;
          }
      }
    }
    table.options.push_back(std::move(spec));
  }
  return table;
}

// Writes the values into `settings` for `algorithm`: every binding of the option covering it.
template <typename Settings>
void apply_bound(const std::vector<BoundOption<Settings>>& bound, const OptionValues& values,
                 std::string_view algorithm, Settings& settings) {
  for (const BoundOption<Settings>& option : bound) {
    auto given = values.find(option.spec.name);
    if (given == values.end()) continue;
    for (const Binding<Settings>& binding : option.bindings)
      if (binding.covers(algorithm)) binding.set(settings, given->second);
  }
}

}  // namespace embkit::options
