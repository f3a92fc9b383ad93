#include "eval/analogy_questions.h"

#include <string_view>

#include "embkit/error.h"
#include "eval/read_file.h"
#include "eval/text_fields.h"

namespace embkit {

std::vector<AnalogyQuestionSection> read_analogy_questions(const std::string& path) {
  const std::string content = read_whole_file(path);
  std::vector<AnalogyQuestionSection> sections;
  std::string_view rest = content;
  for (size_t line_number = 1; !rest.empty(); ++line_number) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);

    if (line.starts_with(": ")) {
      const size_t name_start = line.find_first_not_of(": ");
      const std::string_view name =
          name_start == std::string_view::npos ? std::string_view() : line.substr(name_start);
      sections.push_back({std::string(strip_whitespace(name)), {}});
      continue;
    }
    if (sections.empty())
      throw FormatError(path, line_number, "question before the first ': section' header line");
    const std::vector<std::string_view> words = split_whitespace(line);
    if (words.size() != 4) continue;
    sections.back().questions.push_back({std::string(words[0]), std::string(words[1]),
                                         std::string(words[2]), std::string(words[3])});
  }
  return sections;
}

}  // namespace embkit
