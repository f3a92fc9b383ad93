// Synthetic labelled data for the classifier tests, with planted structure: each class has its own
// indicative words among shared noise words; a multi-label set draws each line's words from the
// vocabularies of its topics; and a set whose classes differ only in word order, so that only word
// bigrams separate them.
#pragma once

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace embkit::classify_test {

// `classes` classes, `lines` lines each (interleaved), every line: 2 indicative words of its class
// (of 6) and 6 noise words (of 300), shuffled. A `flip` share of lines carries noise words only.
inline std::string planted_text(size_t classes, size_t lines, uint32_t seed, double flip = 0.0) {
  std::mt19937 rng(seed);
  std::string text;
  for (size_t i = 0; i < lines * classes; ++i) {
    const size_t c = i % classes;
    std::vector<std::string> words;
    if (std::uniform_real_distribution<double>(0, 1)(rng) >= flip)
      for (int j = 0; j < 2; ++j) words.push_back("c" + std::to_string(c) + "w" + std::to_string(rng() % 6));
    for (int j = 0; j < 6; ++j) words.push_back("n" + std::to_string(rng() % 300));
    std::shuffle(words.begin(), words.end(), rng);
    text += "__label__c" + std::to_string(c);
    for (const std::string& w : words) text += " " + w;
    text += "\n";
  }
  return text;
}

// Lines with 1 to 3 of `topics` topics as labels, 3 words from each topic's 8 and 3 noise words.
inline std::string multilabel_text(size_t topics, size_t lines, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string text;
  for (size_t i = 0; i < lines; ++i) {
    const size_t count = 1 + rng() % 3;
    std::vector<size_t> chosen;
    while (chosen.size() < count) {
      size_t t = rng() % topics;
      if (std::find(chosen.begin(), chosen.end(), t) == chosen.end()) chosen.push_back(t);
    }
    std::vector<std::string> words;
    for (size_t t : chosen)
      for (int j = 0; j < 3; ++j) words.push_back("t" + std::to_string(t) + "w" + std::to_string(rng() % 8));
    for (int j = 0; j < 3; ++j) words.push_back("n" + std::to_string(rng() % 200));
    std::shuffle(words.begin(), words.end(), rng);
    for (size_t t : chosen) text += "__label__t" + std::to_string(t) + " ";
    for (size_t j = 0; j < words.size(); ++j) text += (j ? " " : "") + words[j];
    text += "\n";
  }
  return text;
}

// Two classes with the same bag of words: class "ab" has "x y" as neighbours somewhere in the line,
// class "ba" has "y x"; the other words are noise.
inline std::string order_text(size_t lines, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string text;
  for (size_t i = 0; i < lines; ++i) {
    const bool forward = i % 2 == 0;
    std::vector<std::string> words;
    for (int j = 0; j < 5; ++j) words.push_back("n" + std::to_string(rng() % 50));
    const size_t at = rng() % (words.size() + 1);
    words.insert(words.begin() + static_cast<std::ptrdiff_t>(at), forward ? "y" : "x");
    words.insert(words.begin() + static_cast<std::ptrdiff_t>(at), forward ? "x" : "y");
    text += forward ? "__label__ab" : "__label__ba";
    for (const std::string& w : words) text += " " + w;
    text += "\n";
  }
  return text;
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace embkit::classify_test
