// What every option table shares: lookup by name or alias, did-you-mean, parsing text into typed
// values, range checks and the help text that shows defaults and ranges.
#include "embkit/options.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "embkit/error.h"

namespace embkit {
namespace {

// Edit distance with the case and the word separator ignored (efsearch ~ ef_search).
size_t edit_distance(std::string_view a, std::string_view b) {
  auto fold = [](std::string_view s) {
    std::string out;
    for (char c : s)
      if (c != '_' && c != '-')
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string x = fold(a), y = fold(b);
  std::vector<size_t> row(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] != y[j - 1])});
      diagonal = above;
    }
  }
  return row[y.size()];
}

std::string format_number(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{}", value);
}

}  // namespace

std::string_view option_type_name(OptionType type) {
  switch (type) {
    case OptionType::Bool:
      return "bool";
    case OptionType::Integer:
      return "integer";
    case OptionType::Unsigned:
      return "unsigned";
    case OptionType::Real:
      return "real";
    case OptionType::String:
      return "string";
    case OptionType::Choice:
      return "choice";
  }
  return "string";
}

bool OptionSpec::applies_to(std::string_view algorithm) const {
  return algorithms.empty() ||
         std::find(algorithms.begin(), algorithms.end(), algorithm) != algorithms.end();
}

std::string OptionSpec::flag() const {
  std::string out = "--" + name;
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

const OptionSpec* OptionTable::find(std::string_view name_or_alias) const {
  for (const OptionSpec& spec : options) {
    if (spec.name == name_or_alias) return &spec;
    for (const std::string& alias : spec.aliases)
      if (alias == name_or_alias) return &spec;
  }
  return nullptr;
}

std::string OptionTable::suggestion(std::string_view unknown) const {
  std::string best;
  size_t best_distance = 3;
  for (const OptionSpec& spec : options) {
    size_t distance = edit_distance(unknown, spec.name);
    if (distance < best_distance) best_distance = distance, best = spec.name;
  }
  return best;
}

std::string unknown_name_hint(const OptionTable& table, std::string_view unknown) {
  if (const OptionSpec* spec = table.find(unknown); spec && spec->cli_only)
    return " (only the command line takes it)";
  std::string hint = table.suggestion(unknown);
  return hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint);
}

std::vector<std::string> OptionTable::names_for(std::string_view algorithm) const {
  std::vector<std::string> names;
  for (const OptionSpec& spec : options)
    if (spec.applies_to(algorithm)) names.push_back(spec.name);
  return names;
}

OptionValue parse_option_text(const OptionSpec& spec, std::string_view text,
                              std::string_view label) {
  auto whole = [&](auto& number) {
    auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), number);
    return status == std::errc() && end == text.data() + text.size();
  };
  switch (spec.type) {
    case OptionType::Bool:
      if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
      if (text == "false" || text == "0" || text == "no" || text == "off") return false;
      throw UsageError(fmt::format("{} wants true or false, got '{}'", label, text));
    case OptionType::Integer: {
      int64_t number = 0;
      if (!whole(number))
        throw UsageError(fmt::format("{} wants a whole number, got '{}'", label, text));
      return number;
    }
    case OptionType::Unsigned: {
      uint64_t number = 0;
      if (text.starts_with('-') || !whole(number)) {
        std::string range = describe_range(spec);
        throw UsageError(fmt::format(
            "{} wants a whole number {}, got '{}'", label,
            range.empty() ? fmt::format("from 0 to {}", UINT64_MAX) : "in " + range, text));
      }
      return number;
    }
    case OptionType::Real: {
      double number = 0;
      if (!whole(number)) throw UsageError(fmt::format("{} wants a number, got '{}'", label, text));
      return number;
    }
    case OptionType::String:
    case OptionType::Choice:
      return std::string(text);
  }
  return std::string(text);
}

std::string option_value_problem(const OptionSpec& spec, const OptionValue& value) {
  if (spec.type == OptionType::Choice) {
    const std::string& text = std::get<std::string>(value);
    if (std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end())
      return fmt::format("must be one of {}", fmt::join(spec.choices, ", "));
    return "";
  }
  double number = 0;
  if (const auto* v = std::get_if<int64_t>(&value))
    number = static_cast<double>(*v);
  else if (const auto* u = std::get_if<uint64_t>(&value))
    number = static_cast<double>(*u);
  else if (const auto* d = std::get_if<double>(&value))
    number = *d;
  else
    return "";
  if (!std::isfinite(number)) return "must be a finite number";
  if (!(number >= spec.min && number <= spec.max)) return "is out of range " + describe_range(spec);
  return "";
}

std::string format_option_value(const OptionValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>)
          return v ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>)
          return v;
        else if constexpr (std::is_same_v<T, double>)
          return format_number(v);
        else
          return fmt::format("{}", v);
      },
      value);
}

const OptionValue* option_default(const OptionSpec& spec, std::string_view algorithm) {
  auto own = spec.defaults.find(std::string(algorithm));
  if (own != spec.defaults.end()) return &own->second;
  auto shared = spec.defaults.find("");
  return shared != spec.defaults.end() ? &shared->second : nullptr;
}

std::string describe_default(const OptionTable& table, const OptionSpec& spec) {
  // Defaults by value, in the order the algorithms are listed: the first algorithm's (the command's
  // default) leads.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const std::string& algorithm : table.algorithms) {
    if (!spec.applies_to(algorithm)) continue;
    const OptionValue* value = option_default(spec, algorithm);
    if (!value) continue;
    std::string text = format_option_value(*value);
    if (text.empty()) continue;
    auto group =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == text; });
    if (group == groups.end())
      groups.push_back({text, {algorithm}});
    else
      group->second.push_back(algorithm);
  }
  if (groups.empty() && spec.defaults.count("")) {
    std::string text = format_option_value(spec.defaults.at(""));
    if (!text.empty()) groups.push_back({text, {}});
  }
  std::string out;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i == 0)
      out = groups[0].first;
    else
      out += fmt::format("{}{} {}", i == 1 ? "; " : ", ", fmt::join(groups[i].second, ", "),
                         groups[i].first);
  }
  if (!spec.default_note.empty()) out += (out.empty() ? "" : "; ") + spec.default_note;
  return out;
}

std::string describe_range(const OptionSpec& spec) {
  if (spec.type == OptionType::Choice) return fmt::format("{}", fmt::join(spec.choices, "|"));
  if (spec.type == OptionType::Bool || spec.type == OptionType::String) return "";
  const bool low = std::isfinite(spec.min), high = std::isfinite(spec.max);
  if (low && high) return fmt::format("{}..{}", format_number(spec.min), format_number(spec.max));
  // Unsigned options are never negative: a lower bound of 0 alone says nothing.
  if (low && spec.type == OptionType::Unsigned && spec.min <= 0) return "";
  if (low) return fmt::format(">= {}", format_number(spec.min));
  if (high) return fmt::format("<= {}", format_number(spec.max));
  return "";
}

std::string option_help(const OptionTable& table, const OptionSpec& spec) {
  std::vector<std::string> notes;
  if (spec.type != OptionType::Bool) {
    std::string default_text = describe_default(table, spec);
    if (!default_text.empty()) notes.push_back("default " + default_text);
  }
  std::string range = describe_range(spec);
  if (!range.empty() && spec.type != OptionType::Choice) notes.push_back(range);
  std::string help = spec.help;
  if (spec.type == OptionType::Choice) help += fmt::format(": {}", fmt::join(spec.choices, ", "));
  return notes.empty() ? help : fmt::format("{} ({})", help, fmt::join(notes, "; "));
}

}  // namespace embkit
