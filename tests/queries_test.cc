// Word queries on hand-made 2-D vectors whose cosines are known in closed form.
#include "embkit/queries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>

#include "embkit/error.h"
#include "query/word_query_search.h"

namespace embkit {
namespace {

KeyedVectors make_vectors(std::initializer_list<std::pair<const char*, std::vector<float>>> rows) {
  Vocab vocab;
  const size_t dim = rows.begin()->second.size();
  Matrix matrix(rows.size(), dim);
  size_t i = 0;
  for (const auto& [word, values] : rows) {
    vocab.add(word);
    for (size_t j = 0; j < dim; ++j) matrix.mutable_row(i)[j] = values[j];
    ++i;
  }
  return KeyedVectors(std::move(vocab), std::move(matrix));
}

// Compass directions: cos(east, northeast) = cos(east, southeast) = 1/sqrt(2), cos(east, nne) =
// 1/sqrt(5), cos(east, north) = 0, cos(east, west) = -1; "zero" has no direction.
KeyedVectors compass() {
  return make_vectors({{"east", {1, 0}},
                       {"north", {0, 2}},
                       {"northeast", {1, 1}},
                       {"west", {-3, 0}},
                       {"zero", {0, 0}},
                       {"southeast", {1, -1}},
                       {"nne", {1, 2}}});
}

std::vector<std::string> words_of(const std::vector<Neighbor>& neighbors) {
  std::vector<std::string> words;
  for (const Neighbor& neighbor : neighbors) words.emplace_back(neighbor.word);
  return words;
}

const float kHalfSqrt2 = static_cast<float>(std::sqrt(0.5));

TEST(Queries, SimilarityCosineDotAndL2) {
  KeyedVectors kv = compass();
  EXPECT_NEAR(similarity(kv, "east", "nne"), 1 / std::sqrt(5.0), 1e-7);
  EXPECT_NEAR(similarity(kv, "north", "northeast"), std::sqrt(0.5), 1e-7);
  EXPECT_FLOAT_EQ(similarity(kv, "east", "west"), -1.0f);
  EXPECT_FLOAT_EQ(similarity(kv, "east", "zero"), 0.0f);
  EXPECT_FLOAT_EQ(similarity(kv, "north", "nne", Metric::Dot), 4.0f);
  EXPECT_FLOAT_EQ(similarity(kv, "east", "west", Metric::L2), 4.0f);
  EXPECT_FLOAT_EQ(similarity(kv, "north", "east", Metric::L2), static_cast<float>(std::sqrt(5.0)));
}

TEST(Queries, UnknownWordsThrowKeyError) {
  KeyedVectors kv = compass();
  EXPECT_THROW(similarity(kv, "east", "up"), KeyError);
  EXPECT_THROW(most_similar(kv, {"east"}, {"up"}), KeyError);
  EXPECT_THROW(most_similar_cosmul(kv, {"up"}, {}), KeyError);
  EXPECT_THROW(analogy(kv, "east", "up", "west", AnalogyMethod::Add), KeyError);
  try {
    most_similar(kv, {"East"}, {});
    FAIL() << "expected KeyError";
  } catch (const KeyError& error) {
    EXPECT_EQ(error.word(), "East");
    EXPECT_STREQ(error.what(),
                 "word 'East' is not in the vocabulary (and the model has no subword n-grams for "
                 "unseen words)");
  }
}

TEST(Queries, MostSimilarExcludesTheQueryWordAndOrdersTiesById) {
  KeyedVectors kv = compass();
  QueryOptions options;
  options.topn = 3;
  std::vector<Neighbor> result = most_similar(kv, {"east"}, {}, options);
  ASSERT_EQ(result.size(), 3u);
  EXPECT_EQ(words_of(result), (std::vector<std::string>{"northeast", "southeast", "nne"}));
  EXPECT_EQ(result[0].id, 2u);
  EXPECT_NEAR(result[0].score, kHalfSqrt2, 1e-6);
  EXPECT_NEAR(result[1].score, kHalfSqrt2, 1e-6);
  EXPECT_NEAR(result[2].score, 1 / std::sqrt(5.0), 1e-6);
}

TEST(Queries, MostSimilarPutsZeroRowsLastWithNaN) {
  KeyedVectors kv = compass();
  std::vector<Neighbor> result = most_similar(kv, {"east"}, {});
  EXPECT_EQ(words_of(result),
            (std::vector<std::string>{"northeast", "southeast", "nne", "north", "west", "zero"}));
  EXPECT_NEAR(result[3].score, 0.0, 1e-6);
  EXPECT_NEAR(result[4].score, -1.0, 1e-6);
  EXPECT_TRUE(std::isnan(result[5].score));
}

TEST(Queries, MostSimilarWithPositiveAndNegativeWords) {
  // unit(north) + unit(east) - unit(west) = (2, 1): cosines 3/sqrt(10), 4/5, 1/sqrt(10).
  KeyedVectors kv = compass();
  std::vector<Neighbor> result = most_similar(kv, {"north", "east"}, {"west"});
  EXPECT_EQ(words_of(result), (std::vector<std::string>{"northeast", "nne", "southeast", "zero"}));
  EXPECT_NEAR(result[0].score, 3 / std::sqrt(10.0), 1e-6);
  EXPECT_NEAR(result[1].score, 0.8, 1e-6);
  EXPECT_NEAR(result[2].score, 1 / std::sqrt(10.0), 1e-6);
  // Only negative words: the direction of -unit(west) is east.
  std::vector<Neighbor> away = most_similar(kv, {}, {"west"}, {.topn = 1});
  ASSERT_EQ(away.size(), 1u);
  EXPECT_EQ(away[0].word, "east");
  EXPECT_NEAR(away[0].score, 1.0, 1e-6);
}

TEST(Queries, RestrictVocabLimitsCandidatesToTheFirstRows) {
  KeyedVectors kv = compass();
  std::vector<Neighbor> result = most_similar(kv, {"east"}, {}, {.topn = 10, .restrict_vocab = 4});
  EXPECT_EQ(words_of(result), (std::vector<std::string>{"northeast", "north", "west"}));
  std::vector<Neighbor> cosmul =
      most_similar_cosmul(kv, {"east"}, {}, {.topn = 10, .restrict_vocab = 4});
  EXPECT_EQ(words_of(cosmul), (std::vector<std::string>{"northeast", "north", "west"}));
}

TEST(Queries, TopnZeroAndEmptyQueries) {
  KeyedVectors kv = compass();
  EXPECT_TRUE(most_similar(kv, {"east"}, {}, {.topn = 0}).empty());
  EXPECT_TRUE(most_similar_cosmul(kv, {"east"}, {}, {.topn = 0}).empty());
  EXPECT_THROW(most_similar(kv, {}, {}), UsageError);
  EXPECT_THROW(most_similar_cosmul(kv, {}, {"west"}), UsageError);
}

TEST(Queries, CosMulFollowsLevyGoldbergWithShiftedCosines) {
  KeyedVectors kv = compass();
  auto shifted = [](double cosine) { return (1 + cosine) / 2; };
  const double r2 = std::sqrt(0.5), r5 = 1 / std::sqrt(5.0);
  // positive north, east; negative west
  const double northeast = shifted(r2) * shifted(r2) / (shifted(-r2) + 1e-6);
  const double nne = shifted(2 * r5) * shifted(r5) / (shifted(-r5) + 1e-6);
  const double southeast = shifted(-r2) * shifted(r2) / (shifted(-r2) + 1e-6);
  std::vector<Neighbor> result = most_similar_cosmul(kv, {"north", "east"}, {"west"});
  EXPECT_EQ(words_of(result), (std::vector<std::string>{"northeast", "nne", "southeast", "zero"}));
  EXPECT_NEAR(result[0].score, northeast, 1e-5);
  EXPECT_NEAR(result[1].score, nne, 1e-5);
  EXPECT_NEAR(result[2].score, southeast, 1e-5);
  EXPECT_TRUE(std::isnan(result[3].score));
  // Without negative words the denominator is 1 + 1e-6.
  std::vector<Neighbor> single = most_similar_cosmul(kv, {"east"}, {}, {.topn = 1});
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].word, "northeast");
  EXPECT_NEAR(single[0].score, shifted(r2) / (1 + 1e-6), 1e-6);
}

TEST(Queries, AnalogyAddAndMul) {
  // east : north :: west : ?  ->  north - east + west = (-2, 1)
  KeyedVectors kv = compass();
  std::vector<Neighbor> add = analogy(kv, "east", "north", "west", AnalogyMethod::Add, {.topn = 2});
  EXPECT_EQ(words_of(add), (std::vector<std::string>{"nne", "northeast"}));
  EXPECT_NEAR(add[0].score, 0.0, 1e-6);
  EXPECT_NEAR(add[1].score, -1 / std::sqrt(10.0), 1e-6);
  std::vector<Neighbor> mul = analogy(kv, "east", "north", "west", AnalogyMethod::Mul, {.topn = 2});
  auto shifted = [](double cosine) { return (1 + cosine) / 2; };
  const double r2 = std::sqrt(0.5), r5 = 1 / std::sqrt(5.0);
  // nne: cos(north) = 2/sqrt(5), cos(west) = -1/sqrt(5), cos(east) = 1/sqrt(5)
  // northeast: cos(north) = cos(east) = 1/sqrt(2), cos(west) = -1/sqrt(2)
  const double nne = shifted(2 * r5) * shifted(-r5) / (shifted(r5) + 1e-6);
  const double northeast = shifted(r2) * shifted(-r2) / (shifted(r2) + 1e-6);
  ASSERT_EQ(mul.size(), 2u);
  EXPECT_EQ(mul[0].word, "nne");
  EXPECT_NEAR(mul[0].score, nne, 1e-5);
  EXPECT_EQ(mul[1].word, "northeast");
  EXPECT_NEAR(mul[1].score, northeast, 1e-5);
}

TEST(Queries, DoesntMatchSkipsAndReportsUnknownWords) {
  KeyedVectors kv = compass();
  std::vector<std::string> skipped;
  EXPECT_EQ(doesnt_match(kv, {"east", "northeast", "nne", "west"}, &skipped), "west");
  EXPECT_TRUE(skipped.empty());
  EXPECT_EQ(doesnt_match(kv, {"north", "up", "nne", "east", "up", "down"}, &skipped), "east");
  EXPECT_EQ(skipped, (std::vector<std::string>{"up", "down"}));
  EXPECT_THROW(doesnt_match(kv, {"up", "down"}, &skipped), UsageError);
  // Equally far from the mean (east and north around northeast): the smaller word loses, as in
  // gensim.
  EXPECT_EQ(doesnt_match(kv, {"north", "east"}), "east");
}

TEST(Queries, SimilarByVector) {
  KeyedVectors kv = compass();
  const std::vector<float> south{0, -5};
  std::vector<Neighbor> result = similar_by_vector(kv, south, {.topn = 3});
  EXPECT_EQ(words_of(result), (std::vector<std::string>{"southeast", "east", "west"}));
  EXPECT_NEAR(result[0].score, std::sqrt(0.5), 1e-6);
  // A vector equal to a word's finds the word itself: nothing is excluded.
  const std::vector<float> along_east{2, 0};
  EXPECT_EQ(similar_by_vector(kv, along_east, {.topn = 1})[0].word, "east");
  const std::vector<float> wrong_dim{1, 2, 3}, zero{0, 0};
  EXPECT_THROW(similar_by_vector(kv, wrong_dim), UsageError);
  EXPECT_THROW(similar_by_vector(kv, zero), UsageError);
}

// The blocked, multi-threaded search equals a direct double-precision evaluation of both formulas,
// across block and thread boundaries and with zero rows (ranked last with NaN) inside the range.
TEST(WordQuerySearch, MatchesBruteForceAcrossBlocksAndThreads) {
  const size_t rows = 20000, dim = 8, searched = 15000, k = 8;
  std::mt19937 rng(5);
  std::normal_distribution<float> normal;
  Vocab vocab;
  Matrix matrix(rows, dim);
  for (size_t i = 0; i < rows; ++i) {
    vocab.add("w" + std::to_string(i));
    if (i == 5 || i == 4100 || i == 12000) continue;  // zero rows
    for (size_t j = 0; j < dim; ++j) matrix.mutable_row(i)[j] = normal(rng);
  }
  KeyedVectors kv(std::move(vocab), std::move(matrix));
  const std::vector<WordQuery> queries = {
      {{10, 20}, {30}}, {{40, 50}, {60}}, {{70}, {}}, {{80, 90, 100}, {110, 120}}, {{130}, {140}}};

  auto cosine = [&](size_t a, size_t b) {
    double dot = 0, aa = 0, bb = 0;
    for (size_t j = 0; j < dim; ++j) {
      const double x = kv.vectors().row(a)[j], y = kv.vectors().row(b)[j];
      dot += x * y, aa += x * x, bb += y * y;
    }
    return dot / std::sqrt(aa * bb);
  };
  for (AnalogyMethod method : {AnalogyMethod::Add, AnalogyMethod::Mul}) {
    for (int threads : {1, 2}) {
      const auto results = top_k_word_queries(kv, queries, method, k, searched, threads);
      ASSERT_EQ(results.size(), queries.size());
      for (size_t q = 0; q < queries.size(); ++q) {
        std::vector<double> mean(dim, 0.0);
        for (uint32_t id : queries[q].positive)
          for (size_t j = 0; j < dim; ++j) mean[j] += kv.unit_rows().row(id)[j];
        for (uint32_t id : queries[q].negative)
          for (size_t j = 0; j < dim; ++j) mean[j] -= kv.unit_rows().row(id)[j];
        std::vector<std::pair<double, uint32_t>> expected;
        for (uint32_t x = 0; x < searched; ++x) {
          if (kv.norms()[x] == 0) continue;
          double score;
          if (method == AnalogyMethod::Add) {
            double dot = 0, squares = 0;
            for (size_t j = 0; j < dim; ++j)
              dot += mean[j] * kv.unit_rows().row(x)[j], squares += mean[j] * mean[j];
            score = dot / std::sqrt(squares);
          } else {
            double numerator = 1, denominator = 1;
            for (uint32_t id : queries[q].positive) numerator *= (1 + cosine(id, x)) / 2;
            for (uint32_t id : queries[q].negative) denominator *= (1 + cosine(id, x)) / 2;
            score = numerator / (denominator + 1e-6);
          }
          expected.push_back({-score, x});
        }
        std::sort(expected.begin(), expected.end());
        const std::vector<Hit>& got = results[q];
        ASSERT_EQ(got.size(), k);
        for (size_t i = 0; i < k; ++i) {
          EXPECT_EQ(got[i].id, expected[i].second) << "query " << q << " rank " << i;
          EXPECT_NEAR(got[i].score, -expected[i].first, 1e-5 * std::max(1.0, -expected[i].first));
        }
      }
    }
  }
  // Fewer candidate rows than k: every real row, then the zero rows with NaN.
  const auto few = top_k_word_queries(kv, {{{0}, {}}}, AnalogyMethod::Add, 10, 7, 2);
  ASSERT_EQ(few[0].size(), 7u);
  for (size_t i = 0; i < 6; ++i) EXPECT_NE(few[0][i].id, 5u);
  EXPECT_EQ(few[0][6].id, 5u);
  EXPECT_TRUE(std::isnan(few[0][6].score));
  EXPECT_EQ(few[0][0].id, 0u);
  EXPECT_NEAR(few[0][0].score, 1.0, 1e-6);
}

}  // namespace
}  // namespace embkit
