// The parameters of `index build` by index type, bound to IndexParams: what `--params k=v,...`,
// embkit.Index and the server's index requests accept.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "embkit/error.h"
#include "embkit/options.h"
#include "options/option_binding.h"

namespace embkit {
namespace {

using options::bind;
using Bound = options::BoundOption<IndexParams>;

// The first alias of a parameter is the name VectorIndex stores it under (FAISS's field name).
OptionSpec param(std::string name, std::vector<std::string> types, std::string help, double min,
                 double max, std::vector<std::string> aliases = {}, std::string default_note = {}) {
  OptionSpec s;
  s.name = std::move(name);
  s.type = OptionType::Unsigned;
  s.help = std::move(help);
  s.algorithms = std::move(types);
  s.min = min;
  s.max = max;
  s.aliases = std::move(aliases);
  s.default_note = std::move(default_note);
  return s;
}

const std::vector<Bound>& bound_params() {
  static const std::vector<Bound> bound = {
      {param("M", {"hnsw"}, "Graph neighbours per node", 2, 1024),
       {bind<IndexParams>(
           {}, [](auto& p) -> auto& { return p.M; })}},
      {param("ef_construction", {"hnsw"}, "Candidates kept while building the graph", 1, 1 << 20,
             {"efConstruction"}),
       {bind<IndexParams>(
           {}, [](auto& p) -> auto& { return p.ef_construction; })}},
      {param("ef_search", {"hnsw"}, "Candidates kept while searching", 1, 1 << 20, {"efSearch"}),
       {bind<IndexParams>(
           {}, [](auto& p) -> auto& { return p.ef_search; })}},
      {param("nlist", {"ivfpq"}, "Inverted lists (k-means centroids)", 1, 1 << 24, {},
             "4 sqrt(N), at most N / 39"),
       {}},
      {param("m", {"ivfpq", "pq"}, "Sub-quantizers; must divide the dimension", 1, 1 << 16, {},
             "the divisor of D nearest D / 4"),
       {}},
      {param("nbits", {"ivfpq", "pq"}, "Bits per sub-quantizer code", 1, 16),
       {bind<IndexParams>(
           {}, [](auto& p) -> auto& { return p.nbits; })}},
      {param("nprobe", {"ivfpq"}, "Inverted lists searched (at most nlist)", 1, 1 << 24),
       {bind<IndexParams>(
           {}, [](auto& p) -> auto& { return p.nprobe; })}},
      {param("train", {"ivfpq"}, "Training sample size", 1, 1e12, {},
             "min(N, max(64 nlist, 9984))"),
       {}},
  };
  return bound;
}

}  // namespace

const OptionTable& index_option_table() {
  static const OptionTable table = options::make_table<IndexParams>(
      "index build", "type", {"flat", "hnsw", "ivfpq", "sq8", "pq"}, bound_params(),
      [](std::string_view) { return IndexParams{}; });
  return table;
}

std::map<std::string, uint64_t> index_params_from_text(std::string_view text, IndexType type) {
  const OptionTable& table = index_option_table();
  const std::string type_name(index_type_name(type));
  std::map<std::string, uint64_t> params;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = std::min(text.find(',', at), text.size());
    std::string_view item = text.substr(at, end - at);
    at = end + 1;
    if (item.empty()) continue;
    size_t equals = item.find('=');
    std::string key(item.substr(0, equals));
    const OptionSpec* spec = table.find(key);
    if (!spec || !spec->applies_to(type_name)) {
      std::vector<std::string> known = table.names_for(type_name);
      std::string hint = spec ? "" : table.suggestion(key);
      throw UsageError(
          fmt::format("unknown parameter '{}' for --type {} ({}known: {})", key, type_name,
                      hint.empty() ? "" : fmt::format("did you mean '{}'? ", hint),
                      known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
    }
    if (equals == std::string_view::npos)
      throw UsageError(fmt::format("parameter '{}' needs a value ({}=N)", key, key));
    const std::string label = fmt::format("parameter {}", key);
    OptionValue value = parse_option_text(*spec, item.substr(equals + 1), label);
    if (std::string problem = option_value_problem(*spec, value); !problem.empty())
      throw UsageError(fmt::format("parameter {}={} {}", key, item.substr(equals + 1), problem));
    params[spec->name] = std::get<uint64_t>(value);
  }
  return params;
}

}  // namespace embkit
