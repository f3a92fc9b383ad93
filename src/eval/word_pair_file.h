// Reading word-pair similarity files (WordSim-353, SimLex-999, MEN, ...).
//
// A line is split on tabs when it has one (gensim's default delimiter; words are then taken
// verbatim), otherwise on runs of whitespace. Lines starting with '#' are comments. Without a
// header a pair line is exactly `word1 word2 score`; any other line is skipped, as gensim skips it.
// A header is recognised as the first non-comment line with at least three fields whose third field
// is not a number (for instance SimLex-999's original "word1 word2 POS SimLex999 conc(w1) ..."):
// pair lines then have as many fields as the header, the words are the first two, and the score is
// the column named SimLex999, score, similarity, sim or relatedness (any case), else the third.
#pragma once

#include <string>
#include <vector>

namespace embkit {

struct WordPair {
  std::string first, second;
  double score;
};

// Throws IoError when the file cannot be read.
std::vector<WordPair> read_word_pairs(const std::string& path);

}  // namespace embkit
