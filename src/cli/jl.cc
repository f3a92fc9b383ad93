// `embkit jl --n N --eps E`: the Johnson-Lindenstrauss dimension, the smallest K at which a random
// projection of N points keeps squared distances within 1 +- E (random_projection.h).
#include <fmt/format.h>

#include "cli/common.h"
#include "embkit/random_projection.h"

namespace embkit::cli {

void add_jl_command(CLI::App& app) {
  struct JlArgs {
    uint64_t n = 0;
    double eps = 0;
    bool json = false;
  };
  auto args = std::make_shared<JlArgs>();
  CLI::App* cmd =
      app.add_subcommand("jl", "Johnson-Lindenstrauss: the dimension a random projection needs");
  cmd->add_option("--n", args->n, "Number of points")->required();
  cmd->add_option("--eps", args->eps, "Allowed distortion of squared distances, 0 < E < 1")
      ->required();
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->callback([args] {
    const size_t dim = jl_min_dim(args->n, args->eps);
    if (args->json) {
      fmt::print("{}\n",
                 nlohmann::json{{"n", args->n}, {"eps", args->eps}, {"min_dim", dim}}.dump());
    } else {
      fmt::print("{}\n", dim);
    }
  });
}

}  // namespace embkit::cli
