// Load-time benchmark driver (the embkit half of bench/run_load.sh).
//   load_bench generate DIR [--rows 200000] [--dim 300] [--seed 1]
//       writes DIR/bench.vec the way word2vec.c prints text ("%lf " per value: 6 decimals and a
//       space before the newline; normal values, word-like random words), then DIR/bench.bin,
//       DIR/bench.emb and DIR/bench_10k.emb (its first 10,000 rows) through embkit's writers.
//   load_bench time FILE [--threads T] [--repetitions R] [--limit N]
//       loads FILE R times and prints "median min max" in seconds.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/atomic_file.h"
#include "embkit/error.h"
#include "embkit/io.h"

namespace {

std::string random_word(std::mt19937_64& rng) {
  static const char kLetters[] = "etaoinshrdlucmfwypvbgkjqxz";
  // Skewed towards common letters and lengths 3..12, like an English vocabulary.
  std::geometric_distribution<int> letter(0.18);
  std::uniform_int_distribution<int> length(3, 12);
  std::string word;
  for (int i = length(rng); i > 0; --i) word.push_back(kLetters[std::min(letter(rng), 25)]);
  return word;
}

void generate(const std::string& dir, size_t rows, size_t dim, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> value(0.0f, 0.3f);
  std::unordered_set<std::string> seen;
  std::string vec_path = dir + "/bench.vec";
  {
    embkit::AtomicFile file(vec_path);
    file.write(fmt::format("{} {}\n", rows, dim));
    std::string line;
    for (size_t i = 0; i < rows; ++i) {
      std::string word = random_word(rng);
      while (!seen.insert(word).second) word.push_back('a' + char(rng() % 26));
      line = word;
      line.push_back(' ');
      for (size_t j = 0; j < dim; ++j)
        fmt::format_to(std::back_inserter(line), "{:.6f} ", value(rng));
      line.push_back('\n');
      file.write(line);
    }
    file.commit();
  }
  embkit::KeyedVectors model = embkit::load(vec_path);
  embkit::save(model, dir + "/bench.bin");
  embkit::save(model, dir + "/bench.emb");
  embkit::LoadOptions head;
  head.limit = std::min<size_t>(rows, 10000);
  embkit::save(embkit::load(vec_path, head), dir + "/bench_10k.emb");
}

void time_loads(const std::string& path, int threads, int repetitions, size_t limit) {
  embkit::LoadOptions options;
  options.threads = threads;
  options.limit = limit;
  embkit::load(path, options);  // warm the page cache
  std::vector<double> seconds;
  for (int r = 0; r < repetitions; ++r) {
    auto start = std::chrono::steady_clock::now();
    embkit::KeyedVectors model = embkit::load(path, options);
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (model.size() == 0) std::fputs("warning: empty model\n", stderr);
  }
  std::sort(seconds.begin(), seconds.end());
  fmt::print("{:.6f} {:.6f} {:.6f}\n", seconds[seconds.size() / 2], seconds.front(),
             seconds.back());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"embkit load benchmark driver"};
  app.require_subcommand(1);
  std::string dir, path;
  size_t rows = 200000, dim = 300, limit = 0;
  uint64_t seed = 1;
  int threads = 0, repetitions = 3;
  auto* generate_command = app.add_subcommand("generate", "write the benchmark files");
  generate_command->add_option("dir", dir)->required();
  generate_command->add_option("--rows", rows);
  generate_command->add_option("--dim", dim);
  generate_command->add_option("--seed", seed);
  auto* time_command = app.add_subcommand("time", "time loading a file");
  time_command->add_option("file", path)->required();
  time_command->add_option("--threads", threads);
  time_command->add_option("--repetitions", repetitions);
  time_command->add_option("--limit", limit);
  CLI11_PARSE(app, argc, argv);
  try {
    if (*generate_command) generate(dir, rows, dim, seed);
    if (*time_command) time_loads(path, threads, std::max(1, repetitions), limit);
  } catch (const embkit::Error& e) {
    std::fprintf(stderr, "load_bench: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
