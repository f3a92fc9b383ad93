// The embkit half of the analogy-evaluation benchmark (bench/run_eval.sh): loads a model once and
// times evaluate_analogies on a question file.
//   eval_bench MODEL QUESTIONS [RESTRICT] [REPETITIONS] [add|mul] [THREADS]
// Prints: load_seconds median_eval_seconds correct answered total
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "embkit/analogy.h"
#include "embkit/io.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(
        stderr, "usage: eval_bench MODEL QUESTIONS [RESTRICT] [REPETITIONS] [add|mul] [THREADS]\n");
    return 2;
  }
  try {
    embkit::AnalogyOptions options;
    options.restrict_vocab = argc > 3 ? std::stoul(argv[3]) : 300000;
    const int repetitions = argc > 4 ? std::stoi(argv[4]) : 3;
    options.method = argc > 5 && std::string(argv[5]) == "mul" ? embkit::AnalogyMethod::Mul
                                                               : embkit::AnalogyMethod::Add;
    options.threads = argc > 6 ? std::stoi(argv[6]) : 0;

    auto start = std::chrono::steady_clock::now();
    embkit::KeyedVectors kv = embkit::load(argv[1]);
    kv.unit_rows();
    const double load_seconds = seconds_since(start);

    std::vector<double> times;
    embkit::AnalogyResult result;
    for (int r = 0; r < repetitions; ++r) {
      start = std::chrono::steady_clock::now();
      result = embkit::evaluate_analogies(kv, argv[2], options);
      times.push_back(seconds_since(start));
    }
    std::sort(times.begin(), times.end());
    std::printf("%.4f %.4f %zu %zu %zu\n", load_seconds, times[times.size() / 2], result.correct,
                result.answered, result.total);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "eval_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}
