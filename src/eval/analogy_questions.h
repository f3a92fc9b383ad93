// Reading analogy question files in the questions-words.txt format: ": section name" lines start a
// section, every other line is a question "a b c expected" (a is to b as c is to expected).
#pragma once

#include <array>
#include <string>
#include <vector>

namespace embkit {

struct AnalogyQuestionSection {
  std::string name;
  std::vector<std::array<std::string, 4>> questions;  // a, b, c, expected as written in the file
};

// Parses like gensim's evaluate_word_analogies: lines end at '\n'; a line starting with ": " opens
// a section named by the rest of the line (leading ':' and ' ' and surrounding whitespace removed);
// a line that is not exactly four whitespace-separated words is skipped. Throws IoError, or
// FormatError naming the line when a line (even an empty one) comes before the first section.
std::vector<AnalogyQuestionSection> read_analogy_questions(const std::string& path);

}  // namespace embkit
