#include "cli/options_cli.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>

#include "embkit/error.h"

namespace embkit::cli {
namespace {

// Flags that only some algorithms take are listed under those algorithms' names in --help.
std::string group_of(const OptionTable& table, const OptionSpec& spec) {
  if (spec.algorithms.empty() || spec.algorithms.size() == table.algorithms.size())
    return "Options";
  return fmt::format("{} options", fmt::join(spec.algorithms, ", "));
}

OptionValue checked_value(const OptionSpec& spec, const std::string& text,
                          const std::string& label) {
  OptionValue value = parse_option_text(spec, text, label);
  if (std::string problem = option_value_problem(spec, value); !problem.empty())
    throw UsageError(fmt::format("{} {} {}", label, text, problem));
  return value;
}

OptionValues checked_values(const OptionTable& table, const GivenOptions& given) {
  OptionValues values;
  const OptionSpec* selector = table.find(table.selector);
  std::string algorithm;
  if (selector) {
    auto chosen = given.find(selector->name);
    values[selector->name] = chosen != given.end()
                                 ? checked_value(*selector, chosen->second, selector->flag())
                                 : selector->defaults.at("");
    algorithm = std::get<std::string>(values[selector->name]);
  }
  for (const auto& [name, text] : given) {
    const OptionSpec* spec = table.find(name);
    if (spec == selector) continue;
    if (!spec->applies_to(algorithm))
      throw UsageError(fmt::format("{} does not apply to {} {} (only {})", spec->flag(),
                                   selector->flag(), algorithm, fmt::join(spec->algorithms, ", ")));
    values[name] = checked_value(*spec, text, spec->flag());
  }
  return values;
}

}  // namespace

void add_table_options(CLI::App* command, const OptionTable& table,
                       std::shared_ptr<GivenOptions> given) {
  for (const OptionSpec& spec : table.options) {
    const std::string help = option_help(table, spec);
    CLI::Option* option = nullptr;
    if (spec.type == OptionType::Bool) {
      option = command->add_flag_function(
          spec.flag(), [given, name = spec.name](int64_t) { (*given)[name] = "true"; }, help);
    } else {
      option = command->add_option_function<std::string>(
          spec.flag(),
          [given, name = spec.name](const std::string& text) { (*given)[name] = text; }, help);
      option->type_name(spec.type == OptionType::Choice   ? "CHOICE"
                        : spec.type == OptionType::String ? "TEXT"
                                                          : "NUMBER");
    }
    option->group(group_of(table, spec));
  }
}

OptionValues given_option_values(const OptionTable& table, const GivenOptions& given) {
  try {
    return checked_values(table, given);
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("{}: {}", table.command, e.what()));
  }
}

std::string params_help(const OptionTable& table) {
  std::vector<std::string> parts;
  for (const std::string& algorithm : table.algorithms) {
    std::vector<std::string> params;
    for (const OptionSpec& spec : table.options) {
      if (spec.name == table.selector || !spec.algorithms.size() || !spec.applies_to(algorithm))
        continue;
      std::string name = spec.name;
      for (const std::string& alias : spec.aliases) name += "|" + alias;
      std::string range = describe_range(spec);
      params.push_back(fmt::format("{} ({}{})", name, describe_default(table, spec),
                                   range.empty() ? "" : "; " + range));
    }
    if (!params.empty()) parts.push_back(fmt::format("{}: {}", algorithm, fmt::join(params, ", ")));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

void add_checked_option(CLI::App* command, const std::string& flag, OptionSpec spec,
                        uint64_t& target) {
  std::string help = option_help(OptionTable{}, spec);
  command
      ->add_option_function<std::string>(
          flag,
          [&target, spec, flag](const std::string& text) {
            target = std::get<uint64_t>(checked_value(spec, text, flag));
          },
          help)
      ->type_name("NUMBER");
}

void add_checked_option(CLI::App* command, const std::string& flag, OptionSpec spec, int& target) {
  std::string help = option_help(OptionTable{}, spec);
  command
      ->add_option_function<std::string>(
          flag,
          [&target, spec, flag](const std::string& text) {
            target = static_cast<int>(std::get<int64_t>(checked_value(spec, text, flag)));
          },
          help)
      ->type_name("NUMBER");
}

void check_unsigned_options(CLI::App* app) {
  const CLI::Validator whole_number(
      [](std::string& text) -> std::string {
        uint64_t number = 0;
        auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (status == std::errc() && end == text.data() + text.size()) return "";
        return fmt::format("wants a whole number from 0 to {}, got '{}'", UINT64_MAX, text);
      },
      "", "whole number");
  for (CLI::Option* option : app->get_options([](CLI::Option*) { return true; }))
    if (option->get_type_name() == "UINT") option->check(whole_number);
  for (CLI::App* command : app->get_subcommands([](CLI::App*) { return true; }))
    check_unsigned_options(command);
}

}  // namespace embkit::cli
