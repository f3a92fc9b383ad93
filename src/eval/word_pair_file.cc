#include "eval/word_pair_file.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string_view>

#include "eval/read_file.h"
#include "eval/text_fields.h"

namespace embkit {
namespace {

constexpr std::array<std::string_view, 5> kScoreColumnNames = {"simlex999", "score", "similarity",
                                                               "sim", "relatedness"};

std::vector<std::string_view> split_fields(std::string_view line) {
  return line.find('\t') != std::string_view::npos ? split_on(line, '\t') : split_whitespace(line);
}

bool is_score_column_name(std::string_view field) {
  std::string name(strip_whitespace(field));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kScoreColumnNames.begin(), kScoreColumnNames.end(), name) !=
         kScoreColumnNames.end();
}

struct Layout {
  size_t fields = 3;
  size_t score_column = 2;
};

Layout layout_from_header(const std::vector<std::string_view>& header) {
  Layout layout{header.size(), 2};
  for (size_t column = 2; column < header.size(); ++column) {
    if (is_score_column_name(header[column])) {
      layout.score_column = column;
      break;
    }
  }
  return layout;
}

}  // namespace

std::vector<WordPair> read_word_pairs(const std::string& path) {
  const std::string content = read_whole_file(path);
  std::vector<WordPair> pairs;
  Layout layout;
  bool header_possible = true;
  for (std::string_view line : split_lines_universal(content)) {
    if (line.starts_with('#')) continue;
    const std::vector<std::string_view> fields = split_fields(line);
    if (header_possible && fields.size() >= 3) {
      header_possible = false;
      if (!parse_number(fields[2])) {
        layout = layout_from_header(fields);
        continue;
      }
    }
    if (fields.size() != layout.fields) continue;
    const std::optional<double> score = parse_number(fields[layout.score_column]);
    if (!score) continue;
    pairs.push_back({std::string(fields[0]), std::string(fields[1]), *score});
  }
  return pairs;
}

}  // namespace embkit
