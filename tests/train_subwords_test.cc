// Subword (character n-gram) vectors: fastText's hashing and n-gram rules, training with n-grams on
// a corpus with planted morphology (an unseen inflection must land in its topic), determinism and
// resume, the hierarchical and full softmax losses, vectors of unseen words through the queries and
// the word-pair evaluation, and the native file's n-gram table.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "embkit/analogy.h"
#include "embkit/error.h"
#include "embkit/io.h"
#include "embkit/queries.h"
#include "embkit/subwords.h"
#include "embkit/word2vec.h"
#include "embkit/word_pairs.h"
#include "train_synthetic_corpus.h"

namespace embkit {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("embkit_subwords_test_" + std::to_string(::getpid()) + "_" +
                                         std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(Subwords, HashIsFastTextsFnv1aOverSignedBytes) {
  EXPECT_EQ(fasttext_hash(""), 2166136261u);
  EXPECT_EQ(fasttext_hash("a"), 3826002220u);
  // Bytes above 0x7f are sign-extended before the xor, as in fastText's released models.
  EXPECT_EQ(fasttext_hash("\xc3\xa9"), 1023043777u);
}

TEST(Subwords, NgramsFollowFastTextsRules) {
  SubwordSettings three{3, 3, 100};
  EXPECT_EQ(subword_strings("where", three),
            (std::vector<std::string>{"<wh", "whe", "her", "ere", "re>"}));
  // The lone "<" and ">" are never n-grams; n-grams count UTF-8 characters, not bytes.
  SubwordSettings one_two{1, 2, 100};
  EXPECT_EQ(subword_strings("n\xc3\xa9", one_two),
            (std::vector<std::string>{"<n", "n", "n\xc3\xa9", "\xc3\xa9", "\xc3\xa9>"}));
  EXPECT_TRUE(subword_strings("</s>", three).empty());
  // Ids are nwords + hash % bucket, in the same order.
  std::vector<uint32_t> ids;
  append_subword_ids("where", three, 10, ids);
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_EQ(ids[0], 10 + fasttext_hash("<wh") % 100);
  EXPECT_EQ(ids[4], 10 + fasttext_hash("re>") % 100);
  // A prune map keeps only the buckets it lists, renumbered.
  PruneMap prune{{static_cast<int32_t>(fasttext_hash("her") % 100), 0}};
  ids.clear();
  append_subword_ids("where", three, 10, ids, &prune);
  EXPECT_EQ(ids, (std::vector<uint32_t>{10}));
}

TEST(Subwords, WordNgramFeaturesCombineTokenHashes) {
  std::vector<uint32_t> hashes = {fasttext_hash("new"), fasttext_hash("york"), fasttext_hash("city")};
  std::vector<uint32_t> ids;
  append_word_ngram_ids(hashes, 2, 1000, 5, ids);
  ASSERT_EQ(ids.size(), 2u);  // "new york", "york city"
  auto widen = [](uint32_t h) { return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(h))); };
  EXPECT_EQ(ids[0], 5 + (widen(hashes[0]) * 116049371u + widen(hashes[1])) % 1000);
  ids.clear();
  append_word_ngram_ids(hashes, 3, 1000, 5, ids);
  EXPECT_EQ(ids.size(), 3u);
}

TEST(Subwords, InconsistentSettingsAreRefused) {
  EXPECT_THROW(validate_subword_settings({6, 3, 100}), UsageError);
  EXPECT_THROW(validate_subword_settings({3, 6, 0}), UsageError);
  EXPECT_THROW(validate_subword_settings({0, 6, 100}), UsageError);
  EXPECT_NO_THROW(validate_subword_settings({3, 0, 0}));  // no subwords at all
  try {
    validate_subword_settings({6, 3, 100});
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("minn (6) must not exceed maxn (3)"), std::string::npos);
  }
}

// Topics whose words are inflections of one stem ("qzav", "qzaving", "qzaved", …) in sentences
// with the topic's context words, which share no n-gram with any stem. One inflection of every stem
// never occurs; its vector comes from n-grams alone and must sit with its topic's context words.
struct MorphologyCorpus {
  Vocab vocab;
  EncodedCorpus corpus;
  std::vector<std::string> held_out;                     // one unseen word per topic
  std::vector<std::vector<std::string>> context_words;  // per topic
};

MorphologyCorpus make_morphology_corpus() {
  const std::vector<std::string> stems = {"qzav", "vjox", "xqub", "jzev", "zxiq", "vqoz"};
  const std::vector<std::string> seen = {"", "ing", "ed", "er", "s"};
  const std::string unseen = "ers";
  train::TrainRng rng(5);
  CorpusEncoder encoder("<morphology>");
  MorphologyCorpus out;
  std::vector<std::vector<std::string>> sentences;
  for (size_t t = 0; t < stems.size(); ++t) {
    out.held_out.push_back(stems[t] + unseen);
    std::vector<std::string> context;
    for (int k = 0; k < 4; ++k) context.push_back("m" + std::string(1, char('a' + t)) + std::string(1, char('a' + k)) + "lo");
    out.context_words.push_back(context);
    for (int r = 0; r < 150; ++r) {
      std::vector<std::string> s;
      for (int w = 0; w < 6; ++w) {
        if (rng.below(2)) s.push_back(stems[t] + seen[rng.below(static_cast<uint32_t>(seen.size()))]);
        else s.push_back(context[rng.below(4)]);
      }
      sentences.push_back(s);
    }
  }
  for (size_t k = sentences.size(); k > 1; --k) std::swap(sentences[k - 1], sentences[rng.below(static_cast<uint32_t>(k))]);
  for (const auto& s : sentences) {
    std::vector<std::string_view> tokens(s.begin(), s.end());
    encoder.add_sentence(tokens);
  }
  PreparedCorpus prepared = encoder.finish(VocabOptions{1, 0});
  out.vocab = std::move(prepared.vocab);
  out.corpus = std::move(prepared.corpus);
  return out;
}

const MorphologyCorpus& morphology() {
  static const MorphologyCorpus corpus = make_morphology_corpus();
  return corpus;
}

Word2VecOptions subword_options(Word2VecArchitecture architecture, bool minibatch) {
  Word2VecOptions o;
  o.architecture = architecture;
  o.minibatch = minibatch;
  o.dim = 32;
  o.window = 3;
  o.negative = 5;
  o.sample = 0;
  o.epochs = 10;
  o.threads = 1;
  o.seed = 3;
  o.learning_rate = 0.05;
  o.subwords = {2, 4, 5000};
  return o;
}

double cosine(std::span<const float> a, std::span<const float> b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t d = 0; d < a.size(); ++d) {
    dot += double(a[d]) * b[d];
    na += double(a[d]) * a[d];
    nb += double(b[d]) * b[d];
  }
  return dot / std::sqrt(na * nb + 1e-30);
}

// Topics whose held-out word is closest (mean cosine) to that topic's context words.
size_t topics_recovered(const KeyedVectors& kv) {
  const MorphologyCorpus& m = morphology();
  size_t correct = 0;
  for (size_t t = 0; t < m.held_out.size(); ++t) {
    std::vector<float> unseen = kv.word_vector(m.held_out[t]);
    size_t best = 0;
    double best_score = -2;
    for (size_t u = 0; u < m.context_words.size(); ++u) {
      double score = 0;
      for (const std::string& w : m.context_words[u]) score += cosine(unseen, kv.vector(w));
      if (score > best_score) best_score = score, best = u;
    }
    correct += best == t;
  }
  return correct;
}

struct Mode {
  Word2VecArchitecture architecture;
  bool minibatch;
};

class SubwordTraining : public ::testing::TestWithParam<Mode> {};

TEST_P(SubwordTraining, UnseenInflectionsLandInTheirTopic) {
  const MorphologyCorpus& m = morphology();
  for (const std::string& w : m.held_out) ASSERT_FALSE(m.vocab.contains(w));
  TrainResult result = train_word2vec(m.vocab, m.corpus, subword_options(GetParam().architecture, GetParam().minibatch));
  const KeyedVectors& kv = result.vectors;
  ASSERT_TRUE(kv.has_subwords());
  EXPECT_EQ(kv.subwords()->rows.rows(), 5000u);
  EXPECT_EQ(result.skipped_updates, 0u);
  EXPECT_EQ(topics_recovered(kv), m.held_out.size());
  // A known word's vector is the mean of its own row and its n-gram rows (fastText's rule), and an
  // unseen word's the mean of its n-gram rows: recompute one from the table.
  std::vector<uint32_t> ids;
  append_subword_ids(m.held_out[0], kv.subwords()->settings, 0, ids);
  std::vector<double> mean(kv.dim(), 0.0);
  for (uint32_t id : ids)
    for (size_t d = 0; d < kv.dim(); ++d) mean[d] += kv.subwords()->rows.row(id)[d];
  std::vector<float> got = kv.word_vector(m.held_out[0]);
  for (size_t d = 0; d < kv.dim(); ++d) EXPECT_NEAR(got[d], mean[d] / ids.size(), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(
    Train, SubwordTraining,
    ::testing::Values(Mode{Word2VecArchitecture::SkipGram, true}, Mode{Word2VecArchitecture::SkipGram, false},
                      Mode{Word2VecArchitecture::Cbow, true}),
    [](const ::testing::TestParamInfo<Mode>& info) {
      return std::string(info.param.architecture == Word2VecArchitecture::Cbow ? "Cbow" : "SkipGram") +
             (info.param.minibatch ? "Minibatch" : "Classic");
    });

bool same_matrix(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (size_t r = 0; r < a.rows(); ++r)
    if (std::memcmp(a.row(r), b.row(r), a.cols() * sizeof(float)) != 0) return false;
  return true;
}

TEST(SubwordTraining, OneThreadIsBitIdenticalAndResumeEqualsAStraightRun) {
  const MorphologyCorpus& m = morphology();
  Word2VecOptions options = subword_options(Word2VecArchitecture::SkipGram, true);
  options.epochs = 20;
  TrainResult a = train_word2vec(m.vocab, m.corpus, options);
  TrainResult b = train_word2vec(m.vocab, m.corpus, options);
  EXPECT_TRUE(same_matrix(a.vectors.vectors(), b.vectors.vectors()));
  EXPECT_TRUE(same_matrix(a.vectors.subwords()->rows, b.vectors.subwords()->rows));

  TempDir dir;
  const std::string checkpoint = (dir / "run.ckpt").string();
  std::atomic<bool> stop{false};
  Word2VecOptions interrupted = options;
  interrupted.checkpoint_path = checkpoint;
  interrupted.stop = &stop;
  interrupted.progress_interval_seconds = 0.001;
  interrupted.on_progress = [&](const TrainProgress& p) {
    if (p.fraction >= 0.3) stop = true;
  };
  TrainResult first = train_word2vec(m.vocab, m.corpus, interrupted);
  ASSERT_TRUE(first.interrupted);
  TrainResult resumed = resume_word2vec(checkpoint, m.vocab, m.corpus, options);
  EXPECT_TRUE(same_matrix(a.vectors.vectors(), resumed.vectors.vectors()));
  EXPECT_TRUE(same_matrix(a.vectors.subwords()->rows, resumed.vectors.subwords()->rows));
  EXPECT_TRUE(same_matrix(a.contexts, resumed.contexts));
  // A run with other subword settings must not continue this checkpoint.
  Word2VecOptions other = options;
  other.subwords.maxn = 5;
  try {
    resume_word2vec(checkpoint, m.vocab, m.corpus, other);
    ADD_FAILURE() << "resumed with different subword settings";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("subwords minn 2 maxn 4 bucket 5000"), std::string::npos) << e.what();
  }
}

TEST(SubwordTraining, RejectsInconsistentSettings) {
  const MorphologyCorpus& m = morphology();
  Word2VecOptions options = subword_options(Word2VecArchitecture::SkipGram, true);
  options.subwords = {5, 3, 100};
  EXPECT_THROW(train_word2vec(m.vocab, m.corpus, options), UsageError);
  options.subwords = {3, 5, 0};
  EXPECT_THROW(train_word2vec(m.vocab, m.corpus, options), UsageError);
}

const testing::SyntheticCorpus& planted() { return testing::shared_synthetic_corpus(); }

// Fraction of planted pairs (a, b) whose nearest pair word is the partner. With `topics`, the
// pairs are the two topic words of every planted pair ("topic3x", "topic3y"): they never occur
// together but always around the same two words, which is what CBOW's input vectors capture.
double pair_rate(const KeyedVectors& kv, bool topics = false) {
  std::vector<std::pair<std::string, std::string>> pairs = planted().pairs;
  if (topics)
    for (size_t i = 0; i < pairs.size(); ++i)
      pairs[i] = {"topic" + std::to_string(i) + "x", "topic" + std::to_string(i) + "y"};
  size_t hits = 0, total = 0;
  for (const auto& [a, b] : pairs)
    for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
      std::string best;
      double best_score = -2;
      for (const auto& [c, d] : pairs)
        for (const std::string& w : {c, d})
          if (w != from && cosine(kv.vector(from), kv.vector(w)) > best_score)
            best_score = cosine(kv.vector(from), kv.vector(w)), best = w;
      hits += best == to;
      ++total;
    }
  return static_cast<double>(hits) / total;
}

struct LossMode {
  Word2VecLoss loss;
  Word2VecArchitecture architecture;
  bool minibatch;
};

class Word2VecLosses : public ::testing::TestWithParam<LossMode> {};

TEST_P(Word2VecLosses, LearnThePlantedPairsAndLowerTheLoss) {
  Word2VecOptions o;
  o.loss = GetParam().loss;
  o.architecture = GetParam().architecture;
  o.minibatch = GetParam().minibatch;
  o.dim = 24;
  // CBOW needs wider windows and more passes than skip-gram on a corpus this small (as with ns).
  const bool cbow = GetParam().architecture == Word2VecArchitecture::Cbow;
  o.window = cbow ? 5 : 3;
  o.sample = 0;
  o.epochs = cbow ? 60 : 20;
  o.threads = 1;
  o.seed = 7;
  TempDir dir;
  o.loss_log_path = (dir / "loss.csv").string();
  o.progress_interval_seconds = 0.001;
  TrainResult result = train_word2vec(planted().vocab, planted().corpus, o);
  EXPECT_EQ(result.skipped_updates, 0u);
  const size_t expected_rows =
      o.loss == Word2VecLoss::HierarchicalSoftmax ? planted().vocab.size() - 1 : planted().vocab.size();
  EXPECT_EQ(result.contexts.rows(), expected_rows);
  EXPECT_GE(pair_rate(result.vectors, cbow), cbow ? 0.75 : 0.85);  // chance: 1 in 15
  // The loss curve: rows logged, and the last loss below the first.
  std::ifstream log(o.loss_log_path);
  std::string header, line, first, last;
  std::getline(log, header);
  EXPECT_EQ(header, "words,epoch,fraction,lr,loss");
  while (std::getline(log, line)) {
    if (first.empty()) first = line;
    last = line;
  }
  ASSERT_FALSE(first.empty());
  auto loss_of = [](const std::string& row) { return std::stod(row.substr(row.rfind(',') + 1)); };
  EXPECT_LT(loss_of(last), loss_of(first));
  EXPECT_GT(result.final_loss, 0.0);
}

INSTANTIATE_TEST_SUITE_P(
    Train, Word2VecLosses,
    ::testing::Values(LossMode{Word2VecLoss::HierarchicalSoftmax, Word2VecArchitecture::SkipGram, true},
                      LossMode{Word2VecLoss::HierarchicalSoftmax, Word2VecArchitecture::SkipGram, false},
                      LossMode{Word2VecLoss::HierarchicalSoftmax, Word2VecArchitecture::Cbow, true},
                      LossMode{Word2VecLoss::Softmax, Word2VecArchitecture::SkipGram, true},
                      LossMode{Word2VecLoss::Softmax, Word2VecArchitecture::Cbow, true}),
    [](const ::testing::TestParamInfo<LossMode>& info) {
      std::string name = info.param.loss == Word2VecLoss::Softmax ? "Softmax" : "Hs";
      name += info.param.architecture == Word2VecArchitecture::Cbow ? "Cbow" : "SkipGram";
      return name + (info.param.minibatch ? "Minibatch" : "Classic");
    });

TEST(SubwordVectors, QueriesAnswerUnseenWordsAndSayWhyOthersFail) {
  const MorphologyCorpus& m = morphology();
  TrainResult result = train_word2vec(m.vocab, m.corpus, subword_options(Word2VecArchitecture::SkipGram, true));
  const KeyedVectors& kv = result.vectors;
  // Nearest neighbours of an unseen inflection: its seen inflections.
  auto hits = most_similar(kv, {"qzavers"}, {}, {.topn = 3});
  ASSERT_EQ(hits.size(), 3u);
  for (const Neighbor& n : hits) EXPECT_EQ(std::string(n.word).substr(0, 4), "qzav") << n.word;
  EXPECT_GT(similarity(kv, "qzavers", "qzaving"), similarity(kv, "qzavers", "vjoxing"));
  EXPECT_EQ(doesnt_match(kv, {"qzavers", "qzaved", "qzaving", "mdalo"}), "mdalo");
  auto cosmul = most_similar_cosmul(kv, {"qzavers"}, {}, {.topn = 2});
  ASSERT_EQ(cosmul.size(), 2u);
  EXPECT_EQ(std::string(cosmul[0].word).substr(0, 4), "qzav");

  // Without the n-gram table the same word is an error that says so.
  KeyedVectors plain(kv.vocab().head(kv.size()), kv.vectors().clone());
  try {
    most_similar(plain, {"qzavers"}, {});
    ADD_FAILURE() << "no KeyError";
  } catch (const KeyError& e) {
    EXPECT_EQ(std::string(e.what()),
              "word 'qzavers' is not in the vocabulary (and the model has no subword n-grams for unseen words)");
  }
  // With every n-gram pruned away an unseen word has no vector either, and the error says why.
  auto empty = std::make_shared<SubwordTable>();
  empty->settings = kv.subwords()->settings;
  empty->rows = Matrix(1, kv.dim());
  empty->prune = std::make_shared<PruneMap>();
  plain.set_subwords(empty);
  EXPECT_FALSE(plain.has_vector("qzavers"));
  try {
    plain.word_vector("qzavers");
    ADD_FAILURE() << "no KeyError";
  } catch (const KeyError& e) {
    EXPECT_NE(std::string(e.what()).find("none of its character n-grams"), std::string::npos);
  }
}

TEST(SubwordVectors, WordPairEvaluationScoresOovPairsApart) {
  const MorphologyCorpus& m = morphology();
  TrainResult result = train_word2vec(m.vocab, m.corpus, subword_options(Word2VecArchitecture::SkipGram, true));
  TempDir dir;
  const std::string pairs = (dir / "pairs.txt").string();
  {
    std::ofstream out(pairs);
    out << "qzaving\tqzaved\t9\nqzaving\tvjoxed\t1\nqzavers\tqzaving\t8\nqzavers\tvjoxing\t2\n"
           "vjoxers\tvjoxed\t9\nvjoxers\tqzaved\t1\n";
  }
  SimilarityOptions options;
  options.case_insensitive = false;
  SimilarityResult r = evaluate_word_pairs(result.vectors, pairs, options);
  EXPECT_EQ(r.pairs, 6u);
  EXPECT_EQ(r.oov, 4u);
  EXPECT_EQ(r.oov_scored, 4u);
  EXPECT_DOUBLE_EQ(r.spearman_oov, 1.0);
  EXPECT_GT(r.spearman_with_oov, 0.9);
  options.subwords = false;
  SimilarityResult without = evaluate_word_pairs(result.vectors, pairs, options);
  EXPECT_EQ(without.oov_scored, 0u);
}

TEST(SubwordVectors, AnalogyEvaluationAnswersOovQuestionsApart) {
  const MorphologyCorpus& m = morphology();
  TrainResult result = train_word2vec(m.vocab, m.corpus, subword_options(Word2VecArchitecture::SkipGram, true));
  TempDir dir;
  const std::string questions = (dir / "questions.txt").string();
  {
    std::ofstream out(questions);
    out << ": inflections\nqzav qzaving vjox vjoxing\nqzavers qzaving vjox vjoxing\n"
           "qzav qzavers vjox vjoxing\nqzav qzaving vjox vjoxers\n";
  }
  AnalogyResult r = evaluate_analogies(result.vectors, questions);
  EXPECT_EQ(r.total, 4u);
  EXPECT_EQ(r.answered, 1u);      // gensim's count: all four words known
  EXPECT_EQ(r.oov_answered, 2u);  // unseen a, b or c; an unseen expected word cannot be answered
  AnalogyOptions plain;
  plain.subwords = false;
  EXPECT_EQ(evaluate_analogies(result.vectors, questions, plain).oov_answered, 0u);
}

TEST(SubwordVectors, NativeFilesKeepTheNgramTable) {
  const MorphologyCorpus& m = morphology();
  TrainResult result = train_word2vec(m.vocab, m.corpus, subword_options(Word2VecArchitecture::Cbow, true));
  TempDir dir;
  const std::string path = (dir / "model.emb").string();
  save(result.vectors, path);
  KeyedVectors back = load(path);
  ASSERT_TRUE(back.has_subwords());
  EXPECT_EQ(back.subwords()->settings.minn, 2u);
  EXPECT_EQ(back.subwords()->settings.maxn, 4u);
  EXPECT_EQ(back.subwords()->settings.bucket, 5000u);
  EXPECT_FALSE(back.subwords()->rows.writable());  // borrowed from the mapping
  EXPECT_EQ(back.word_vector("jzevers"), result.vectors.word_vector("jzevers"));
  EXPECT_NO_THROW(verify_native(path));
  // A pruned table round-trips with its map.
  auto table = std::make_shared<SubwordTable>();
  table->settings = {2, 4, 5000};
  table->rows = Matrix(2, result.vectors.dim());
  table->rows.mutable_row(1)[0] = 1.5f;
  table->prune = std::make_shared<PruneMap>(PruneMap{{17, 1}, {4242, 0}});
  KeyedVectors pruned(result.vectors.vocab().head(result.vectors.size()), result.vectors.vectors().clone());
  pruned.set_subwords(table);
  save(pruned, path);
  KeyedVectors pruned_back = load(path);
  ASSERT_NE(pruned_back.subwords()->prune, nullptr);
  EXPECT_EQ(*pruned_back.subwords()->prune, *table->prune);
  EXPECT_EQ(pruned_back.subwords()->rows.row(1)[0], 1.5f);
  // Corrupt the settings: one clear error.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const size_t at = bytes.find("\"subword_bucket\":\"5000\"");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 23, "\"subword_bucket\":\"0000\"");
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  try {
    load(path);
    ADD_FAILURE() << "no FormatError";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("inconsistent"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace embkit
