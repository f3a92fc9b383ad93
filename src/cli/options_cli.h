// Option tables on the command line: every option a table offers becomes a --kebab-case flag whose
// help shows the defaults and range from the table. Values are kept as text while CLI11 parses and
// are checked together when the command runs (type, range, and whether the chosen algorithm takes
// them), each mistake one UsageError line.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <string>

#include "embkit/options.h"

namespace embkit::cli {

// The texts given for a table's flags, by option name.
using GivenOptions = std::map<std::string, std::string>;

void add_table_options(CLI::App* command, const OptionTable& table,
                       std::shared_ptr<GivenOptions> given);
// Parses and checks what was given. Throws UsageError: "train: --x-max does not apply to --algo
// sgns (only glove)", "train: --window 0 is out of range 1..1000".
OptionValues given_option_values(const OptionTable& table, const GivenOptions& given);

// The options of every algorithm on one line, for the help of a `--params k=v,...` flag:
// "hnsw: M (32; 2..1024), ef_construction|efConstruction (100; ...); pq: ...".
std::string params_help(const OptionTable& table);

// A flag outside any table checked the same way (-k, --threads): `spec` gives its type and range.
// A bad value is a UsageError naming the flag.
void add_checked_option(CLI::App* command, const std::string& flag, OptionSpec spec,
                        uint64_t& target);
void add_checked_option(CLI::App* command, const std::string& flag, OptionSpec spec, int& target);

// Every unsigned flag CLI11 converts itself (--seed, --limit, ...) gets a check that the text is a
// whole number from 0 to 2^64 - 1: CLI11 would take "-1" as 2^64 - 1 and clip
// "99999999999999999999".
void check_unsigned_options(CLI::App* app);

}  // namespace embkit::cli
