#include "cli/demo_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include <fmt/format.h>

namespace embkit::cli {
namespace {

struct Family {
  std::string name;  // analogy section name
  std::vector<std::vector<std::string>> tuples;
};

const std::vector<Family>& families() {
  static const std::vector<Family> all = {
      {"capital-of-country",
       {{"france", "paris"},     {"germany", "berlin"},  {"italy", "rome"},       {"spain", "madrid"},
        {"japan", "tokyo"},      {"china", "beijing"},   {"russia", "moscow"},    {"egypt", "cairo"},
        {"greece", "athens"},    {"england", "london"},  {"canada", "ottawa"},    {"australia", "canberra"},
        {"poland", "warsaw"},    {"sweden", "stockholm"}, {"norway", "oslo"},     {"finland", "helsinki"},
        {"ireland", "dublin"},   {"portugal", "lisbon"}, {"austria", "vienna"},   {"hungary", "budapest"},
        {"turkey", "ankara"},    {"iran", "tehran"},     {"cuba", "havana"},      {"peru", "lima"},
        {"chile", "santiago"},   {"kenya", "nairobi"},   {"india", "delhi"},      {"thailand", "bangkok"}}},
      {"male-female",
       {{"king", "queen"},       {"man", "woman"},       {"boy", "girl"},         {"father", "mother"},
        {"son", "daughter"},     {"brother", "sister"},  {"uncle", "aunt"},       {"husband", "wife"},
        {"prince", "princess"},  {"nephew", "niece"},    {"actor", "actress"},    {"he", "she"},
        {"lord", "lady"},        {"emperor", "empress"}, {"duke", "duchess"},     {"god", "goddess"},
        {"grandfather", "grandmother"}, {"groom", "bride"}}},
      {"gram-plural",
       {{"dog", "dogs"},    {"cat", "cats"},       {"horse", "horses"}, {"bird", "birds"},
        {"car", "cars"},    {"house", "houses"},   {"city", "cities"},  {"tree", "trees"},
        {"book", "books"},  {"child", "children"}, {"mouse", "mice"},   {"river", "rivers"},
        {"mountain", "mountains"}, {"road", "roads"}, {"ship", "ships"}, {"apple", "apples"},
        {"song", "songs"},  {"window", "windows"}}},
      {"gram-comparative",
       {{"big", "bigger", "biggest"},       {"small", "smaller", "smallest"},
        {"fast", "faster", "fastest"},      {"slow", "slower", "slowest"},
        {"old", "older", "oldest"},         {"young", "younger", "youngest"},
        {"strong", "stronger", "strongest"}, {"weak", "weaker", "weakest"},
        {"tall", "taller", "tallest"},      {"good", "better", "best"},
        {"bad", "worse", "worst"},          {"cold", "colder", "coldest"},
        {"hot", "hotter", "hottest"},       {"long", "longer", "longest"}}},
  };
  return all;
}

const std::vector<std::vector<std::string>>& clusters() {
  static const std::vector<std::vector<std::string>> all = {
      {"dog", "cat", "horse", "bird", "mouse", "cow", "sheep", "wolf", "fox", "bear", "lion", "tiger"},
      {"red", "green", "blue", "yellow", "black", "white", "orange", "purple", "brown", "pink"},
      {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"},
      {"france", "germany", "italy", "spain", "japan", "china", "russia", "egypt", "greece", "england",
       "canada", "australia", "poland", "sweden", "norway", "finland", "ireland", "portugal", "austria",
       "hungary", "turkey", "iran", "cuba", "peru", "chile", "kenya", "india", "thailand"},
      {"king", "queen", "prince", "princess", "emperor", "empress", "duke", "duchess", "lord", "lady"},
      {"father", "mother", "son", "daughter", "brother", "sister", "uncle", "aunt", "husband", "wife",
       "nephew", "niece", "grandfather", "grandmother"},
  };
  return all;
}

using Vector = std::vector<double>;

Vector random_vector(std::mt19937_64& rng, size_t dim, double scale) {
  std::normal_distribution<double> normal(0.0, scale / std::sqrt(double(dim)));
  Vector v(dim);
  for (double& x : v) x = normal(rng);
  return v;
}

void add_to(Vector& target, const Vector& v) {
  if (target.empty()) target.assign(v.size(), 0.0);
  for (size_t i = 0; i < v.size(); ++i) target[i] += v[i];
}

// Pronounceable filler words ("kalomi", "tesuna") that never collide with the planted words.
std::vector<std::string> filler_words(std::mt19937_64& rng, size_t count, const std::set<std::string>& taken) {
  static const char* consonants = "bdfgklmnprstvz";
  static const char* vowels = "aeiou";
  std::uniform_int_distribution<int> syllables(2, 4), consonant(0, 13), vowel(0, 4);
  std::set<std::string> seen(taken);
  std::vector<std::string> words;
  while (words.size() < count) {
    std::string w;
    for (int s = syllables(rng); s > 0; --s) {
      w += consonants[consonant(rng)];
      w += vowels[vowel(rng)];
    }
    if (seen.insert(w).second) words.push_back(w);
  }
  return words;
}

}  // namespace

DemoModel make_demo_model(const DemoModelOptions& options) {
  std::mt19937_64 rng(options.seed);
  const size_t dim = options.dim;
  std::map<std::string, Vector> planted;  // ordered: the build is deterministic

  for (const Family& family : families()) {
    size_t roles = family.tuples.front().size();
    std::vector<Vector> role_direction;
    for (size_t r = 0; r < roles; ++r) role_direction.push_back(random_vector(rng, dim, 1.0));
    for (const auto& tuple : family.tuples) {
      Vector entity = random_vector(rng, dim, 1.0);
      for (size_t r = 0; r < roles; ++r) {
        add_to(planted[tuple[r]], entity);
        add_to(planted[tuple[r]], role_direction[r]);
      }
    }
  }
  for (const auto& cluster : clusters()) {
    Vector centroid = random_vector(rng, dim, 0.9);
    for (const std::string& word : cluster) add_to(planted[word], centroid);
  }
  for (auto& [word, vector] : planted) add_to(vector, random_vector(rng, dim, options.noise));

  // Frequency order: planted words are spread over the first few thousand ranks, fillers fill the rest.
  std::set<std::string> taken;
  for (const auto& entry : planted) taken.insert(entry.first);
  std::vector<std::string> order = filler_words(rng, options.filler_words, taken);
  std::uniform_int_distribution<size_t> position(0, std::min<size_t>(3000, order.size()));
  for (const auto& entry : planted) order.insert(order.begin() + position(rng), entry.first);

  Vocab vocab;
  Matrix matrix(order.size(), dim);
  for (size_t rank = 0; rank < order.size(); ++rank) {
    vocab.add(order[rank], static_cast<uint64_t>(5e7 / (rank + 10)));
    auto it = planted.find(order[rank]);
    Vector v = it != planted.end() ? it->second : random_vector(rng, dim, 1.4);
    std::copy(v.begin(), v.end(), matrix.mutable_row(rank));
  }

  DemoModel model{KeyedVectors(std::move(vocab), std::move(matrix)), "", ""};
  for (const Family& family : families()) {
    model.analogy_questions += ": " + family.name + "\n";
    const auto& tuples = family.tuples;
    for (size_t i = 0; i < tuples.size(); ++i)
      for (size_t j = 0; j < tuples.size(); ++j)
        if (i != j)
          for (size_t r = 1; r < tuples[i].size(); ++r)
            model.analogy_questions +=
                fmt::format("{} {} {} {}\n", tuples[i][0], tuples[i][r], tuples[j][0], tuples[j][r]);
  }
  // Gold similarity: same tuple 9, same cluster 7, same family 4, unrelated 1, plus rater noise.
  std::normal_distribution<double> rater(0.0, 0.6);
  auto rate = [&](const std::string& a, const std::string& b, double gold) {
    model.similarity_pairs += fmt::format("{}\t{}\t{:.2f}\n", a, b, std::clamp(gold + rater(rng), 0.0, 10.0));
  };
  model.similarity_pairs = "# word1\tword2\tscore (0-10)\n";
  for (const Family& family : families()) {
    for (size_t i = 0; i < family.tuples.size(); i += 2) {
      const auto& t = family.tuples[i];
      rate(t[0], t[1], 9);
      rate(t[0], family.tuples[(i + 1) % family.tuples.size()][0], 4);
      rate(t.back(), order[(4000 + i * 7) % order.size()], 1);
    }
  }
  for (const auto& cluster : clusters())
    for (size_t i = 0; i + 1 < cluster.size(); i += 2) rate(cluster[i], cluster[i + 1], 7);
  return model;
}

}  // namespace embkit::cli
