// A small synthetic corpus with planted structure for the word2vec tests: pairs of words that always
// occur together (with topic words of their own), country-capital sentences ("the capital of C is K",
// "people in K speak L"), and male-female words in parallel templates ("the M said he likes R",
// "the F said she likes R"). Trained vectors must recover the pairs as nearest neighbours and answer
// the planted analogies C1 : K1 :: C2 : K2 and M1 : F1 :: M2 : F2.
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "embkit/corpus_encoder.h"
#include "embkit/vocab.h"
#include "core/random.h"

namespace embkit::testing {

struct SyntheticCorpus {
  Vocab vocab;
  EncodedCorpus corpus;
  std::vector<std::pair<std::string, std::string>> pairs;         // always co-occur
  std::vector<std::pair<std::string, std::string>> analogy_rows;  // (a, b): a : b :: c : d
  std::vector<std::pair<std::string, std::string>> gender_rows;
};

inline SyntheticCorpus make_synthetic_corpus(size_t repeats = 12, uint64_t seed = 11) {
  const size_t kPairs = 8, kCountries = 8, kPeople = 6, kFillers = 16;
  train::TrainRng rng(seed);
  std::vector<std::vector<std::string>> sentences;
  auto filler = [&] { return "f" + std::to_string(rng.below(kFillers)); };
  auto with_fillers = [&](std::vector<std::string> words) {
    words.insert(words.begin(), filler());
    words.push_back(filler());
    return words;
  };
  SyntheticCorpus out;
  for (size_t i = 0; i < kPairs; ++i) {
    std::string a = "pa" + std::to_string(i), b = "pb" + std::to_string(i);
    std::string t1 = "topic" + std::to_string(i) + "x", t2 = "topic" + std::to_string(i) + "y";
    out.pairs.emplace_back(a, b);
    for (size_t r = 0; r < 3 * repeats; ++r) {
      std::vector<std::string> middle = {a, b, rng.below(2) ? t1 : t2};
      for (size_t k = middle.size(); k > 1; --k) std::swap(middle[k - 1], middle[rng.below(k)]);
      sentences.push_back(with_fillers(middle));
    }
  }
  for (size_t i = 0; i < kCountries; ++i) {
    std::string c = "country" + std::to_string(i), k = "capital" + std::to_string(i);
    std::string lang = "lang" + std::to_string(i), food = "food" + std::to_string(i);
    out.analogy_rows.emplace_back(c, k);
    for (size_t r = 0; r < repeats; ++r) {
      sentences.push_back(with_fillers({"the", "capital", "of", c, "is", k}));
      sentences.push_back(with_fillers({k, "is", "a", "city", "in", c}));
      sentences.push_back(with_fillers({lang, "is", "spoken", "in", "the", "country", c}));
      sentences.push_back(with_fillers({lang, "is", "spoken", "in", "the", "city", k}));
      sentences.push_back(with_fillers({"people", "in", c, "speak", lang}));
      sentences.push_back(with_fillers({"people", "in", k, "speak", lang}));
      sentences.push_back(with_fillers({"people", "in", c, "eat", food}));
      sentences.push_back(with_fillers({"people", "in", k, "eat", food}));
      sentences.push_back(with_fillers({c, "is", "a", "large", "country"}));
      sentences.push_back(with_fillers({k, "is", "a", "large", "city"}));
    }
  }
  for (size_t i = 0; i < kPeople; ++i) {
    std::string m = "male" + std::to_string(i), f = "female" + std::to_string(i);
    std::string role = "role" + std::to_string(i), tool = "tool" + std::to_string(i);
    out.gender_rows.emplace_back(m, f);
    for (size_t r = 0; r < repeats; ++r) {
      sentences.push_back(with_fillers({"the", m, "said", "he", "likes", role}));
      sentences.push_back(with_fillers({"the", f, "said", "she", "likes", role}));
      sentences.push_back(with_fillers({m, "is", "a", "man", "with", tool}));
      sentences.push_back(with_fillers({f, "is", "a", "woman", "with", tool}));
      sentences.push_back(with_fillers({"his", role, "is", m}));
      sentences.push_back(with_fillers({"her", role, "is", f}));
      sentences.push_back(with_fillers({"he", "is", "the", m, "man", "with", tool}));
      sentences.push_back(with_fillers({"she", "is", "the", f, "woman", "with", tool}));
    }
  }
  for (size_t k = sentences.size(); k > 1; --k)
    std::swap(sentences[k - 1], sentences[rng.below(static_cast<uint32_t>(k))]);

  // Vocabulary in frequency order (ties: first seen first), then the encoded corpus.
  std::unordered_map<std::string, size_t> first_seen, counts;
  std::vector<std::string> words;
  for (const auto& sentence : sentences)
    for (const auto& word : sentence) {
      if (first_seen.emplace(word, words.size()).second) words.push_back(word);
      ++counts[word];
    }
  std::stable_sort(words.begin(), words.end(),
                   [&](const std::string& a, const std::string& b) { return counts[a] > counts[b]; });
  for (const auto& word : words) out.vocab.add(word, counts[word]);
  for (const auto& sentence : sentences) {
    for (const auto& word : sentence) out.corpus.ids.push_back(*out.vocab.find(word));
    out.corpus.sentence_ends.push_back(out.corpus.ids.size());
  }
  out.corpus.raw_tokens = out.corpus.ids.size();
  return out;
}

// The default corpus, built once per test binary.
inline const SyntheticCorpus& shared_synthetic_corpus() {
  static const SyntheticCorpus c = make_synthetic_corpus();
  return c;
}

}  // namespace embkit::testing
