// Shared pieces of the embkit subcommands: model-loading flags, JSON number formatting, and the
// registration functions each subcommand file provides.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "embkit/corpus_encoder.h"
#include "embkit/io.h"
#include "embkit/keyed_vectors.h"
#include "embkit/queries.h"
#include "embkit/exact_search.h"

namespace embkit::cli {

// Flags every command that reads a model accepts: MODEL [--format F] [--labels FILE] [--limit N].
struct ModelArgs {
  std::string path;
  std::string format = "auto";
  std::string labels;
  size_t limit = 0;
  int threads = 0;
  bool no_oov = false;  // --no-oov: drop a subword model's n-grams (unknown words are errors)
};
void add_model_args(CLI::App* command, ModelArgs& args);
// --threads N: 0 (all cores) up to kMaxThreads.
void add_threads_arg(CLI::App* command, int& threads);
LoadOptions load_options(const ModelArgs& args);
// -k N: results per query, 1 up to kMaxK (more than the rows gives all of them).
constexpr uint64_t kMaxK = 1000000000;
void add_k_arg(CLI::App* command, size_t& k, const std::string& help);
KeyedVectors load_model(const ModelArgs& args);
// The same, also checking a native file completely when `verify` (the checksum, every word and
// value) and telling what was found.
KeyedVectors load_model(const ModelArgs& args, bool verify, LoadDetails& details);

// A float as the shortest decimal that reads back to the same float (JSON shows 0.7123 not
// 0.71230000257492065).
nlohmann::json json_number(float value);
// Parses "cosine|dot|l2" and "add|mul".
Metric parse_metric(const std::string& name);
AnalogyMethod parse_method(const std::string& name);

// Exit status for commands that keep going after a per-item error (set to 1 by them).
// IoError unless the directory `output` goes into exists.
void require_output_directory(const std::string& output);
// Reads a training corpus once (vocabulary by min_count / max_vocab, ids encoded), with a progress
// line on a terminal.
PreparedCorpus read_training_corpus(const std::string& input, uint64_t min_count, size_t max_vocab,
                                    bool lowercase);

// The vocabulary file written beside a co-occurrence matrix: COUNTS.npz -> COUNTS.vocab.txt.
std::string counts_vocab_path(const std::string& counts_path);
// Reads it back ("word count" per line, row order). Throws FormatError naming the file and line.
Vocab read_counts_vocab(const std::string& path);

int& exit_status();
// Flushes stdout (C and C++ streams); throws IoError when anything written to it was lost.
void check_standard_output();
void report_error(const std::string& message);

// Query words for commands that take WORD ... or read words from stdin when none are given: hands
// `answer` the given words at once, or the words of stdin in batches of 256.
void for_each_word_batch(const std::vector<std::string>& words,
                         const std::function<void(const std::vector<std::string>&)>& answer);

void add_info_command(CLI::App& app);
void add_neighbors_command(CLI::App& app);
void add_similarity_command(CLI::App& app);
void add_analogy_command(CLI::App& app);
void add_convert_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_docs_command(CLI::App& app);
void add_cooccur_command(CLI::App& app);
void add_cluster_command(CLI::App& app);
void add_probe_command(CLI::App& app);
void add_transform_command(CLI::App& app);
void add_jl_command(CLI::App& app);
void add_index_command(CLI::App& app);
void add_plot_command(CLI::App& app);
void add_classify_command(CLI::App& app);

}  // namespace embkit::cli
