// The options of `cooccur`: the vocabulary and counting options of `train`, their specs (help, type,
// range) taken from its table so that each is written once, bound to CooccurSettings, whose
// defaults are those of VocabOptions and CooccurrenceOptions.
#include "embkit/options.h"
#include "options/option_binding.h"

namespace embkit {
namespace {

using options::bind;
using options::bind_choice;
using Bound = options::BoundOption<CooccurSettings>;

// The train table's entry, for the one way of counting cooccur has (no algorithms, no defaults:
// those come from CooccurSettings).
OptionSpec from_train(const std::string& name) {
  OptionSpec spec = *train_option_table().find(name);
  spec.algorithms.clear();
  spec.defaults.clear();
  return spec;
}

std::vector<Bound> bound_cooccur_options() {
  const std::vector<std::pair<std::string, CooccurrenceWeighting>> weightings = {
      {"harmonic", CooccurrenceWeighting::Harmonic}, {"uniform", CooccurrenceWeighting::Uniform}};
  options::Binding<CooccurSettings> one_sided{
      {},
      [](const CooccurSettings& s) -> OptionValue { return !s.counting.symmetric; },
      [](CooccurSettings& s, const OptionValue& v) { s.counting.symmetric = !std::get<bool>(v); }};
  return {
      {from_train("window"),
       {bind<CooccurSettings>(
           {}, [](auto& s) -> auto& { return s.counting.window; })}},
      {from_train("one_sided"), {one_sided}},
      {from_train("weighting"),
       {bind_choice<CooccurSettings>(
           {}, [](auto& s) -> auto& { return s.counting.weighting; }, weightings)}},
      {from_train("min_count"),
       {bind<CooccurSettings>(
           {}, [](auto& s) -> auto& { return s.vocab.min_count; })}},
      {from_train("max_vocab"),
       {bind<CooccurSettings>(
           {}, [](auto& s) -> auto& { return s.vocab.max_vocab; })}},
      {from_train("memory"),
       {bind<CooccurSettings>(
           {}, [](auto& s) -> auto& { return s.counting.memory_gb; })}},
      {from_train("temp_dir"),
       {bind<CooccurSettings>(
           {}, [](auto& s) -> auto& { return s.counting.temp_dir; })}},
      {from_train("threads"),
       {bind<CooccurSettings>(
           {}, [](auto& s) -> auto& { return s.counting.threads; })}},
      {from_train("lowercase"),
       {bind<CooccurSettings>(
           {}, [](auto& s) -> auto& { return s.lowercase; })}},
  };
}

const std::vector<Bound>& bound_options() {
  static const std::vector<Bound> bound = bound_cooccur_options();
  return bound;
}

}  // namespace

const OptionTable& cooccur_option_table() {
  static const OptionTable table = options::make_table<CooccurSettings>(
      "cooccur", "", {""}, bound_options(), [](std::string_view) { return CooccurSettings{}; });
  return table;
}

void apply_cooccur_options(const OptionValues& values, CooccurSettings& settings) {
  options::apply_bound(bound_options(), values, "", settings);
}

}  // namespace embkit
