// fastText model files (.bin, .ftz): word and unseen-word vectors equal to the fastText binary's
// own (`print-word-vectors`) for skip-gram, CBOW, supervised and quantized models; round trips that
// fastText reads back with the same vectors, neighbours and predictions; models built from
// KeyedVectors; load / save / detection / `embkit info`; and every kind of bad file, byte by byte.
// Models are trained by /usr/bin/fasttext on small synthetic corpora (skipped when it is absent).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "corpus_test_util.h"
#include "embkit/fasttext_model.h"
#include "io/fasttext_bin.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::error_message;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

constexpr const char* kFastText = "/usr/bin/fasttext";

bool have_fasttext() { return ::access(kFastText, X_OK) == 0; }

#define SKIP_WITHOUT_FASTTEXT() \
  if (!have_fasttext()) GTEST_SKIP() << kFastText << " is not installed (apt-get install fasttext)"

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs `command` through the shell with `input` on stdin; files go to `dir`.
RunResult run(const TempDir& dir, const std::string& command, const std::string& input = "") {
  write_file(dir.file("run.stdin"), input);
  const std::string line = command + " <" + dir.file("run.stdin") + " >" + dir.file("run.stdout") +
                           " 2>" + dir.file("run.stderr");
  const int raw = std::system(line.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_file(dir.file("run.stdout")),
          read_file(dir.file("run.stderr"))};
}

const std::vector<std::string>& corpus_words() {
  static const std::vector<std::string> kWords = {
      "alpha", "beta",  "gamma", "delta",   "epsilon", "zeta",  "eta",    "theta",
      "iota",  "kappa", "lambda", "mu",     "nu",      "xi",    "omicron", "pi",
      "rho",   "sigma", "tau",   "upsilon", "phi",     "chi",   "psi",    "omega",
      "café",  "naïve", "東京",  "данные",  "straße",  "crème", "😀ok",    "ñandú"};
  return kWords;
}

// Unseen words: ASCII, UTF-8, long, short, and one that is a prefix of a corpus word.
const std::vector<std::string>& unseen_words() {
  static const std::vector<std::string> kWords = {"zzqx",       "東京x",      "naïveté", "qu",
                                                  "alphabetagammadelta", "данн", "cafés",  "😀😀"};
  return kWords;
}

// About 4,000 tokens of words drawn from a skewed distribution, 400 lines.
std::string unsupervised_corpus() {
  std::mt19937 rng(7);
  const auto& words = corpus_words();
  std::discrete_distribution<size_t> pick = [&] {
    std::vector<double> weights;
    for (size_t i = 0; i < words.size(); ++i) weights.push_back(1.0 / double(i + 1));
    return std::discrete_distribution<size_t>(weights.begin(), weights.end());
  }();
  std::uniform_int_distribution<int> length(4, 16);
  std::string text;
  for (int line = 0; line < 400; ++line) {
    const int n = length(rng);
    for (int i = 0; i < n; ++i) text += (i ? " " : "") + words[pick(rng)];
    text += '\n';
  }
  return text;
}

// Three labels, each with its own words plus noise; `lines` lines.
std::string supervised_corpus(int lines, uint32_t seed) {
  std::mt19937 rng(seed);
  const auto& words = corpus_words();
  const char* labels[] = {"sport", "music", "food"};
  std::uniform_int_distribution<int> label(0, 2), length(3, 9), own(0, 9), any(0, int(words.size()) - 1);
  std::string text;
  for (int line = 0; line < lines; ++line) {
    const int l = label(rng);
    text += fmt::format("__label__{}", labels[l]);
    const int n = length(rng);
    for (int i = 0; i < n; ++i) text += " " + words[size_t(l * 10 + own(rng))];
    text += " " + words[size_t(any(rng))] + "\n";
  }
  return text;
}

// 300 labels (quantizing an output matrix needs at least 256 rows), 1,500 lines.
std::string many_labels_corpus() {
  std::mt19937 rng(17);
  const auto& words = corpus_words();
  std::uniform_int_distribution<int> label(0, 299), any(0, int(words.size()) - 1);
  std::string text;
  for (int line = 0; line < 1500; ++line) {
    const int l = label(rng);
    text += fmt::format("__label__L{} {} {} t{} {}\n", l, words[size_t(l % 32)],
                        words[size_t((l / 32) % 32)], l % 50, words[size_t(any(rng))]);
  }
  return text;
}

// Models trained once per test process, on demand.
class Models {
 public:
  static Models& get() {
    static Models models;
    return models;
  }
  const TempDir& dir() const { return dir_; }
  std::string path(const std::string& name) {
    auto found = paths_.find(name);
    if (found != paths_.end()) return found->second;
    std::string path = train(name);
    paths_[name] = path;
    return path;
  }
  std::string test_lines() {
    std::string path = dir_.file("test.txt");
    if (!std::filesystem::exists(path)) write_file(path, supervised_corpus(60, 99));
    return path;
  }

 private:
  std::string train(const std::string& name) {
    const std::string common = "-dim 16 -minCount 1 -thread 1 -bucket 5000 -seed 1";
    std::string command;
    if (name == "skipgram" || name == "cbow") {
      const std::string corpus = dir_.file("corpus.txt");
      if (!std::filesystem::exists(corpus)) write_file(corpus, unsupervised_corpus());
      command = fmt::format("{} {} -input {} -output {} {} -epoch 2 -lr 0.2", kFastText, name,
                            corpus, dir_.file(name), common);
    } else if (name == "supervised") {
      const std::string corpus = dir_.file("labelled.txt");
      write_file(corpus, supervised_corpus(400, 5));
      command = fmt::format("{} supervised -input {} -output {} {} -epoch 5 -lr 0.5 -wordNgrams 2 "
                            "-minn 3 -maxn 5",
                            kFastText, corpus, dir_.file(name), common);
    } else if (name == "many_labels") {
      const std::string corpus = dir_.file("many_labels.txt");
      write_file(corpus, many_labels_corpus());
      command = fmt::format("{} supervised -input {} -output {} {} -epoch 5 -lr 0.5 -wordNgrams 2 "
                            "-minn 2 -maxn 4",
                            kFastText, corpus, dir_.file(name), common);
    } else if (name == "quantized" || name == "quantized_qout") {
      // quantize writes <output>.ftz next to <output>.bin: copy the supervised model first.
      const bool qout = name == "quantized_qout";
      const std::string base = dir_.file(name);
      std::filesystem::copy_file(path(qout ? "many_labels" : "supervised"), base + ".bin");
      command = fmt::format("{} quantize -input {} -output {} -qnorm -cutoff 1000 -retrain -epoch "
                            "1 -thread 1{}",
                            kFastText, dir_.file(qout ? "many_labels.txt" : "labelled.txt"), base,
                            qout ? " -qout -dsub 3" : "");
      RunResult result = run(dir_, command);
      EXPECT_EQ(result.status, 0) << command << "\n" << result.err;
      return base + ".ftz";
    } else {
      ADD_FAILURE() << "no model " << name;
      return {};
    }
    RunResult result = run(dir_, command);
    EXPECT_EQ(result.status, 0) << command << "\n" << result.err;
    return dir_.file(name) + ".bin";
  }

  TempDir dir_;
  std::map<std::string, std::string> paths_;
};

using Vectors = std::map<std::string, std::vector<double>>;

// `fasttext print-word-vectors MODEL` for `words`, as numbers.
Vectors printed_vectors(const std::string& model, const std::vector<std::string>& words) {
  const TempDir& dir = Models::get().dir();
  std::string input;
  for (const auto& w : words) input += w + "\n";
  RunResult result = run(dir, fmt::format("{} print-word-vectors {}", kFastText, model), input);
  EXPECT_EQ(result.status, 0) << result.err;
  Vectors vectors;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string word;
    fields >> word;
    std::vector<double> values;
    std::string value;
    while (fields >> value) values.push_back(std::strtod(value.c_str(), nullptr));
    vectors[word] = values;
  }
  EXPECT_EQ(vectors.size(), words.size());
  return vectors;
}

// fastText prints 5 significant digits: equal within 1e-5 and within that rounding.
void expect_equal_to_printed(const float* ours, const std::vector<double>& printed, size_t dim,
                             const std::string& word) {
  ASSERT_EQ(printed.size(), dim) << word;
  for (size_t j = 0; j < dim; ++j) {
    const double difference = std::abs(double(ours[j]) - printed[j]);
    EXPECT_LE(difference, 1e-5) << word << " value " << j;
    EXPECT_LE(difference, 5.001e-5 * std::abs(double(ours[j])) + 1e-30)
        << word << " value " << j << ": ours " << ours[j] << ", fastText " << printed[j];
  }
}

std::vector<std::string> dictionary_words(const FastTextModel& model) {
  std::vector<std::string> words;
  for (int32_t i = 0; i < model.nwords; ++i) words.push_back(model.entries[size_t(i)].word);
  return words;
}

// Every dictionary word and every unseen word: the model's word_vector, the KeyedVectors row or
// word_vector, and fastText's print-word-vectors agree.
void expect_vectors_match_fasttext(const std::string& path) {
  FastTextModel model = read_fasttext_model(path);
  KeyedVectors kv = fasttext_keyed_vectors(model);
  std::vector<std::string> words = dictionary_words(model);
  ASSERT_EQ(kv.size(), words.size());
  for (const auto& w : unseen_words()) words.push_back(w);
  Vectors printed = printed_vectors(path, words);
  const size_t dim = size_t(model.args.dim);
  std::vector<float> ours(dim);
  for (const auto& word : words) {
    SCOPED_TRACE(word);
    model.word_vector(word, ours.data());
    expect_equal_to_printed(ours.data(), printed[word], dim, word);
    // No vector at all (no n-grams, or all pruned away): fastText prints zeros.
    if (!kv.word_vector(word, ours.data())) std::fill(ours.begin(), ours.end(), 0.0f);
    expect_equal_to_printed(ours.data(), printed[word], dim, word);
  }
}

// ---------------------------------------------------------------------------------------------
// (a) unsupervised models

TEST(IoFastTextBin, SkipGramVectorsEqualFastTexts) {
  SKIP_WITHOUT_FASTTEXT();
  const std::string path = Models::get().path("skipgram");
  FastTextModel model = read_fasttext_model(path);
  EXPECT_EQ(model.version, 12);
  EXPECT_EQ(model.args.model, FastTextKind::SkipGram);
  EXPECT_EQ(model.args.loss, FastTextLoss::NegativeSampling);
  EXPECT_EQ(model.args.dim, 16);
  EXPECT_EQ(model.args.bucket, 5000);
  EXPECT_EQ(model.args.minn, 3);
  EXPECT_EQ(model.args.maxn, 6);
  EXPECT_EQ(model.nlabels, 0);
  EXPECT_EQ(model.prune_size, -1);
  // fastText's end-of-line token is a word of the dictionary.
  EXPECT_EQ(std::count_if(model.entries.begin(), model.entries.end(),
                          [](const FastTextEntry& e) { return e.word == "</s>"; }),
            1);
  EXPECT_EQ(size_t(model.nwords), corpus_words().size() + 1);
  EXPECT_EQ(model.input.row_count(), size_t(model.nwords) + 5000);
  EXPECT_EQ(model.output.row_count(), size_t(model.nwords));
  EXPECT_FALSE(model.input.quantized);
  expect_vectors_match_fasttext(path);
}

TEST(IoFastTextBin, CbowVectorsEqualFastTexts) {
  SKIP_WITHOUT_FASTTEXT();
  const std::string path = Models::get().path("cbow");
  EXPECT_EQ(read_fasttext_model(path).args.model, FastTextKind::Cbow);
  expect_vectors_match_fasttext(path);
}

TEST(IoFastTextBin, LoadGivesTheWordVectorsWithCountsAndSubwords) {
  SKIP_WITHOUT_FASTTEXT();
  const std::string path = Models::get().path("skipgram");
  FastTextModel model = read_fasttext_model(path);
  LoadDetails details;
  KeyedVectors kv = load(path, {}, details);
  EXPECT_EQ(details.format, Format::FastText);
  ASSERT_TRUE(details.fasttext.has_value());
  EXPECT_EQ(details.fasttext->nwords, model.nwords);
  EXPECT_EQ(details.fasttext->args.bucket, 5000);
  ASSERT_TRUE(kv.has_subwords());
  EXPECT_EQ(kv.subwords()->rows.rows(), 5000u);
  EXPECT_EQ(kv.subwords()->settings.minn, 3u);
  EXPECT_EQ(kv.subwords()->prune, nullptr);
  ASSERT_TRUE(kv.vocab().has_counts());
  KeyedVectors reference = fasttext_keyed_vectors(model);
  for (size_t i = 0; i < kv.size(); ++i) {
    EXPECT_EQ(kv.vocab().word(i), model.entries[i].word);
    EXPECT_EQ(kv.vocab().count(i), uint64_t(model.entries[i].count));
    EXPECT_EQ(0, std::memcmp(kv.vectors().row(i), reference.vectors().row(i), kv.dim() * 4));
  }
  EXPECT_EQ(kv.word_vector("zzqx"), reference.word_vector("zzqx"));

  // --limit keeps the first words; later ones become unseen words with n-gram vectors.
  LoadOptions limited;
  limited.limit = 5;
  KeyedVectors head = load(path, limited);
  EXPECT_EQ(head.size(), 5u);
  EXPECT_EQ(head.word_vector(model.entries[3].word), kv.word_vector(model.entries[3].word));
  const std::string& later = model.entries[7].word;
  EXPECT_FALSE(head.vocab().contains(later));
  std::vector<uint32_t> ids;
  append_subword_ids(later, model.args.subwords(), uint32_t(model.nwords), ids);
  ASSERT_FALSE(ids.empty());
  std::vector<float> expected(16, 0.0f);
  for (uint32_t id : ids) model.input.add_row(id, 1.0f, expected.data());
  std::vector<float> got = head.word_vector(later);
  for (size_t j = 0; j < 16; ++j) EXPECT_FLOAT_EQ(got[j], expected[j] / float(ids.size()));
}

TEST(IoFastTextBin, DetectedByMagicWhateverTheName) {
  SKIP_WITHOUT_FASTTEXT();
  TempDir dir;
  const std::string bytes = read_file(Models::get().path("skipgram"));
  for (const char* name : {"model.bin", "model.ftz", "model", "model.vec", "model.emb"}) {
    write_file(dir.file(name), bytes);
    EXPECT_EQ(detect_format(dir.file(name)), Format::FastText) << name;
    EXPECT_EQ(load(dir.file(name)).size(), size_t(read_fasttext_model(dir.file(name)).nwords));
  }
  write_file(dir.file("model.bin.gz"), testing::gzip_bytes(bytes));
  EXPECT_EQ(detect_format(dir.file("model.bin.gz")), Format::FastText);
  EXPECT_EQ(load(dir.file("model.bin.gz")).size(), load(dir.file("model.bin")).size());
}

TEST(IoFastTextBin, FifoIsReadOnce) {
  SKIP_WITHOUT_FASTTEXT();
  TempDir dir;
  const std::string bytes = read_file(Models::get().path("cbow"));
  const std::string fifo = dir.file("model.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { write_file(fifo, bytes); });
  LoadDetails details;
  KeyedVectors kv = load(fifo, {}, details);
  writer.join();
  EXPECT_EQ(details.format, Format::FastText);
  EXPECT_EQ(details.file_bytes, bytes.size());
  EXPECT_TRUE(kv.has_subwords());
}

// ---------------------------------------------------------------------------------------------
// (b) supervised and quantized models

TEST(IoFastTextBin, SupervisedVectorsEqualFastTexts) {
  SKIP_WITHOUT_FASTTEXT();
  const std::string path = Models::get().path("supervised");
  FastTextModel model = read_fasttext_model(path);
  EXPECT_EQ(model.args.model, FastTextKind::Supervised);
  EXPECT_EQ(model.args.loss, FastTextLoss::Softmax);
  EXPECT_EQ(model.args.word_ngrams, 2);
  EXPECT_EQ(model.nlabels, 3);
  EXPECT_EQ(model.output.row_count(), 3u);
  for (int32_t i = model.nwords; i < model.nwords + model.nlabels; ++i) {
    EXPECT_EQ(model.entries[size_t(i)].type, FastTextEntryType::Label);
    EXPECT_TRUE(model.entries[size_t(i)].word.starts_with("__label__"));
  }
  KeyedVectors kv = load(path);
  EXPECT_EQ(kv.size(), size_t(model.nwords));  // labels are not words
  EXPECT_FALSE(kv.vocab().contains("__label__food"));
  expect_vectors_match_fasttext(path);
}

TEST(IoFastTextBin, QuantizedVectorsEqualFastTextsAndThePruneMapIsHonoured) {
  SKIP_WITHOUT_FASTTEXT();
  for (const char* name : {"quantized", "quantized_qout"}) {
    SCOPED_TRACE(name);
    const std::string path = Models::get().path(name);
    FastTextModel model = read_fasttext_model(path);
    const bool qout = std::string(name) == "quantized_qout";
    FastTextModel dense = read_fasttext_model(Models::get().path(qout ? "many_labels" : "supervised"));
    ASSERT_TRUE(model.input.quantized);
    EXPECT_TRUE(model.input.qnorm);
    EXPECT_EQ(model.output.quantized, qout);
    EXPECT_EQ(model.output.row_count(), size_t(dense.nlabels));
    EXPECT_GE(model.output.row_count(), qout ? 256u : 3u);
    EXPECT_EQ(model.input.pq.dsub, qout ? 3 : 2);
    EXPECT_EQ(model.input.pq.lastdsub, qout ? 1 : 2);
    ASSERT_GT(model.prune_size, 0);
    EXPECT_EQ(model.prune.size(), size_t(model.prune_size));
    EXPECT_EQ(model.input.row_count(), size_t(model.nwords) + size_t(model.prune_size));
    EXPECT_EQ(model.input.row_count(), 1000u);  // -cutoff 1000
    // Some unseen word lost n-grams to the pruning, and still equals fastText's vector below.
    size_t dropped = 0;
    for (const auto& w : unseen_words())
      dropped += dense.subword_ids(w).size() - model.subword_ids(w).size();
    EXPECT_GT(dropped, 0u);
    KeyedVectors kv = load(path);
    ASSERT_TRUE(kv.has_subwords());
    ASSERT_NE(kv.subwords()->prune, nullptr);
    EXPECT_EQ(kv.subwords()->rows.rows(), size_t(model.prune_size));
    expect_vectors_match_fasttext(path);
  }
}

TEST(IoFastTextBin, Version11SupervisedModelsHaveNoCharacterNgrams) {
  SKIP_WITHOUT_FASTTEXT();
  TempDir dir;
  std::string bytes = read_file(Models::get().path("supervised"));
  const int32_t eleven = 11;
  std::memcpy(bytes.data() + 4, &eleven, 4);
  const std::string path = dir.file("v11.bin");
  write_file(path, bytes);
  FastTextModel model = read_fasttext_model(path);
  EXPECT_EQ(model.version, 11);
  EXPECT_EQ(model.args.maxn, 0);
  EXPECT_FALSE(load(path).has_subwords());
  expect_vectors_match_fasttext(path);  // fastText ignores the n-grams of version 11 too
}

// ---------------------------------------------------------------------------------------------
// (c) round trips

std::string nn_output(const std::string& path, const std::vector<std::string>& queries) {
  std::string input;
  for (const auto& q : queries) input += q + "\n";
  RunResult result = run(Models::get().dir(), fmt::format("{} nn {} 5", kFastText, path), input);
  EXPECT_EQ(result.status, 0) << result.err;
  return result.out;
}

std::string predict_output(const std::string& path, const char* command) {
  RunResult result = run(Models::get().dir(),
                   fmt::format("{} {} {} {} 3", kFastText, command, path, Models::get().test_lines()));
  EXPECT_EQ(result.status, 0) << result.err;
  return result.out;
}

TEST(IoFastTextBin, RoundTripsThroughFastText) {
  SKIP_WITHOUT_FASTTEXT();
  TempDir dir;
  std::vector<std::string> queries = {"alpha", "東京", "zzqx", "naïveté"};
  for (const char* name : {"skipgram", "cbow", "supervised", "quantized", "quantized_qout"}) {
    SCOPED_TRACE(name);
    const std::string original = Models::get().path(name);
    FastTextModel model = read_fasttext_model(original);
    const std::string copy = dir.file(std::string(name) + (model.input.quantized ? ".ftz" : ".bin"));
    write_fasttext_model(model, copy);
    const bool pruned = model.prune_size >= 0;
    // fastText's pruned-bucket pairs come in hash-map order; embkit writes them by row.
    if (!pruned) {
      EXPECT_TRUE(read_file(copy) == read_file(original)) << "byte-identical to fastText's";
    } else {
      EXPECT_EQ(read_file(copy).size(), read_file(original).size());
    }

    std::vector<std::string> words = dictionary_words(model);
    for (const auto& w : unseen_words()) words.push_back(w);
    EXPECT_EQ(printed_vectors(copy, words), printed_vectors(original, words));
    const std::string neighbours = nn_output(copy, queries);
    EXPECT_EQ(neighbours, nn_output(original, queries));
    EXPECT_EQ(std::count(neighbours.begin(), neighbours.end(), '\n'), 4 * 5);  // 5 per query
    if (model.args.model == FastTextKind::Supervised) {
      const std::string predictions = predict_output(copy, "predict");
      EXPECT_EQ(predictions, predict_output(original, "predict"));
      EXPECT_NE(predictions.find("__label__"), std::string::npos);
      EXPECT_EQ(predict_output(copy, "predict-prob"), predict_output(original, "predict-prob"));
    }
    // Re-read and written again: the same bytes.
    const std::string again = dir.file(std::string("again_") + name);
    write_fasttext_model(read_fasttext_model(copy), again);
    EXPECT_TRUE(read_file(again) == read_file(copy)) << "second write differs";
  }
  for (const auto& file : dir.listing()) EXPECT_EQ(file.find(".tmp."), std::string::npos) << file;
}

// ---------------------------------------------------------------------------------------------
// (d) models built from KeyedVectors

// 40 words (with "</s>" first, as fastText has it), dim 8, random composed vectors and n-gram rows.
KeyedVectors subword_vectors(bool with_counts, SubwordSettings settings = {3, 5, 1000}) {
  std::mt19937 rng(11);
  std::normal_distribution<float> value(0.0f, 0.3f);
  Vocab vocab;
  vocab.add("</s>", with_counts ? 500 : 0);
  for (const auto& w : corpus_words()) vocab.add(w, with_counts ? 100 - vocab.size() : 0);
  for (int i = 0; vocab.size() < 40; ++i) vocab.add(fmt::format("w{}x", i), with_counts ? 10 : 0);
  const size_t dim = 8;
  Matrix rows(vocab.size(), dim);
  for (size_t i = 0; i < rows.rows(); ++i)
    for (size_t j = 0; j < dim; ++j) rows.mutable_row(i)[j] = value(rng);
  KeyedVectors kv(std::move(vocab), std::move(rows));
  if (settings.enabled()) {
    auto table = std::make_shared<SubwordTable>();
    table->settings = settings;
    table->rows = Matrix(settings.bucket, dim);
    for (size_t i = 0; i < settings.bucket; ++i)
      for (size_t j = 0; j < dim; ++j) table->rows.mutable_row(i)[j] = value(rng);
    kv.set_subwords(table);
  }
  return kv;
}

FastTextArgs args_for(const KeyedVectors& kv) {
  FastTextArgs args;
  args.dim = int32_t(kv.dim());
  args.minn = int32_t(kv.subwords()->settings.minn);
  args.maxn = int32_t(kv.subwords()->settings.maxn);
  args.bucket = int32_t(kv.subwords()->settings.bucket);
  return args;
}

std::vector<std::string> words_of(const KeyedVectors& kv) {
  std::vector<std::string> words;
  for (size_t i = 0; i < kv.size(); ++i) words.emplace_back(kv.vocab().word(i));
  return words;
}

// fastText's print-word-vectors of a file written from `kv` equals kv.word_vector for every word
// and unseen word.
void expect_fasttext_reads_kv(const std::string& path, const KeyedVectors& kv) {
  std::vector<std::string> words = words_of(kv);
  for (const auto& w : unseen_words()) words.push_back(w);
  Vectors printed = printed_vectors(path, words);
  for (const auto& word : words) {
    SCOPED_TRACE(word);
    std::vector<float> ours(kv.dim(), 0.0f);
    kv.word_vector(word, ours.data());
    expect_equal_to_printed(ours.data(), printed[word], kv.dim(), word);
  }
}

// The 3 nearest words by cosine (fastText's nn excludes the query itself).
std::vector<std::string> nearest(const KeyedVectors& kv, const std::string& query) {
  std::vector<float> q = kv.word_vector(query);
  std::vector<std::pair<double, std::string>> scored;
  for (size_t i = 0; i < kv.size(); ++i) {
    if (kv.vocab().word(i) == query) continue;
    double dot = 0, nq = 0, nr = 0;
    for (size_t j = 0; j < kv.dim(); ++j) {
      dot += double(q[j]) * kv.vectors().row(i)[j];
      nq += double(q[j]) * q[j];
      nr += double(kv.vectors().row(i)[j]) * kv.vectors().row(i)[j];
    }
    scored.emplace_back(-dot / std::sqrt(nq * nr), std::string(kv.vocab().word(i)));
  }
  std::sort(scored.begin(), scored.end());
  return {scored[0].second, scored[1].second, scored[2].second};
}

TEST(IoFastTextBin, ModelFromSubwordKeyedVectorsReadsBackInFastText) {
  SKIP_WITHOUT_FASTTEXT();
  TempDir dir;
  KeyedVectors kv = subword_vectors(true);
  Matrix context(kv.size(), kv.dim());
  for (size_t i = 0; i < kv.size(); ++i) context.mutable_row(i)[i % kv.dim()] = float(i);
  FastTextModel model = make_fasttext_model(kv, &context, args_for(kv));
  EXPECT_EQ(model.nwords, int32_t(kv.size()));
  EXPECT_EQ(model.nlabels, 0);
  EXPECT_EQ(model.entries[0].word, "</s>");
  EXPECT_EQ(model.entries[0].count, 500);
  EXPECT_EQ(model.ntokens, 500 + (99 + 68) * 32 / 2 + 7 * 10);  // the counts' sum
  EXPECT_EQ(model.input.row_count(), kv.size() + 1000);
  EXPECT_EQ(model.output.dense.row(5)[5], 5.0f);
  // "</s>" has no n-grams: its own row is its vector.
  EXPECT_EQ(0, std::memcmp(model.input.dense.row(0), kv.vectors().row(0), kv.dim() * 4));
  const std::string path = dir.file("made.bin");
  write_fasttext_model(model, path);
  expect_fasttext_reads_kv(path, kv);
  // fastText's neighbours are the cosine neighbours of the same vectors.
  std::string input = "alpha\ncafé\nzzqx\n";
  RunResult result = run(dir, fmt::format("{} nn {} 3", kFastText, path), input);
  ASSERT_EQ(result.status, 0) << result.err;
  std::istringstream out(result.out);
  for (const char* query : {"alpha", "café", "zzqx"}) {
    for (const auto& expected : nearest(kv, query)) {
      std::string word;
      double score;
      out >> word;
      if (word == "Query") out >> word >> word;  // the prompt "Query word? "
      out >> score;
      EXPECT_EQ(word, expected) << query;
    }
  }
  // And embkit reads back the same vectors.
  KeyedVectors back = load(path);
  for (const auto& word : words_of(kv)) {
    std::vector<float> a = kv.word_vector(word), b = back.word_vector(word);
    for (size_t j = 0; j < a.size(); ++j) EXPECT_NEAR(a[j], b[j], 1e-6) << word;
  }
}

TEST(IoFastTextBin, SaveChoosesTheFastTextFormat) {
  SKIP_WITHOUT_FASTTEXT();
  TempDir dir;
  KeyedVectors with = subword_vectors(false);
  KeyedVectors without = subword_vectors(false, {0, 0, 0});
  save(with, dir.file("with.bin"));
  EXPECT_EQ(detect_format(dir.file("with.bin")), Format::FastText);
  expect_fasttext_reads_kv(dir.file("with.bin"), with);
  FastTextModel model = read_fasttext_model(dir.file("with.bin"));
  EXPECT_EQ(model.entries[3].count, 1);  // no counts: 1 each
  EXPECT_EQ(model.args.minn, 3);
  EXPECT_EQ(model.args.bucket, 1000);

  save(without, dir.file("without.bin"));  // no subwords: word2vec binary as before
  EXPECT_EQ(detect_format(dir.file("without.bin")), Format::Bin);
  save(without, dir.file("without.ftz"));
  EXPECT_EQ(detect_format(dir.file("without.ftz")), Format::FastText);
  SaveOptions forced;
  forced.format = Format::FastText;
  save(without, dir.file("forced.model"), forced);
  EXPECT_EQ(read_file(dir.file("forced.model")), read_file(dir.file("without.ftz")));
  FastTextModel plain = read_fasttext_model(dir.file("forced.model"));
  EXPECT_EQ(plain.args.maxn, 0);
  EXPECT_EQ(plain.args.bucket, 0);
  EXPECT_EQ(plain.input.row_count(), without.size());
  // Without n-grams the vectors come back bit for bit, and fastText prints them.
  testing::expect_same_vectors(without, load(dir.file("without.ftz")));
  expect_fasttext_reads_kv(dir.file("without.ftz"), without);
  SaveOptions w2v;
  w2v.format = Format::Bin;
  save(with, dir.file("words.bin"), w2v);
  EXPECT_EQ(detect_format(dir.file("words.bin")), Format::Bin);
}

TEST(IoFastTextBin, FormatNamesAndOutputRules) {
  EXPECT_EQ(parse_format("fasttext-bin"), Format::FastText);
  EXPECT_EQ(parse_format("ftz"), Format::FastText);
  EXPECT_EQ(parse_format("fasttext.bin"), Format::FastText);
  EXPECT_EQ(parse_format("fasttext"), Format::Vec);  // fastText's .vec text, as before
  EXPECT_EQ(format_name(Format::FastText), "fasttext-bin");
  EXPECT_EQ(format_for_output("m.ftz"), Format::FastText);
  EXPECT_EQ(format_for_output("m.bin"), Format::Bin);
  EXPECT_EQ(format_for_output("m.bin", subword_vectors(false)), Format::FastText);
  EXPECT_EQ(format_for_output("m.bin", subword_vectors(false, {0, 0, 0})), Format::Bin);
  EXPECT_EQ(format_for_output("m.vec", subword_vectors(false)), Format::Vec);
}

TEST(IoFastTextBin, MakeModelRefusesWhatItCannotRepresent) {
  KeyedVectors kv = subword_vectors(false);
  FastTextArgs args = args_for(kv);
  auto error = [&](const FastTextArgs& a, const Matrix* output = nullptr) {
    return error_message([&] { make_fasttext_model(kv, output, a); });
  };
  FastTextArgs wrong_dim = args;
  wrong_dim.dim = 9;
  EXPECT_EQ(error(wrong_dim),
            "cannot build a fastText model: args.dim is 9 but the vectors have dimension 8");
  FastTextArgs wrong_bucket = args;
  wrong_bucket.bucket = 999;
  EXPECT_EQ(error(wrong_bucket), "cannot build a fastText model: the subword table has minn 3, "
                                 "maxn 5, bucket 1000 but args say 3, 5, 999");
  FastTextArgs supervised = args;
  supervised.model = FastTextKind::Supervised;
  EXPECT_NE(error(supervised).find("only unsupervised"), std::string::npos);
  Matrix small(3, 8);
  EXPECT_NE(error(args, &small).find("the output matrix is 3 x 8, not 40 x 8"), std::string::npos);
  KeyedVectors plain = subword_vectors(false, {0, 0, 0});
  EXPECT_NE(error_message([&] { make_fasttext_model(plain, nullptr, args_for(kv)); })
                .find("the vectors have no subword table"),
            std::string::npos);
  // A pruned table (from a .ftz) has no dense fastText form.
  auto pruned = std::make_shared<SubwordTable>();
  pruned->settings = kv.subwords()->settings;
  pruned->rows = Matrix(1000, 8);
  pruned->prune = std::make_shared<const PruneMap>(PruneMap{{1, 0}});
  kv.set_subwords(pruned);
  EXPECT_NE(error(args).find("the subword table is pruned"), std::string::npos);
  // Non-finite values are refused.
  KeyedVectors nan = subword_vectors(false, {0, 0, 0});
  nan.mutable_vectors().mutable_row(2)[1] = std::nanf("");
  FastTextArgs none;
  none.dim = 8;
  none.maxn = none.minn = none.bucket = 0;
  EXPECT_NE(error_message([&] { make_fasttext_model(nan, nullptr, none); })
                .find("value 2 of word 'beta' is not finite"),
            std::string::npos);
}

TEST(IoFastTextBin, InfoDescribesTheModel) {
  SKIP_WITHOUT_FASTTEXT();
  TempDir dir;
  RunResult sg = run(dir, std::string(EMBKIT_BINARY) + " info " + Models::get().path("skipgram"));
  ASSERT_EQ(sg.status, 0) << sg.err;
  EXPECT_NE(sg.out.find("format      fasttext-bin\n"), std::string::npos) << sg.out;
  EXPECT_NE(sg.out.find("fastText    skipgram model, loss ns, file version 12\n"), std::string::npos)
      << sg.out;
  EXPECT_NE(sg.out.find("n-grams     minn 3 maxn 6 bucket 5000\n"), std::string::npos) << sg.out;
  EXPECT_NE(sg.out.find("quantized   no\n"), std::string::npos) << sg.out;
  RunResult q = run(dir, std::string(EMBKIT_BINARY) + " info " + Models::get().path("quantized"));
  ASSERT_EQ(q.status, 0) << q.err;
  EXPECT_NE(q.out.find("fastText    supervised model, loss softmax"), std::string::npos) << q.out;
  EXPECT_NE(q.out.find("words, 3 labels"), std::string::npos) << q.out;
  EXPECT_NE(q.out.find("word n-grams up to 2"), std::string::npos) << q.out;
  const int64_t kept = read_fasttext_model(Models::get().path("quantized")).prune_size;
  EXPECT_NE(q.out.find(fmt::format(
                "quantized   yes (product-quantized input, quantized norms, {} buckets kept)", kept)),
            std::string::npos)
      << q.out;
  RunResult json = run(dir, std::string(EMBKIT_BINARY) + " info --json " + Models::get().path("quantized"));
  ASSERT_EQ(json.status, 0) << json.err;
  EXPECT_NE(json.out.find("\"kind\":\"supervised\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"nlabels\":3"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"quantized\":true"), std::string::npos) << json.out;
  // convert keeps a subword model a fastText model under a .bin name.
  RunResult convert = run(dir, std::string(EMBKIT_BINARY) + " convert " + Models::get().path("cbow") +
                             " " + dir.file("copy.bin"));
  ASSERT_EQ(convert.status, 0) << convert.err;
  EXPECT_NE(convert.out.find("(fasttext-bin f32"), std::string::npos) << convert.out;
  EXPECT_EQ(detect_format(dir.file("copy.bin")), Format::FastText);
}

// ---------------------------------------------------------------------------------------------
// (e) bad input. Files are built here byte by byte from the layout, independently of the writer.

class Bytes {
 public:
  template <typename T>
  Bytes& put(T value) {
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
    return *this;
  }
  Bytes& raw(std::string_view bytes) {
    bytes_.append(bytes);
    return *this;
  }
  const std::string& str() const { return bytes_; }

 private:
  std::string bytes_;
};

struct QuantizerSpec {
  int32_t dim = 4, nsubq = 2, dsub = 2, lastdsub = 2;
  std::vector<float> centroids;  // empty: dim * 256 generated values
};

std::string quantizer_bytes(const QuantizerSpec& q) {
  Bytes b;
  b.put(q.dim).put(q.nsubq).put(q.dsub).put(q.lastdsub);
  if (!q.centroids.empty()) {
    for (float v : q.centroids) b.put(v);
  } else {
    for (int64_t i = 0; i < int64_t(q.dim) * 256; ++i) b.put(float((i * 37) % 101) / 50.0f - 1.0f);
  }
  return b.str();
}

std::string dense_bytes(int64_t rows, int64_t cols, const std::vector<float>& values) {
  Bytes b;
  b.put(rows).put(cols);
  for (float v : values) b.put(v);
  return b.str();
}

std::vector<float> ramp(size_t count, float scale = 0.125f) {
  std::vector<float> values;
  for (size_t i = 0; i < count; ++i) values.push_back(scale * float(int(i % 9) - 4));
  return values;
}

// A small model described field by field: by default a dense skip-gram model of dimension 2 with
// the words "</s>" and "ab", 3 buckets, n-grams of 2 to 3 characters.
struct Spec {
  int32_t magic = 793712314;
  int32_t version = 12;
  // dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate
  std::vector<int32_t> args = {2, 5, 1, 1, 5, 1, 2, 2, 3, 2, 3, 100};
  double t = 1e-4;
  int32_t size = 2, nwords = 2, nlabels = 0;
  int64_t ntokens = 10, prune_size = -1;
  std::vector<std::tuple<std::string, int64_t, uint8_t>> entries = {{"</s>", 6, 0}, {"ab", 4, 0}};
  std::vector<std::pair<int32_t, int32_t>> prune;
  uint8_t quant = 0;
  std::string input = dense_bytes(5, 2, ramp(10));
  uint8_t qout = 0;
  std::string output = dense_bytes(2, 2, ramp(4, 0.5f));
  std::string trailing;

  std::string bytes() const {
    Bytes b;
    b.put(magic).put(version);
    for (int32_t a : args) b.put(a);
    b.put(t).put(size).put(nwords).put(nlabels).put(ntokens).put(prune_size);
    for (const auto& [word, count, type] : entries) b.raw(word).put('\0').put(count).put(type);
    for (const auto& [bucket, row] : prune) b.put(bucket).put(row);
    b.put(quant).raw(input).put(qout).raw(output).raw(trailing);
    return b.str();
  }
};

// Byte offsets in the default Spec.
constexpr size_t kArgsAt = 8, kDictionaryAt = 64, kEntriesAt = 92, kQuantAt = 118, kInputAt = 119,
                 kInputDataAt = 135, kQoutAt = 175, kOutputAt = 176, kEnd = 208;

// A quantized supervised model of dimension 4: "hello", "world", "__label__x"; buckets 7 and 3 of
// 10 kept (rows 0 and 1); input codes with norms, output codes without.
Spec quantized_spec() {
  Spec s;
  s.args = {4, 5, 1, 1, 5, 2, 3, 3, 10, 0, 0, 100};
  s.size = 3;
  s.nwords = 2;
  s.nlabels = 1;
  s.entries = {{"hello", 3, 0}, {"world", 2, 0}, {"__label__x", 5, 1}};
  s.prune_size = 2;
  s.prune = {{7, 0}, {3, 1}};
  s.quant = 1;
  Bytes in;
  in.put(uint8_t(1)).put(int64_t(4)).put(int64_t(4)).put(int32_t(8));
  in.raw(std::string("\x01\x02\x03\x04\xff\x00\x10\x80", 8)).raw(quantizer_bytes({}));
  in.raw(std::string("\x05\x06\x07\x08", 4)).raw(quantizer_bytes({1, 1, 1, 1, {}}));
  s.input = in.str();
  s.qout = 1;
  Bytes out;
  out.put(uint8_t(0)).put(int64_t(1)).put(int64_t(4)).put(int32_t(2));
  out.raw(std::string("\x09\xfe", 2)).raw(quantizer_bytes({}));
  s.output = out.str();
  return s;
}

std::string load_failure(const TempDir& dir, const std::string& bytes) {
  const std::string path = dir.file("bad.bin");
  write_file(path, bytes);
  try {
    read_fasttext_model(path);
  } catch (const FormatError& e) {
    EXPECT_EQ(e.path(), path);
    // load() (detection + the same reader) gives the same message; without the magic number the
    // format is not detected, and forcing it gives the message again.
    LoadOptions options;
    if (!looks_like_fasttext_model(bytes.data(), bytes.size())) options.format = Format::FastText;
    EXPECT_EQ(error_message([&] { load(path, options); }), e.what());
    return std::string(e.what()).substr(path.size() + 2);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a FormatError: " << e.what();
    return e.what();
  }
  return "(no error)";
}

TEST(IoFastTextBin, HandBuiltFilesReadLikeFastTextReadsThem) {
  TempDir dir;
  for (const Spec& spec : {Spec{}, quantized_spec()}) {
    const std::string path = dir.file(spec.quant ? "hand.ftz" : "hand.bin");
    write_file(path, spec.bytes());
    FastTextModel model = read_fasttext_model(path);
    EXPECT_EQ(model.nwords, 2);
    // Written back: the same bytes (the prune pairs here are already in row order).
    write_fasttext_model(model, dir.file("again"));
    EXPECT_TRUE(read_file(dir.file("again")) == spec.bytes());
    if (!have_fasttext()) continue;
    std::vector<std::string> words = dictionary_words(model);
    words.push_back("abc");
    words.push_back("hellos");
    Vectors printed = printed_vectors(path, words);
    std::vector<float> ours(size_t(model.args.dim));
    for (const auto& w : words) {
      model.word_vector(w, ours.data());
      expect_equal_to_printed(ours.data(), printed[w], ours.size(), w);
    }
  }
  // The quantized word "hello" by hand: norm centroid of code 5 times the centroids of codes 1, 2.
  FastTextModel model = parse_fasttext_model(quantized_spec().bytes(), "q");
  const float norm = float((5 * 37) % 101) / 50.0f - 1.0f;
  auto centroid = [](int64_t index) { return float((index * 37) % 101) / 50.0f - 1.0f; };
  std::vector<float> hello(4);
  model.word_vector("hello", hello.data());
  EXPECT_EQ(hello[0], norm * centroid(1 * 2));
  EXPECT_EQ(hello[1], norm * centroid(1 * 2 + 1));
  EXPECT_EQ(hello[2], norm * centroid((256 + 2) * 2));
  EXPECT_EQ(hello[3], norm * centroid((256 + 2) * 2 + 1));
}

TEST(IoFastTextBinErrors, TruncatedAtEveryByte) {
  for (const Spec& spec : {Spec{}, quantized_spec()}) {
    const std::string bytes = spec.bytes();
    for (size_t length = 0; length < bytes.size(); ++length) {
      std::string message = error_message([&] { parse_fasttext_model(bytes.substr(0, length), "t.bin"); });
      ASSERT_TRUE(message.starts_with("t.bin: ")) << length << ": " << message;
    }
    EXPECT_EQ(error_message([&] { parse_fasttext_model(bytes, "t.bin"); }), "(no error)");
  }
  EXPECT_EQ(error_message([&] { parse_fasttext_model(Spec{}.bytes().substr(0, kEnd - 3), "t.bin"); }),
            "t.bin: output matrix at byte 192: 2 rows of 8 bytes need more than the 13 bytes that "
            "remain (truncated file?)");
  EXPECT_EQ(error_message([&] { parse_fasttext_model(Spec{}.bytes().substr(0, 70), "t.bin"); }),
            "t.bin: dictionary at byte 68: needs 4 bytes but only 2 remain (truncated file?)");
}

TEST(IoFastTextBinErrors, TruncatedRealModelsFailCleanly) {
  SKIP_WITHOUT_FASTTEXT();
  TempDir dir;
  for (const char* name : {"skipgram", "quantized_qout"}) {
    const std::string bytes = read_file(Models::get().path(name));
    for (size_t length = 0; length < bytes.size(); length += 1 + length / 3) {
      std::string message = load_failure(dir, bytes.substr(0, length));
      EXPECT_NE(message, "(no error)") << length;
    }
  }
}

TEST(IoFastTextBinErrors, WrongMagicOrVersion) {
  TempDir dir;
  Spec spec;
  spec.magic = 0x12345678;
  EXPECT_EQ(load_failure(dir, spec.bytes()),
            "not a fastText model (magic number 0x12345678 at byte 0, expected 0x2f4f16ba)");
  // Detection does not take it for a fastText model.
  EXPECT_NE(error_message([&] { load(dir.file("bad.bin")); }).find("not a recognised embedding file"),
            std::string::npos);
  for (int32_t version : {13, 10, -1}) {
    Spec v;
    v.version = version;
    EXPECT_EQ(load_failure(dir, v.bytes()),
              fmt::format("format version at byte 4: {} is not supported (embkit reads fastText "
                          "model versions 11 and 12)",
                          version));
  }
  Spec eleven;
  eleven.version = 11;
  EXPECT_EQ(load_failure(dir, eleven.bytes()), "(no error)");
  write_file(dir.file("empty.bin"), "");
  EXPECT_EQ(error_message([&] { read_fasttext_model(dir.file("empty.bin")); }),
            dir.file("empty.bin") + ": file is empty");
}

TEST(IoFastTextBinErrors, BadArguments) {
  TempDir dir;
  auto with_arg = [](size_t index, int32_t value) {
    Spec s;
    s.args[index] = value;
    return s.bytes();
  };
  EXPECT_EQ(load_failure(dir, with_arg(0, -2)), "args at byte 8: dim -2 is not positive");
  EXPECT_EQ(load_failure(dir, with_arg(0, 0)), "args at byte 8: dim 0 is not positive");
  EXPECT_EQ(load_failure(dir, with_arg(6, 7)),
            "args at byte 8: loss 7 is not one of 1 (hs), 2 (ns), 3 (softmax), 4 (ova)");
  EXPECT_EQ(load_failure(dir, with_arg(7, 0)),
            "args at byte 8: model 0 is not one of 1 (cbow), 2 (skipgram), 3 (supervised)");
  EXPECT_EQ(load_failure(dir, with_arg(8, -1)), "args at byte 8: bucket -1 is negative");
  EXPECT_EQ(load_failure(dir, with_arg(10, -3)),
            "args at byte 8: minn 2 / maxn -3: negative n-gram lengths");
  Spec no_buckets;
  no_buckets.args[8] = 0;
  no_buckets.input = dense_bytes(2, 2, ramp(4));
  EXPECT_EQ(load_failure(dir, no_buckets.bytes()),
            "args at byte 8: maxn 3 asks for character n-grams but bucket is 0");
  Spec nan_t;
  nan_t.t = std::nan("");
  EXPECT_EQ(load_failure(dir, nan_t.bytes()), "args at byte 8: t nan is not finite");
  (void)kArgsAt;
}

TEST(IoFastTextBinErrors, DictionaryThatDoesNotAddUp) {
  TempDir dir;
  Spec counts;
  counts.nwords = 1;
  EXPECT_EQ(load_failure(dir, counts.bytes()),
            "dictionary at byte 64: nwords 1 + nlabels 0 is not its size 2");
  Spec negative;
  negative.nlabels = -1;
  negative.nwords = 3;
  EXPECT_EQ(load_failure(dir, negative.bytes()),
            "dictionary at byte 64: negative size 2, nwords 3 or nlabels -1");
  Spec huge;
  huge.size = huge.nwords = 0x7fffffff;
  EXPECT_EQ(load_failure(dir, huge.bytes()),
            "dictionary at byte 92: 2147483647 entries need at least 23622320117 bytes but only "
            "116 remain (truncated file?)");
  Spec tokens;
  tokens.ntokens = -5;
  EXPECT_EQ(load_failure(dir, tokens.bytes()), "dictionary at byte 64: token count -5 is negative");
  Spec prune;
  prune.prune_size = -2;
  EXPECT_EQ(load_failure(dir, prune.bytes()),
            "dictionary at byte 64: pruned bucket count -2 is below -1 (never pruned)");
  (void)kDictionaryAt;
}

TEST(IoFastTextBinErrors, BadEntries) {
  TempDir dir;
  Spec duplicate;
  std::get<0>(duplicate.entries[1]) = "</s>";
  EXPECT_EQ(load_failure(dir, duplicate.bytes()),
            "dictionary entry 2 ('</s>') at byte 106: duplicate word (first was entry 1)");
  Spec empty;
  std::get<0>(empty.entries[1]) = "";
  EXPECT_EQ(load_failure(dir, empty.bytes()), "dictionary entry 2 at byte 106: empty word");
  Spec type;
  std::get<2>(type.entries[0]) = 2;
  EXPECT_EQ(load_failure(dir, type.bytes()),
            "dictionary entry 1 ('</s>') at byte 92: type 2 is neither 0 (word) nor 1 (label)");
  Spec label_first;
  std::get<2>(label_first.entries[0]) = 1;
  EXPECT_EQ(load_failure(dir, label_first.bytes()),
            "dictionary entry 1 ('</s>') at byte 92: is a label but the dictionary declares 2 words "
            "followed by 0 labels");
  Spec count;
  std::get<1>(count.entries[1]) = -1;
  EXPECT_EQ(load_failure(dir, count.bytes()),
            "dictionary entry 2 ('ab') at byte 106: count -1 is negative");
  // A word that runs to the end of the file.
  Spec unterminated;
  unterminated.entries.pop_back();
  unterminated.quant = 'x';
  unterminated.input = std::string(40, 'y');
  unterminated.qout = 'z';
  unterminated.output.clear();
  EXPECT_EQ(load_failure(dir, unterminated.bytes()),
            "dictionary entry 2 at byte 106: the word has no terminating NUL byte before the end "
            "of the file (truncated file?)");
  // Bytes that are not UTF-8 are words like any other (fastText splits on bytes).
  Spec bytes;
  std::get<0>(bytes.entries[1]) = "\xff\xfe";
  EXPECT_EQ(load_failure(dir, bytes.bytes()), "(no error)");
  EXPECT_EQ(load(dir.file("bad.bin")).vocab().word(1), "\xff\xfe");
  (void)kEntriesAt;
}

TEST(IoFastTextBinErrors, BadPruneMaps) {
  TempDir dir;
  Spec q = quantized_spec();
  const size_t pairs_at = 64 + 28 + (6 + 9) + (6 + 9) + (11 + 9);
  q.prune = {{7, 0}, {7, 1}};
  EXPECT_EQ(load_failure(dir, q.bytes()),
            fmt::format("pruned buckets at byte {}: pair 2: bucket 7 appears twice", pairs_at + 8));
  q.prune = {{10, 0}, {3, 1}};
  EXPECT_EQ(load_failure(dir, q.bytes()),
            fmt::format("pruned buckets at byte {}: pair 1: bucket 10 is outside [0, 10)", pairs_at));
  q.prune = {{7, 0}, {3, 2}};
  EXPECT_EQ(load_failure(dir, q.bytes()),
            fmt::format("pruned buckets at byte {}: pair 2: row 2 is outside the 2 kept rows",
                        pairs_at + 8));
  Spec lying = quantized_spec();
  lying.prune_size = int64_t{1} << 60;
  EXPECT_NE(load_failure(dir, lying.bytes())
                .find(fmt::format("pruned buckets at byte {}: 1152921504606846976 (bucket, row) "
                                  "pairs need 9223372036854775808 bytes",
                                  pairs_at)),
            std::string::npos);
  Spec dense_pruned;
  dense_pruned.prune_size = 1;
  dense_pruned.prune = {{1, 0}};
  dense_pruned.input = dense_bytes(3, 2, ramp(6));
  EXPECT_EQ(load_failure(dir, dense_pruned.bytes()),
            "input quantization flag at byte 126: the dictionary is pruned (1 kept buckets) but the "
            "input matrix is not quantized (fastText refuses such files)");
}

TEST(IoFastTextBinErrors, BadDenseMatrices) {
  TempDir dir;
  Spec cols;
  cols.input = dense_bytes(5, 3, ramp(15));
  EXPECT_EQ(load_failure(dir, cols.bytes()), "input matrix at byte 119: has 3 columns but args.dim is 2");
  Spec negative;
  negative.input = dense_bytes(5, -2, {});
  EXPECT_EQ(load_failure(dir, negative.bytes()),
            "input matrix at byte 119: has -2 columns but args.dim is 2");
  Spec rows;
  rows.input = dense_bytes(4, 2, ramp(8));
  EXPECT_EQ(load_failure(dir, rows.bytes()),
            "input matrix at byte 119: has 4 rows but needs 5 (2 words + 3 buckets)");
  Spec output_rows;
  output_rows.output = dense_bytes(3, 2, ramp(6));
  EXPECT_EQ(load_failure(dir, output_rows.bytes()),
            "output matrix at byte 176: has 3 rows but needs 2 (one per word, 2)");
  // A bucket count that would need gigabytes is refused before anything is allocated.
  Spec lying;
  lying.args[8] = 0x7ffffff0;
  lying.input = dense_bytes(int64_t{2} + 0x7ffffff0, 2, ramp(10));
  EXPECT_EQ(load_failure(dir, lying.bytes()),
            "input matrix at byte 135: 2147483634 rows of 8 bytes need more than the 73 bytes that "
            "remain (truncated file?)");
  Spec big_dim;
  big_dim.args[0] = 0x40000000;
  big_dim.input = dense_bytes(5, 0x40000000, {});
  EXPECT_EQ(load_failure(dir, big_dim.bytes()),
            "input matrix at byte 135: 5 rows of 4294967296 bytes need more than the 33 bytes that "
            "remain (truncated file?)");
  for (float bad : {std::nanf(""), INFINITY, -INFINITY}) {
    Spec spec;
    std::vector<float> values = ramp(10);
    values[7] = bad;
    spec.input = dense_bytes(5, 2, values);
    EXPECT_EQ(load_failure(dir, spec.bytes()),
              fmt::format("input matrix at byte {}: row 4 value 2 is not finite ({})",
                          kInputDataAt + 7 * 4, bad));
  }
  Spec trailing;
  trailing.trailing = "xyz";
  EXPECT_EQ(load_failure(dir, trailing.bytes()),
            "end of model at byte 208: 3 more bytes after the output matrix (trailing data)");
  Spec flag;
  flag.quant = 2;
  EXPECT_EQ(load_failure(dir, flag.bytes()),
            "input quantization flag at byte 118: 2 is not a boolean (0 or 1)");
  Spec qout;
  qout.qout = 1;
  EXPECT_EQ(load_failure(dir, qout.bytes()),
            "output quantization flag at byte 175: the output matrix is quantized but the input "
            "matrix is not");
  (void)kQuantAt;
  (void)kInputAt;
  (void)kQoutAt;
  (void)kOutputAt;
}

TEST(IoFastTextBinErrors, BadQuantizedMatrices) {
  TempDir dir;
  const Spec good = quantized_spec();
  const size_t input_at = good.bytes().size() - good.output.size() - 1 - good.input.size();
  auto with_input = [&](const std::string& input) {
    Spec s = good;
    s.input = input;
    return s.bytes();
  };
  auto header = [](uint8_t qnorm, int64_t m, int64_t n, int32_t codesize) {
    Bytes b;
    b.put(qnorm).put(m).put(n).put(codesize);
    return b.str();
  };
  const std::string codes("\x01\x02\x03\x04\xff\x00\x10\x80", 8);
  const std::string norms = std::string("\x05\x06\x07\x08", 4) + quantizer_bytes({1, 1, 1, 1, {}});
  // Sub-quantizers that do not tile the dimension would index past the centroid table.
  EXPECT_EQ(load_failure(dir, with_input(header(1, 4, 4, 8) + codes +
                                         quantizer_bytes({4, 2, 4, 4, std::vector<float>(1024, 0.5f)}) +
                                         norms)),
            fmt::format("input matrix quantizer at byte {}: 2 sub-quantizers of 4 dimensions (the "
                        "last of 4) do not tile its 4 dimensions, so codes would reach outside its "
                        "1024-float centroid table",
                        input_at + 21 + 8));
  EXPECT_NE(load_failure(dir, with_input(header(1, 4, 4, 8) + codes + quantizer_bytes({4, 2, 1, 3, {}}) + norms))
                .find("2 sub-quantizers of 1 dimensions (the last of 3) do not tile"),
            std::string::npos);
  EXPECT_NE(load_failure(dir, with_input(header(1, 4, 4, 8) + codes + quantizer_bytes({4, 0, 2, 2, {}}) + norms))
                .find("0 sub-quantizers"),
            std::string::npos);
  EXPECT_EQ(load_failure(dir, with_input(header(1, 4, 4, 8) + codes + quantizer_bytes({3, 2, 2, 1, {}}) + norms)),
            fmt::format("input matrix quantizer at byte {}: has dimension 3 but the matrix has 4 "
                        "columns",
                        input_at + 29));
  // Code bytes that do not match rows x sub-quantizers.
  EXPECT_EQ(load_failure(dir, with_input(header(1, 4, 4, 6) + codes.substr(0, 6) + quantizer_bytes({}) + norms)),
            fmt::format("input matrix at byte {}: code size 6 is not 4 rows x 2 sub-quantizers",
                        input_at + 17));
  EXPECT_EQ(load_failure(dir, with_input(header(1, 4, 4, -1) + codes)),
            fmt::format("input matrix at byte {}: code size -1 is negative", input_at + 17));
  EXPECT_EQ(load_failure(dir, with_input(header(1, 4, 4, 0x7fffffff) + codes)),
            fmt::format("input matrix at byte {}: needs 2147483647 bytes but only {} remain "
                        "(truncated file?)",
                        input_at + 21, codes.size() + 1 + good.output.size()));
  EXPECT_EQ(load_failure(dir, with_input(header(1, 3, 4, 8))),
            fmt::format("input matrix at byte {}: has 3 rows but needs 4 (2 words + 2 kept buckets)",
                        input_at + 1));
  // A norm quantizer must be one-dimensional; non-finite centroids are refused.
  EXPECT_EQ(load_failure(dir, with_input(header(1, 4, 4, 8) + codes + quantizer_bytes({}) +
                                         "\x05\x06\x07\x08" + quantizer_bytes({2, 1, 2, 2, {}}))),
            fmt::format("input matrix norm quantizer at byte {}: has dimension 2 but a norm "
                        "quantizer has dimension 1",
                        input_at + 29 + 16 + 4096 + 4));
  std::vector<float> centroids(1024, 0.25f);
  centroids[1000] = std::nanf("");
  EXPECT_EQ(load_failure(dir, with_input(header(1, 4, 4, 8) + codes + quantizer_bytes({4, 2, 2, 2, centroids}) + norms)),
            fmt::format("input matrix quantizer at byte {}: value 1001 is not finite (nan)",
                        input_at + 29 + 16 + 4000));
  // Norm codes or centroids missing at the end.
  const size_t norms_at = input_at + 29 + 16 + 4096;
  EXPECT_EQ(load_failure(dir, good.bytes().substr(0, norms_at + 1)),
            fmt::format("input matrix norm codes at byte {}: needs 4 bytes but only 1 remain "
                        "(truncated file?)",
                        norms_at));
  EXPECT_EQ(load_failure(dir, with_input(header(2, 4, 4, 8))),
            fmt::format("input matrix at byte {}: 2 is not a boolean (0 or 1)", input_at));
}

TEST(IoFastTextBinErrors, WriterRefusesWhatTheReaderWould) {
  TempDir dir;
  FastTextModel model = parse_fasttext_model(Spec{}.bytes(), "m");
  auto write_error = [&](const FastTextModel& m) {
    return error_message([&] { write_fasttext_model(m, dir.file("out.bin")); });
  };
  const std::string prefix = "cannot write '" + dir.file("out.bin") + "': ";
  model.entries[1].word = "</s>";
  EXPECT_EQ(write_error(model), prefix + "dictionary entry 2 ('</s>'): duplicate word (first was entry 1)");
  model.entries[1].word = std::string("a\0b", 3);
  EXPECT_EQ(write_error(model), prefix + "dictionary entry 2 ('a\\x00b'): the word holds a NUL byte");
  model.entries[1].word = "ab";
  model.nwords = 1;
  EXPECT_EQ(write_error(model), prefix + "nwords 1 + nlabels 0 is not the 2 dictionary entries");
  model.nwords = 2;
  model.input.dense.mutable_row(3)[0] = INFINITY;
  EXPECT_EQ(write_error(model), prefix + "the input matrix row 4 value 1 is not finite");
  model.input.dense = Matrix(4, 2);
  EXPECT_EQ(write_error(model),
            prefix + "the input matrix has 4 rows but needs 5 (2 words + 3 buckets)");
  EXPECT_TRUE(dir.listing().empty());
  EXPECT_NE(error_message([&] { fasttext_keyed_vectors(model); }).find("has 4 rows but needs 5"),
            std::string::npos);
  EXPECT_NE(error_message([&] { model.subword_ids(uint32_t(7)); }).find("entry 7 is not in"),
            std::string::npos);
}

}  // namespace
}  // namespace embkit
