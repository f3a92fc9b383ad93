// Reading training data (supervised/labelled_data.h): one pass tokenises the file into provisional
// token ids while counting; the dictionary is then cut and sorted (fastText's threshold()), and a
// second pass over the ids computes every line's features.
#include "supervised/labelled_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <numeric>

#include "embkit/error.h"
#include "embkit/subwords.h"
#include "supervised/labelled_text.h"
#include "supervised/token_table.h"

namespace embkit::supervised {

FeatureSettings feature_settings_for(const ClassifierOptions& options, uint32_t nwords) {
  FeatureSettings s;
  s.nwords = nwords;
  s.word_ngrams = std::max<uint32_t>(1, options.word_ngrams);
  const bool hashed = options.word_ngrams > 1 || options.maxn > 0;
  s.bucket = hashed ? options.bucket : 0;
  s.subwords = SubwordSettings{options.minn, options.maxn, s.bucket};
  return s;
}

TrainingData read_training_data(const std::string& path, const ClassifierOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  TextBytes bytes = read_text_bytes(path);
  const std::string_view prefix = options.label_prefix;

  // Pass 1: provisional ids in order of first appearance, with counts.
  TokenTable table;
  table.reserve(1 << 16);
  std::vector<uint64_t> counts;
  std::vector<uint8_t> is_label;
  std::vector<uint32_t> stream;
  std::vector<uint64_t> line_ends;
  stream.reserve(bytes.text.size() / 5 + 16);
  uint64_t lines = 0;
  for_each_line(bytes.text, [&](std::string_view line, bool ends_line, uint64_t) {
    ++lines;
    for_each_token(line, ends_line, [&](std::string_view token) {
      const uint32_t id = table.intern(token, fasttext_hash(token));
      if (id == counts.size()) {
        counts.push_back(0);
        is_label.push_back(token.substr(0, prefix.size()) == prefix ? 1 : 0);
      }
      ++counts[id];
      stream.push_back(id);
    });
    line_ends.push_back(stream.size());
  });
  if (stream.empty()) throw FormatError(path, "no examples: the file is empty");

  // The dictionary: words, then labels, each by count (ties in order of first appearance).
  std::vector<uint32_t> words, labels;
  uint64_t label_tokens = 0;
  TrainingData data;
  for (uint32_t id = 0; id < counts.size(); ++id) {
    if (is_label[id]) {
      label_tokens += counts[id];
      if (counts[id] >= options.min_count_label) labels.push_back(id);
    } else if (counts[id] >= options.min_count) {
      words.push_back(id);
    } else {
      ++data.stats.dropped_words;
    }
  }
  if (label_tokens == 0)
    throw FormatError(path, fmt::format("no line has a label (labels are tokens that start with '{}'; "
                                        "see --label)",
                                        prefix));
  if (labels.empty())
    throw FormatError(path, fmt::format("no label occurs at least {} times (--min-count-label)",
                                        options.min_count_label));
  if (words.empty())
    throw FormatError(path, fmt::format("no word occurs at least {} times (--min-count)",
                                        options.min_count));
  auto by_count = [&](uint32_t a, uint32_t b) { return counts[a] > counts[b]; };
  std::stable_sort(words.begin(), words.end(), by_count);
  std::stable_sort(labels.begin(), labels.end(), by_count);
  constexpr int64_t kDropped = -1;
  std::vector<int64_t> final_id(counts.size(), kDropped);
  data.nwords = static_cast<uint32_t>(words.size());
  data.nlabels = static_cast<uint32_t>(labels.size());
  data.entries.reserve(words.size() + labels.size());
  for (uint32_t w : words) {
    final_id[w] = static_cast<int64_t>(data.entries.size());
    data.entries.push_back({table.token(w), static_cast<int64_t>(counts[w]), FastTextEntryType::Word});
  }
  for (uint32_t l : labels) {
    final_id[l] = static_cast<int64_t>(data.entries.size());
    data.entries.push_back({table.token(l), static_cast<int64_t>(counts[l]), FastTextEntryType::Label});
  }
  data.ntokens = stream.size();

  // Pass 2: the features of every line.
  data.features = feature_settings_for(options, data.nwords);
  std::vector<std::string_view> word_texts;
  if (data.features.subwords.enabled()) {
    word_texts.reserve(words.size());
    for (uint32_t w : words) word_texts.push_back(table.token(w));
  }
  WordFeatures word_features;
  word_features.build(data.features, word_texts);
  std::vector<uint32_t> features, hashes, line_labels;
  LabelledExamples& examples = data.examples;
  examples.features.reserve(stream.size() * std::max<uint32_t>(1, data.features.word_ngrams));
  uint64_t begin = 0;
  const int64_t end_of_line_id = table.find(kEndOfLine, fasttext_hash(kEndOfLine));
  const uint32_t end_of_line = end_of_line_id >= 0 ? static_cast<uint32_t>(end_of_line_id) : UINT32_MAX;
  for (uint64_t end : line_ends) {
    LineFeatureBuilder builder(data.features, word_features, features, hashes);
    line_labels.clear();
    bool blank = true;
    for (uint64_t i = begin; i < end; ++i) {
      const uint32_t id = stream[i];
      if (id != end_of_line) blank = false;
      const int64_t known = final_id[id];
      if (is_label[id]) {
        if (known >= 0) line_labels.push_back(static_cast<uint32_t>(known) - data.nwords);
      } else if (known >= 0) {
        builder.add_known_word(static_cast<uint32_t>(known), table.hash(id));
      } else {
        builder.add_unknown_word(table.token(id), table.hash(id));
      }
    }
    builder.finish();
    const uint32_t line_tokens = static_cast<uint32_t>(end - begin);
    begin = end;
    if (line_labels.empty()) {
      if (!blank) ++data.stats.unlabelled_lines;
      continue;
    }
    if (features.empty()) {
      ++data.stats.featureless_lines;
      continue;
    }
    examples.add(features, line_labels, line_tokens);
  }
  if (examples.size() == 0)
    throw FormatError(path, "no line has both a kept label and a feature to learn from");
  data.stats.lines = lines;
  data.stats.examples = examples.size();
  data.stats.tokens = stream.size();
  data.stats.words = data.nwords;
  data.stats.labels = data.nlabels;
  data.stats.read_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return data;
}

}  // namespace embkit::supervised
