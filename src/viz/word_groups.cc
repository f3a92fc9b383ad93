// Word groups for plot colours (embkit/word_groups.h).
#include "embkit/word_groups.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <map>

#include "embkit/error.h"

namespace embkit {

WordGroups read_word_groups(const std::string& path, std::span<const std::string_view> words) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("open", path, errno);
  std::map<std::string, std::string> group_of;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 == line.size())
      throw FormatError(path, number, "expected \"word<TAB>group\"");
    group_of[line.substr(0, tab)] = line.substr(tab + 1);
  }
  WordGroups result;
  std::vector<std::string>& names = result.names;
  std::vector<const std::string*> labels;
  for (std::string_view word : words) {
    auto it = group_of.find(std::string(word));
    labels.push_back(it == group_of.end() ? nullptr : &it->second);
    if (labels.back()) names.push_back(*labels.back());
  }
  auto as_number = [](const std::string& s, long& value) {
    return std::from_chars(s.data(), s.data() + s.size(), value).ptr == s.data() + s.size();
  };
  long unused = 0;
  const bool numeric = std::all_of(names.begin(), names.end(),
                                   [&](const std::string& s) { return as_number(s, unused); });
  std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    long x = 0, y = 0;
    if (numeric && as_number(a, x) && as_number(b, y)) return x < y;
    return a < b;
  });
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const std::string* label : labels)
    result.groups.push_back(
        label ? static_cast<int>(std::find(names.begin(), names.end(), *label) - names.begin())
              : -1);
  return result;
}

}  // namespace embkit
