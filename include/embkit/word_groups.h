// Word groups for plot colours: a file of `word<TAB>group` lines (as `embkit cluster --output`
// writes), matched to the words being plotted.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace embkit {

struct WordGroups {
  std::vector<int> groups;         // per word: index into names, -1 when the file does not list it
  std::vector<std::string> names;  // the groups of the listed words, numerically when all are numbers
};

// Throws IoError, or FormatError naming the file and line for a line that is not word<TAB>group.
// A word listed twice takes its last group.
WordGroups read_word_groups(const std::string& path, std::span<const std::string_view> words);

}  // namespace embkit
