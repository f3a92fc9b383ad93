// evaluate_analogies: gensim's evaluate_word_analogies, with every answered question of the file
// searched in one batch (query/word_query_search.h: the cosines of the few distinct question words
// are shared by all questions). Per question gensim asks most_similar(positive=[b, c],
// negative=[a], topn=5, restrict_vocab) for its best 5 + 3 rows, drops the ids of a, b and c, and
// predicts the first of the remaining (at most 5) words whose key is not one of the question's keys
// a, b, c; when none qualifies the prediction is the last word looked at. The question counts as
// correct when the prediction's key equals the expected key.
#include <algorithm>
#include <array>
#include <string>
#include <optional>

#include "embkit/analogy.h"
#include "eval/analogy_questions.h"
#include "eval/restricted_vocab.h"
#include "query/ranking.h"
#include "query/word_query_search.h"

namespace embkit {
namespace {

constexpr size_t kCandidatesPerQuestion = 5;

struct AnsweredQuestion {
  size_t section;
  size_t position;  // in the section
  std::array<std::string, 4> keys;  // a, b, c, expected, folded
  std::array<uint32_t, 4> ids;
};

// Best-first hits per question: the best 5 + 3 rows (zero-length rows last), enough for the ranking
// tail to drop the three query words.
std::vector<std::vector<Hit>> search_answers(const KeyedVectors& kv,
                                             const std::vector<AnsweredQuestion>& questions,
                                             size_t rows, const AnalogyOptions& options) {
  std::vector<WordQuery> queries(questions.size());
  for (size_t q = 0; q < questions.size(); ++q) {
    const auto& ids = questions[q].ids;
    queries[q] = {{ids[1], ids[2]}, {ids[0]}};
  }
  return top_k_word_queries(kv, queries, options.method, kCandidatesPerQuestion + 3, rows,
                            options.threads);
}

// The query words gensim drops from the hits: a list for 3CosAdd (duplicates count towards the
// number of extra hits), distinct ids for 3CosMul.
std::vector<uint32_t> excluded_ids(const AnsweredQuestion& question, AnalogyMethod method) {
  std::vector<uint32_t> excluded{question.ids[1], question.ids[2], question.ids[0]};
  if (method == AnalogyMethod::Mul) {
    std::sort(excluded.begin(), excluded.end());
    excluded.erase(std::unique(excluded.begin(), excluded.end()), excluded.end());
  }
  return excluded;
}

bool is_correct(const KeyedVectors& kv, const RestrictedVocab& vocab,
                const AnsweredQuestion& question, const std::vector<Hit>& candidates) {
  // Every candidate lies in the restricted vocabulary, so gensim's "predicted in ok_vocab" holds.
  std::optional<std::string> predicted;
  for (const Hit& hit : candidates) {
    predicted = vocab.fold(kv.vocab().word(hit.id));
    const bool is_query_word = *predicted == question.keys[0] || *predicted == question.keys[1] ||
                               *predicted == question.keys[2];
    if (!is_query_word) break;
  }
  return predicted && *predicted == question.keys[3];
}

std::string lower_ascii(std::string word) {
  for (char& c : word)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return word;
}

}  // namespace

AnalogyResult evaluate_analogies(const KeyedVectors& kv, const std::string& path,
                                 const AnalogyOptions& options) {
  const std::vector<AnalogyQuestionSection> file = read_analogy_questions(path);
  AnalogyResult result;
  result.file = path;

  std::vector<std::string> keys;
  for (const AnalogyQuestionSection& section : file)
    for (const auto& question : section.questions)
      for (const std::string& word : question)
        keys.push_back(fold_word(word, options.case_insensitive));
  const RestrictedVocab vocab(kv, options.restrict_vocab, options.case_insensitive, keys);

  std::vector<AnsweredQuestion> answered;
  struct OovQuestion {
    std::array<std::string, 4> keys;
    std::array<std::string, 3> words;
  };
  std::vector<OovQuestion> oov_questions;
  const bool subwords = options.subwords && kv.has_subwords();
  size_t next_key = 0;
  for (size_t s = 0; s < file.size(); ++s) {
    AnalogySection& section = result.sections.emplace_back();
    section.name = file[s].name;
    section.total = file[s].questions.size();
    for (size_t q = 0; q < file[s].questions.size(); ++q) {
      AnsweredQuestion question{s, q, {}, {}};
      bool known = true;
      for (size_t w = 0; w < 4; ++w) {
        question.keys[w] = std::move(keys[next_key++]);
        const std::optional<uint32_t> id = vocab.find(question.keys[w]);
        known = known && id.has_value();
        question.ids[w] = id.value_or(0);
      }
      if (options.keep_questions) result.sections[s].questions.push_back({question.keys});
      if (known) {
        answered.push_back(std::move(question));
      } else if (subwords && vocab.find(question.keys[3])) {
        std::array<std::string, 3> words;
        bool have = true;
        for (size_t w = 0; w < 3 && have; ++w) {
          // The model's casing: the key when it is a word, else the file's word lower-cased.
          const std::string& original = file[s].questions[q][w];
          words[w] = options.case_insensitive ? lower_ascii(original) : original;
          have = vocab.find(question.keys[w]) ? true : kv.has_vector(words[w]);
          if (const auto id = vocab.find(question.keys[w])) words[w] = std::string(kv.vocab().word(*id));
        }
        if (have) oov_questions.push_back({std::move(question.keys), std::move(words)});
      }
    }
  }

  const std::vector<std::vector<Hit>> hits = search_answers(kv, answered, vocab.rows(), options);
  for (size_t q = 0; q < answered.size(); ++q) {
    const AnsweredQuestion& question = answered[q];
    const std::vector<uint32_t> excluded = excluded_ids(question, options.method);
    const std::vector<Hit> candidates =
        finish_ranking(hits[q], kv.norms(), kCandidatesPerQuestion + excluded.size(), excluded,
                       kCandidatesPerQuestion);
    AnalogySection& section = result.sections[question.section];
    ++section.answered;
    const bool correct = is_correct(kv, vocab, question, candidates);
    if (correct) ++section.correct;
    if (options.keep_questions)
      section.questions[question.position].outcome =
          correct ? AnalogyOutcome::Correct : AnalogyOutcome::Incorrect;
  }

  QueryOptions query;
  query.topn = kCandidatesPerQuestion;
  query.restrict_vocab = vocab.rows();
  query.threads = options.threads;
  for (const OovQuestion& question : oov_questions) {
    const std::vector<std::string> positive{question.words[1], question.words[2]};
    const std::vector<std::string> negative{question.words[0]};
    const std::vector<Neighbor> answers =
        options.method == AnalogyMethod::Mul ? most_similar_cosmul(kv, positive, negative, query)
                                             : most_similar(kv, positive, negative, query);
    std::optional<std::string> predicted;
    for (const Neighbor& n : answers) {
      predicted = vocab.fold(n.word);
      if (*predicted != question.keys[0] && *predicted != question.keys[1] &&
          *predicted != question.keys[2])
        break;
    }
    ++result.oov_answered;
    if (predicted && *predicted == question.keys[3]) ++result.oov_correct;
  }

  for (const AnalogySection& section : result.sections) {
    result.correct += section.correct;
    result.answered += section.answered;
    result.total += section.total;
    if (section.syntactic()) {
      result.syntactic_correct += section.correct;
      result.syntactic_answered += section.answered;
    } else {
      result.semantic_correct += section.correct;
      result.semantic_answered += section.answered;
    }
  }
  return result;
}

}  // namespace embkit
