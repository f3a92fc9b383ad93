// Training speed and quality driver for word2vec: loads a corpus (plain or compressed, whitespace
// tokens, one sentence per line, min_count 5), trains with the given settings, prints one line of
// figures (words/sec counts raw tokens x epochs over the training wall time) and optionally saves
// the vectors for `embkit eval`.
//   train_speed CORPUS [--arch sg|cbow] [--classic] [--threads N] [--epochs N] [--dim N]
//               [--sample S] [--out MODEL]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fstream>
#include <iterator>

#include "core/decompress.h"
#include "embkit/io.h"
#include "embkit/word2vec.h"

namespace {

struct Loaded {
  embkit::Vocab vocab;
  embkit::EncodedCorpus corpus;
};

// A minimal loader for measurement only (the library's corpus reader is the real one).
Loaded load_corpus(const std::string& path, uint64_t min_count) {
  std::ifstream in(path, std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string text = embkit::decompress(file, embkit::detect_compression(file), path);
  file.clear();
  file.shrink_to_fit();
  std::unordered_map<std::string_view, uint32_t> ids;
  std::vector<std::string_view> words;
  std::vector<uint64_t> counts;
  std::vector<uint32_t> raw;
  std::vector<uint64_t> raw_ends;
  size_t i = 0, n = text.size();
  size_t in_sentence = 0;
  while (i < n) {
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
    if (i < n && text[i] == '\n') {
      if (in_sentence) raw_ends.push_back(raw.size());
      in_sentence = 0;
      ++i;
      continue;
    }
    size_t start = i;
    while (i < n && !std::strchr(" \t\r\n", text[i])) ++i;
    if (i == start) continue;
    std::string_view word(text.data() + start, i - start);
    auto [it, inserted] = ids.try_emplace(word, static_cast<uint32_t>(words.size()));
    if (inserted) {
      words.push_back(word);
      counts.push_back(0);
    }
    ++counts[it->second];
    raw.push_back(it->second);
    if (++in_sentence == 10000) {
      raw_ends.push_back(raw.size());
      in_sentence = 0;
    }
  }
  if (in_sentence) raw_ends.push_back(raw.size());
  std::vector<uint32_t> order(words.size());
  for (uint32_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return counts[a] > counts[b]; });
  std::vector<uint32_t> remap(words.size(), UINT32_MAX);
  Loaded loaded;
  for (uint32_t k = 0; k < order.size() && counts[order[k]] >= min_count; ++k) {
    remap[order[k]] = k;
    loaded.vocab.add(words[order[k]], counts[order[k]]);
  }
  loaded.corpus.raw_tokens = raw.size();
  uint64_t begin = 0;
  for (uint64_t end : raw_ends) {
    for (uint64_t t = begin; t < end; ++t)
      if (remap[raw[t]] != UINT32_MAX) loaded.corpus.ids.push_back(remap[raw[t]]);
    loaded.corpus.sentence_ends.push_back(loaded.corpus.ids.size());
    begin = end;
  }
  return loaded;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: train_speed CORPUS [--arch sg|cbow] [--classic] [--threads N] "
                       "[--epochs N] [--dim N] [--sample S] [--out MODEL]\n");
    return 2;
  }
  embkit::Word2VecOptions options;
  options.sample = 1e-4;
  options.threads = 2;
  std::string out;
  for (int a = 2; a < argc; ++a) {
    std::string_view arg = argv[a];
    auto value = [&] { return std::string(a + 1 < argc ? argv[++a] : ""); };
    if (arg == "--arch") {
      options.architecture =
          value() == "cbow" ? embkit::Word2VecArchitecture::Cbow : embkit::Word2VecArchitecture::SkipGram;
    } else if (arg == "--classic") {
      options.minibatch = false;
    } else if (arg == "--threads") {
      options.threads = std::stoi(value());
    } else if (arg == "--epochs") {
      options.epochs = std::stoul(value());
    } else if (arg == "--dim") {
      options.dim = std::stoul(value());
    } else if (arg == "--sample") {
      options.sample = std::stod(value());
    } else if (arg == "--out") {
      out = value();
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  Loaded loaded = load_corpus(argv[1], 5);
  double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  embkit::TrainResult result = embkit::train_word2vec(loaded.vocab, loaded.corpus, options);
  fmt::print("{} {} threads={} vocab={} tokens={} load={:.1f}s train={:.1f}s words/s={:.0f} "
             "loss={:.4f} skipped={}\n",
             options.architecture == embkit::Word2VecArchitecture::Cbow ? "cbow" : "sg",
             options.minibatch ? "minibatch" : "classic", options.threads, loaded.vocab.size(),
             loaded.corpus.raw_tokens, load_seconds, result.seconds, result.words_per_second,
             result.final_loss, result.skipped_updates);
  if (!out.empty()) embkit::save(result.vectors, out);
  return 0;
}
