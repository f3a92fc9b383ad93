// The option tables (src/options/): defaults read off the library structs, parsing and range
// checks, help text, --params strings and JSON requests and schemas.
#include "embkit/options.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "embkit/error.h"

namespace embkit {
namespace {

std::string usage_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

const OptionSpec& train_spec(const char* name) {
  const OptionSpec* spec = train_option_table().find(name);
  EXPECT_NE(spec, nullptr) << name;
  return *spec;
}

TEST(Options, TrainDefaultsAreTheStructDefaults) {
  const OptionSpec& window = train_spec("window");
  EXPECT_EQ(std::get<uint64_t>(*option_default(window, "sgns")), Word2VecOptions{}.window);
  EXPECT_EQ(std::get<uint64_t>(*option_default(window, "glove")), GloveOptions{}.counting.window);
  EXPECT_EQ(std::get<uint64_t>(*option_default(window, "ppmi-svd")),
            PpmiSvdOptions{}.counting.window);
  // The documented defaults of `embkit train` (docs/cli.md) are the structs' own.
  EXPECT_EQ(GloveOptions{}.counting.window, 15u);
  EXPECT_EQ(PpmiSvdOptions{}.counting.window, 8u);
  EXPECT_EQ(Word2VecOptions{}.window, 5u);
  EXPECT_EQ(std::get<uint64_t>(*option_default(train_spec("epochs"), "glove")), 25u);
  EXPECT_EQ(std::get<double>(*option_default(train_spec("lr"), "sgns")), 0.025);
  EXPECT_EQ(std::get<double>(*option_default(train_spec("lr"), "cbow")), 0.05);
  EXPECT_EQ(std::get<std::string>(*option_default(train_spec("weighting"), "glove")), "harmonic");
  EXPECT_EQ(std::get<bool>(*option_default(train_spec("one_sided"), "ppmi-svd")), false);
  EXPECT_EQ(std::get<std::string>(*option_default(train_spec("algo"), "")), "sgns");
  EXPECT_EQ(option_default(train_spec("x_max"), "sgns"), nullptr);  // glove only
}

TEST(Options, HelpShowsPerAlgorithmDefaultsAndRange) {
  const OptionTable& table = train_option_table();
  EXPECT_EQ(describe_default(table, train_spec("window")), "5; glove 15, ppmi-svd 8");
  EXPECT_EQ(option_help(table, train_spec("window")),
            "Maximum context window (default 5; glove 15, ppmi-svd 8; 1..1000)");
  EXPECT_EQ(option_help(table, train_spec("glove_output")),
            "Save word + context vectors (sum) or word vectors only: sum, word (default sum)");
  EXPECT_EQ(describe_default(table, train_spec("lr")), "0.025; cbow, glove 0.05");
  EXPECT_EQ(train_spec("min_count").flag(), "--min-count");
}

TEST(Options, CooccurTakesTrainsCountingOptionsWithItsOwnDefaults) {
  const OptionTable& table = cooccur_option_table();
  const OptionSpec* window = table.find("window");
  ASSERT_NE(window, nullptr);
  // The help and range are train's; the default is CooccurrenceOptions' (5), not glove's 15.
  EXPECT_EQ(std::get<uint64_t>(*option_default(*window, "")), CooccurrenceOptions{}.window);
  EXPECT_EQ(option_help(table, *window), "Maximum context window (default 5; 1..1000)");
  EXPECT_EQ(std::get<uint64_t>(*option_default(*table.find("min_count"), "")),
            VocabOptions{}.min_count);
  EXPECT_EQ(std::get<double>(*option_default(*table.find("memory"), "")),
            CooccurrenceOptions{}.memory_gb);
  EXPECT_EQ(table.find("dim"), nullptr);  // a model option, not a counting one
  EXPECT_EQ(table.suggestion("windw"), "window");

  CooccurSettings settings;
  apply_cooccur_options({{"window", uint64_t{3}},
                         {"one_sided", true},
                         {"weighting", std::string("uniform")},
                         {"min_count", uint64_t{1}},
                         {"threads", int64_t{2}}},
                        settings);
  EXPECT_EQ(settings.counting.window, 3u);
  EXPECT_FALSE(settings.counting.symmetric);
  EXPECT_EQ(settings.counting.weighting, CooccurrenceWeighting::Uniform);
  EXPECT_EQ(settings.vocab.min_count, 1u);
  EXPECT_EQ(settings.counting.threads, 2);
  EXPECT_EQ(option_value_problem(*window, OptionValue(uint64_t{0})), "is out of range 1..1000");
}

TEST(Options, TextIsParsedAndChecked) {
  const OptionSpec& dim = train_spec("dim");
  EXPECT_EQ(std::get<uint64_t>(parse_option_text(dim, "64", "--dim")), 64u);
  EXPECT_EQ(usage_error_of([&] { parse_option_text(dim, "-1", "--dim"); }),
            "--dim wants a whole number in 1..10000, got '-1'");
  EXPECT_EQ(usage_error_of([&] { parse_option_text(dim, "18446744073709551616", "--dim"); }),
            "--dim wants a whole number in 1..10000, got '18446744073709551616'");
  EXPECT_EQ(usage_error_of([&] { parse_option_text(dim, "12x", "--dim"); }),
            "--dim wants a whole number in 1..10000, got '12x'");
  EXPECT_EQ(option_value_problem(dim, uint64_t{0}), "is out of range 1..10000");
  EXPECT_EQ(option_value_problem(dim, uint64_t{10}), "");
  const OptionSpec& sample = train_spec("sample");
  EXPECT_EQ(option_value_problem(sample, parse_option_text(sample, "nan", "--sample")),
            "must be a finite number");
  EXPECT_EQ(option_value_problem(sample, parse_option_text(sample, "inf", "--sample")),
            "must be a finite number");
  EXPECT_EQ(option_value_problem(sample, -0.5), "is out of range 0..1");
  EXPECT_EQ(option_value_problem(train_spec("update"), std::string("fast")),
            "must be one of minibatch, classic");
  EXPECT_EQ(option_value_problem(train_spec("threads"), int64_t{100000}),
            "is out of range 0..4096");
}

TEST(Options, SuggestsTheClosestName) {
  EXPECT_EQ(train_option_table().suggestion("windw"), "window");
  EXPECT_EQ(train_option_table().suggestion("min-count"), "min_count");
  EXPECT_EQ(train_option_table().suggestion("frobnicate"), "");
  EXPECT_EQ(index_option_table().suggestion("efsearch"), "ef_search");
}

TEST(Options, ApplyingSetsEveryMemberOfTheAlgorithm) {
  TrainSettings settings;
  apply_train_options({{"algo", std::string("ppmi-svd")},
                       {"dim", uint64_t{30}},
                       {"threads", int64_t{3}},
                       {"one_sided", true},
                       {"svd", std::string("lanczos")}},
                      settings);
  EXPECT_EQ(settings.ppmi_svd.svd.rank, 30u);
  EXPECT_EQ(settings.ppmi_svd.svd.threads, 3);
  EXPECT_EQ(settings.ppmi_svd.ppmi.threads, 3);
  EXPECT_EQ(settings.ppmi_svd.counting.threads, 3);
  EXPECT_FALSE(settings.ppmi_svd.counting.symmetric);
  EXPECT_EQ(settings.ppmi_svd.svd.method, SvdMethod::Lanczos);
  EXPECT_EQ(settings.glove.dim, GloveOptions{}.dim);  // other algorithms untouched

  TrainSettings cbow;
  apply_train_options({{"algo", std::string("cbow")}, {"update", std::string("classic")}}, cbow);
  EXPECT_EQ(cbow.word2vec.architecture, Word2VecArchitecture::Cbow);
  EXPECT_FALSE(cbow.word2vec.minibatch);
}

TEST(Options, IndexParamsGoThroughTheTable) {
  auto params = index_params_from_text("M=16,ef_search=80,efConstruction=200", IndexType::Hnsw);
  EXPECT_EQ(params, (std::map<std::string, uint64_t>{
                        {"M", 16}, {"ef_search", 80}, {"ef_construction", 200}}));
  EXPECT_EQ(usage_error_of([] { index_params_from_text("nbits=17", IndexType::Pq); }),
            "parameter nbits=17 is out of range 1..16");
  EXPECT_EQ(usage_error_of([] { index_params_from_text("efsearch=5", IndexType::Hnsw); }),
            "unknown parameter 'efsearch' for --type hnsw (did you mean 'ef_search'? known: M, "
            "ef_construction, "
            "ef_search)");
  EXPECT_EQ(usage_error_of([] { index_params_from_text("nprobe=-3", IndexType::IvfPq); }),
            "parameter nprobe wants a whole number in 1..16777216, got '-3'");
  const OptionSpec* nlist = index_option_table().find("nlist");
  ASSERT_NE(nlist, nullptr);
  EXPECT_EQ(describe_default(index_option_table(), *nlist), "4 sqrt(N), at most N / 39");
  EXPECT_EQ(std::get<uint64_t>(*option_default(*index_option_table().find("efSearch"), "hnsw")),
            IndexParams{}.ef_search);
}

TEST(Options, JsonObjectsAreCheckedFieldByField) {
  const OptionTable& table = train_option_table();
  OptionValues values =
      option_values_from_json(table, nlohmann::json::parse(R"({"algo": "glove", "window": 10,
      "x_max": 50, "lr": 0.1, "one_sided": true, "loss_log": null})"));
  EXPECT_EQ(std::get<std::string>(values.at("algo")), "glove");
  EXPECT_EQ(std::get<uint64_t>(values.at("window")), 10u);
  EXPECT_EQ(std::get<double>(values.at("x_max")), 50.0);
  EXPECT_TRUE(std::get<bool>(values.at("one_sided")));
  EXPECT_EQ(values.count("loss_log"), 0u);
  auto error = [&](const char* text) {
    return usage_error_of([&] { option_values_from_json(table, nlohmann::json::parse(text)); });
  };
  EXPECT_EQ(error(R"({"windw": 3})"), "train: unknown field 'windw' (did you mean 'window'?)");
  EXPECT_EQ(error(R"({"window": "3"})"),
            "train: field 'window' wants a whole number >= 0, got \"3\"");
  EXPECT_EQ(error(R"({"window": -3})"), "train: field 'window' wants a whole number >= 0, got -3");
  EXPECT_EQ(error(R"({"window": 0})"), "train: field 'window' 0 is out of range 1..1000");
  EXPECT_EQ(error(R"({"x_max": 3})"),
            "train: field 'x_max' does not apply to algo sgns (only glove)");
  EXPECT_EQ(error(R"({"algo": "fasttext"})"),
            "train: field 'algo' must be one of sgns, cbow, glove, ppmi-svd, got \"fasttext\"");
  EXPECT_EQ(error(R"({"checkpoint_every": 5})"),
            "train: unknown field 'checkpoint_every' (only the command line takes it)");
  EXPECT_EQ(error("[1]"), "train: the options must be a JSON object");
}

TEST(Options, SchemaDescribesEveryOption) {
  nlohmann::json schema = option_schema(train_option_table());
  EXPECT_EQ(schema["command"], "train");
  EXPECT_EQ(schema["selector"], "algo");
  nlohmann::json window;
  for (const auto& option : schema["options"])
    if (option["name"] == "window") window = option;
  ASSERT_FALSE(window.is_null());
  EXPECT_EQ(window["type"], "unsigned");
  EXPECT_EQ(window["flag"], "--window");
  EXPECT_EQ(window["min"], 1);
  EXPECT_EQ(window["max"], 1000);
  EXPECT_EQ(window["default"],
            (nlohmann::json{{"sgns", 5}, {"cbow", 5}, {"glove", 15}, {"ppmi-svd", 8}}));
  EXPECT_EQ(window["algorithms"], (nlohmann::json{"sgns", "cbow", "glove", "ppmi-svd"}));
  nlohmann::json index = option_schema(index_option_table());
  EXPECT_EQ(index["options"][1]["aliases"], nlohmann::json{"efConstruction"});
}

}  // namespace
}  // namespace embkit
