// `embkit neighbors MODEL [WORD ...] [-k 10] [--restrict N] [--rerank N] [--json]`: nearest words by
// cosine. Words come from the command line or, when none are given, from standard input (whitespace
// separated), answered in batches so long word lists use the blocked search.
//
// One word is searched against the rows scaled by their inverse norms in one pass (no normalized
// copy of the matrix), so the first answer costs one read of the mapped rows. An i8 native file is
// searched on its int8 codes (int8_search.h), the best --rerank candidates re-scored against the
// dequantized codes.

#include <fmt/format.h>

#include "cli/common.h"
#include "query/query_vector.h"
#include "embkit/error.h"
#include "embkit/int8_search.h"

namespace embkit::cli {
namespace {

struct NeighborsArgs {
  ModelArgs model;
  std::vector<std::string> words;
  size_t k = 10;
  size_t restrict_vocab = 0;
  size_t rerank = 0;
  bool rerank_given = false;
  bool json = false;
};

// Re-scored candidates of an i8 search when --rerank is not given, per neighbour asked for.
constexpr size_t kRerankPerNeighbor = 4;

void print_result(const Vocab& vocab, const std::string& word, const std::vector<Hit>& hits,
                  uint32_t self, size_t k, bool json) {
  nlohmann::json list = nlohmann::json::array();
  size_t rank = 0;
  if (!json) fmt::print("{}\n", word);
  for (const Hit& hit : hits) {
    if (hit.id == self) continue;
    if (rank == k) break;
    std::string_view neighbor = vocab.word(hit.id);
    if (json) {
      list.push_back({{"word", std::string(neighbor)}, {"score", json_number(hit.score)}});
    } else {
      fmt::print("  {:>3}  {:<24} {:.4f}\n", rank + 1, neighbor, hit.score);
    }
    ++rank;
  }
  if (json) std::cout << nlohmann::json{{"query", word}, {"neighbors", list}}.dump() << '\n';
  std::cout.flush();
}

// The words of the batch found in the vocabulary, with their ids; the others are reported. With a
// subword model (`kv` given) unknown words are kept with id kNoRow and get n-gram vectors.
constexpr uint32_t kNoRow = ~uint32_t{0};
struct KnownWords {
  std::vector<std::string> words;
  std::vector<uint32_t> ids;
};

KnownWords resolve_words(const Vocab& vocab, const std::vector<std::string>& batch,
                         const KeyedVectors* kv = nullptr) {
  KnownWords known;
  for (const std::string& word : batch) {
    if (auto id = vocab.find(word)) {
      known.words.push_back(word);
      known.ids.push_back(*id);
    } else if (kv != nullptr && kv->has_vector(word)) {
      known.words.push_back(word);
      known.ids.push_back(kNoRow);
    } else if (kv != nullptr && kv->has_subwords()) {
      report_error(KeyError(word, "and none of its character n-grams is in the model").what());
    } else {
      report_error(KeyError(word, "and the model has no subword n-grams for unseen words").what());
    }
  }
  return known;
}

std::vector<std::vector<Hit>> search_floats(const KeyedVectors& kv, const std::vector<uint32_t>& ids,
                                            const std::vector<std::string>& words,
                                            const SearchOptions& options) {
  Matrix queries(ids.size(), kv.dim());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == kNoRow)
      unit_word_vector(kv, words[i], queries.mutable_row(i));
    else
      kv.unit_row(ids[i], queries.mutable_row(i));
  }
  if (ids.size() == 1)
    return {top_k_scaled_inner_product(kv.vectors(), queries.row_span(0), kv.inverse_norms(),
                                       options)};
  return top_k_inner_product(kv.unit_rows(), queries, options);
}

void answer_float_batch(const KeyedVectors& kv, const std::vector<std::string>& batch,
                        const NeighborsArgs& args) {
  KnownWords known = resolve_words(kv.vocab(), batch, &kv);
  if (known.ids.empty()) return;
  SearchOptions options;
  options.k = args.k + 1;  // the query word itself comes back first; it is dropped
  options.restrict_rows = args.restrict_vocab;
  options.threads = args.model.threads;
  auto results = search_floats(kv, known.ids, known.words, options);
  for (size_t i = 0; i < known.ids.size(); ++i)
    print_result(kv.vocab(), known.words[i], results[i], known.ids[i], args.k, args.json);
}

// An i8 file's codes and the index over the searched rows (the first --restrict ones).
struct Int8Model {
  QuantizedVectors vectors;
  Int8Index index;
};

Int8Model open_int8_model(const NeighborsArgs& args) {
  Int8Model model{load_int8(args.model.path, load_options(args.model)), {}};
  const Int8Matrix& codes = model.vectors.codes;
  const size_t rows = args.restrict_vocab ? std::min(args.restrict_vocab, codes.rows()) : codes.rows();
  Int8Matrix searched =
      Int8Matrix::borrow(codes.row(0), rows, codes.cols(), codes.stride(), codes.scales(), nullptr);
  model.index = Int8Index::from_codes(searched, Metric::Cosine, args.model.threads);
  return model;
}

void answer_int8_batch(const Int8Model& model, const std::vector<std::string>& batch,
                       const NeighborsArgs& args) {
  KnownWords known = resolve_words(model.vectors.vocab, batch);
  if (known.ids.empty()) return;
  const Int8Matrix& codes = model.vectors.codes;
  Matrix queries(known.ids.size(), codes.cols());
  for (size_t i = 0; i < known.ids.size(); ++i) {
    const int8_t* row = codes.row(known.ids[i]);
    float* query = queries.mutable_row(i);
    for (size_t j = 0; j < codes.cols(); ++j) query[j] = row[j] * codes.scales()[j];
  }
  Int8SearchOptions options;
  options.k = args.k + 1;  // the query word itself comes back first; it is dropped
  options.rerank = args.rerank_given ? args.rerank : kRerankPerNeighbor * options.k;
  options.threads = args.model.threads;
  auto results = int8_top_k(model.index, queries, options);
  for (size_t i = 0; i < known.ids.size(); ++i)
    print_result(model.vectors.vocab, known.words[i], results[i], known.ids[i], args.k, args.json);
}

void run_neighbors(const NeighborsArgs& args) {
  const Dtype dtype = stored_dtype(args.model.path, parse_format(args.model.format));
  if (dtype == Dtype::I8) {
    Int8Model model = open_int8_model(args);
    for_each_word_batch(args.words, [&](const std::vector<std::string>& batch) {
      answer_int8_batch(model, batch, args);
    });
    return;
  }
  if (args.rerank_given)
    throw UsageError(fmt::format("--rerank applies to i8 native files only; '{}' holds {} vectors, "
                                 "which are searched exactly",
                                 args.model.path, dtype_name(dtype)));
  KeyedVectors kv = load_model(args.model);
  for_each_word_batch(args.words, [&](const std::vector<std::string>& batch) {
    answer_float_batch(kv, batch, args);
  });
}

}  // namespace

void add_neighbors_command(CLI::App& app) {
  auto args = std::make_shared<NeighborsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "neighbors", "Nearest words by cosine similarity (words from stdin when none are given)");
  add_model_args(cmd, args->model);
  cmd->add_option("WORD", args->words, "Query words");
  add_k_arg(cmd, args->k, "Neighbours per word");
  cmd->add_option("--restrict", args->restrict_vocab, "Search only the N most frequent words");
  CLI::Option* rerank = cmd->add_option(
      "--rerank", args->rerank,
      "i8 files: re-score the best N int8 candidates with dequantized floats (default 4 (k + 1); "
      "0: int8 scores)");
  cmd->add_flag("--json", args->json, "One JSON object per query word, one per line");
  add_threads_arg(cmd, args->model.threads);
  cmd->callback([args, rerank] {
    args->rerank_given = rerank->count() > 0;
    run_neighbors(*args);
  });
}

}  // namespace embkit::cli
