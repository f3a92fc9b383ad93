// Options declared once: every option of a command (`train`, `cooccur`, `index build`) is one
// entry of a table with its name, type, allowed range or values, help text, the algorithms that
// take it and its defaults, read off the library's default-constructed option structs. The command
// line, the Python module and JSON requests are all generated from these tables, so no default is
// written twice.
//
// An option named `min_count` is the CLI flag `--min-count`, the Python keyword `min_count` and the
// JSON field "min_count".
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "embkit/cooccurrence.h"
#include "embkit/corpus_encoder.h"
#include "embkit/glove.h"
#include "embkit/ppmi_svd.h"
#include "embkit/vector_index.h"
#include "embkit/word2vec.h"

namespace embkit {

enum class OptionType { Bool, Integer, Unsigned, Real, String, Choice };
std::string_view option_type_name(OptionType type);

// A value of any option type: Integer is int64_t, Unsigned uint64_t, Real double, String and Choice
// std::string.
using OptionValue = std::variant<bool, int64_t, uint64_t, double, std::string>;
// Values given by a caller, by option name.
using OptionValues = std::map<std::string, OptionValue>;

struct OptionSpec {
  std::string name;  // snake_case
  OptionType type = OptionType::String;
  std::string help;
  std::vector<std::string> algorithms;  // the algorithms that take it; empty: all of the command
  std::vector<std::string> choices;     // the values of a Choice
  double min = -std::numeric_limits<double>::infinity();  // inclusive range of a number
  double max = std::numeric_limits<double>::infinity();
  std::vector<std::string> aliases;  // other accepted names (hnsw's efSearch)
  // By algorithm; the key "" holds a default shared by all. An algorithm without an entry has no
  // fixed default: `default_note` says what it is then (computed from the data).
  std::map<std::string, OptionValue> defaults;
  std::string default_note;
  bool cli_only = false;  // offered on the command line only (it goes with files the CLI writes)

  bool applies_to(std::string_view algorithm) const;
  std::string flag() const;  // --kebab-case
};

struct OptionTable {
  std::string command;   // "train", "index build"
  std::string selector;  // the option that names the algorithm ("algo", "type")
  std::vector<std::string> algorithms;
  std::vector<OptionSpec> options;

  const OptionSpec* find(std::string_view name_or_alias) const;
  // The option whose name is closest to a misspelt one (within two edits), or "".
  std::string suggestion(std::string_view unknown) const;
  // The options `algorithm` takes, by name.
  std::vector<std::string> names_for(std::string_view algorithm) const;
};

// What to add to "unknown option 'x'": " (did you mean 'y'?)", " (only the command line takes it)"
// or "".
std::string unknown_name_hint(const OptionTable& table, std::string_view unknown);

// The largest `threads` any command accepts; thread counts above the cores are allowed (and cost
// only oversubscription) up to this bound, beyond which OpenMP runtimes fail to start the threads.
constexpr int kMaxThreads = 4096;

// Text as a value of the option's type: "5", "-1", "1e-3", "true"/"false"/"1"/"0", a choice. The
// whole text must be the number. Throws UsageError "`label` wants a whole number, got 'x'".
OptionValue parse_option_text(const OptionSpec& spec, std::string_view text,
                              std::string_view label);
// What is wrong with a value of the right type: "is out of range 1..1000", "must be finite",
// "must be one of sum, word"; "" when it is allowed.
std::string option_value_problem(const OptionSpec& spec, const OptionValue& value);
// 5, 0.001, sum, true.
std::string format_option_value(const OptionValue& value);
// "5; glove 15, ppmi-svd 8": the first algorithm's default, then the algorithms that differ.
std::string describe_default(const OptionTable& table, const OptionSpec& spec);
// "1..1000", ">= 0", "sum|word"; "" when any value of the type is allowed.
std::string describe_range(const OptionSpec& spec);
// The help text with the default and the range: "Vector dimension (default 100; 1..10000)".
std::string option_help(const OptionTable& table, const OptionSpec& spec);
// The default of `spec` for `algorithm`, if it has a fixed one.
const OptionValue* option_default(const OptionSpec& spec, std::string_view algorithm);

// JSON: applies the fields of an object to option values (selector included, e.g. {"algo": "glove",
// "window": 10}); a field that is unknown, of the wrong type, out of range or not taken by the
// algorithm is a UsageError naming it.
OptionValues option_values_from_json(const OptionTable& table, const nlohmann::json& object);
// A description of the table for clients: {"command", "selector", "algorithms", "options":
// [{"name", "type", "help", "algorithms", "default" (by algorithm), "default_note", "min", "max",
// "choices", "aliases"}]}.
nlohmann::json option_schema(const OptionTable& table);

// ---- train
// ---------------------------------------------------------------------------------------

// Everything `train` can be told, in the library's option structs; a default-constructed one holds
// the defaults (word2vec serves sgns and cbow, its architecture follows `algo`).
struct TrainSettings {
  std::string algo = "sgns";  // sgns, cbow, glove, ppmi-svd
  VocabOptions vocab;
  bool lowercase = false;
  Word2VecOptions word2vec;
  GloveOptions glove;
  PpmiSvdOptions ppmi_svd;
};
const OptionTable& train_option_table();
// Sets the options in `values` (checked: from the generators above) for settings.algo, after
// setting algo itself when it is among them.
void apply_train_options(const OptionValues& values, TrainSettings& settings);

// ---- cooccur
// -------------------------------------------------------------------------------------

// Everything `cooccur` can be told (the counting options of train's count-based models, with
// CooccurrenceOptions' own defaults: window 5); the table has one unnamed algorithm, "".
struct CooccurSettings {
  VocabOptions vocab;
  bool lowercase = false;
  CooccurrenceOptions counting;
};
const OptionTable& cooccur_option_table();
void apply_cooccur_options(const OptionValues& values, CooccurSettings& settings);

// ---- index build
// ---------------------------------------------------------------------------------

// The parameters of `index build` by type (selector "type"), with their defaults from IndexParams.
const OptionTable& index_option_table();
// "M=16,efSearch=128" -> checked values keyed by the names VectorIndex stores (efSearch, not
// ef_search). An unknown key, a key the type does not take, a missing or out-of-range value is a
// UsageError naming it.
std::map<std::string, uint64_t> index_params_from_text(std::string_view text, IndexType type);

}  // namespace embkit
