// prepare_corpus: counts, frequency order and its ties, min_count and max_vocab, the exact ids and
// sentence ends of a hand-made corpus, dropped sentences, options, compressed input, progress, and
// the errors (empty corpus, every word below min_count, binary junk, missing file).
#include <filesystem>

#include "corpus_test_util.h"
#include "embkit/error.h"
#include "embkit/prepare_corpus.h"

namespace embkit::testing {
namespace {

using Ids = std::vector<uint32_t>;
using Ends = std::vector<uint64_t>;

std::vector<std::pair<std::string, uint64_t>> words_and_counts(const Vocab& vocab) {
  std::vector<std::pair<std::string, uint64_t>> result;
  for (size_t id = 0; id < vocab.size(); ++id)
    result.emplace_back(std::string(vocab.word(id)), vocab.count(id));
  return result;
}

// Counts: e 4, a 3, b 2, c 1, d 1 (c is seen before d).
constexpr std::string_view kHandMade = "b a c a\nb a d\n\n  \ne e e e\n";

class CorpusPrepareTest : public ::testing::Test {
 protected:
  void SetUp() override { write_file(path_, kHandMade); }
  TempDir dir_;
  std::string path_ = dir_.file("hand.txt");
};

TEST_F(CorpusPrepareTest, CountsWordsInFrequencyOrderWithTiesInOrderOfFirstAppearance) {
  PreparedCorpus prepared = prepare_corpus(path_, {.min_count = 1});
  EXPECT_EQ(words_and_counts(prepared.vocab),
            (std::vector<std::pair<std::string, uint64_t>>{
                {"e", 4}, {"a", 3}, {"b", 2}, {"c", 1}, {"d", 1}}));
  EXPECT_EQ(prepared.corpus.ids, (Ids{2, 1, 3, 1, 2, 1, 4, 0, 0, 0, 0}));
  EXPECT_EQ(prepared.corpus.sentence_ends, (Ends{4, 7, 11}));
  EXPECT_EQ(prepared.corpus.sentences(), 3u);
  EXPECT_EQ(prepared.corpus.raw_tokens, 11u);
  EXPECT_EQ(prepared.vocab.find("c"), 3u);

  // Ties follow first appearance, not the alphabet.
  write_file(path_, "zeta alpha mid\nalpha zeta omega\n");
  prepared = prepare_corpus(path_, {.min_count = 1});
  EXPECT_EQ(words_and_counts(prepared.vocab),
            (std::vector<std::pair<std::string, uint64_t>>{
                {"zeta", 2}, {"alpha", 2}, {"mid", 1}, {"omega", 1}}));
}

TEST_F(CorpusPrepareTest, MinCountDropsRareWordsAndTheSentencesTheyEmpty) {
  PreparedCorpus prepared = prepare_corpus(path_, {.min_count = 2});
  EXPECT_EQ(words_and_counts(prepared.vocab),
            (std::vector<std::pair<std::string, uint64_t>>{{"e", 4}, {"a", 3}, {"b", 2}}));
  EXPECT_EQ(prepared.corpus.ids, (Ids{2, 1, 1, 2, 1, 0, 0, 0, 0}));
  EXPECT_EQ(prepared.corpus.sentence_ends, (Ends{3, 5, 9}));
  EXPECT_EQ(prepared.corpus.raw_tokens, 11u);

  // Counts: c 3, d 3, a 3, e 4, b 2; c, d and a tie and keep their order of first appearance.
  write_file(path_, "c d\nb a c a\nd\nb a d\ne e e e\nc");
  prepared = prepare_corpus(path_, {.min_count = 3});
  EXPECT_EQ(words_and_counts(prepared.vocab), (std::vector<std::pair<std::string, uint64_t>>{
                                                  {"e", 4}, {"c", 3}, {"d", 3}, {"a", 3}}));
  EXPECT_EQ(prepared.corpus.ids, (Ids{1, 2, 3, 1, 3, 2, 3, 2, 0, 0, 0, 0, 1}));
  EXPECT_EQ(prepared.corpus.sentence_ends, (Ends{2, 5, 6, 8, 12, 13}));

  prepared = prepare_corpus(path_, {.min_count = 4});
  EXPECT_EQ(prepared.corpus.ids, (Ids{0, 0, 0, 0}));
  EXPECT_EQ(prepared.corpus.sentence_ends, (Ends{4}));  // the other sentences became empty
  EXPECT_EQ(prepared.corpus.raw_tokens, 15u);
}

TEST_F(CorpusPrepareTest, MaxVocabKeepsTheMostFrequentWords) {
  PreparedCorpus prepared = prepare_corpus(path_, {.min_count = 1, .max_vocab = 2});
  EXPECT_EQ(words_and_counts(prepared.vocab),
            (std::vector<std::pair<std::string, uint64_t>>{{"e", 4}, {"a", 3}}));
  EXPECT_EQ(prepared.corpus.ids, (Ids{1, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(prepared.corpus.sentence_ends, (Ends{2, 3, 7}));
  // The tie between c and d is cut in favour of the word seen first.
  prepared = prepare_corpus(path_, {.min_count = 1, .max_vocab = 4});
  EXPECT_EQ(prepared.vocab.size(), 4u);
  EXPECT_EQ(prepared.vocab.word(3), "c");
  // min_count and max_vocab together: min_count first.
  prepared = prepare_corpus(path_, {.min_count = 3, .max_vocab = 10});
  EXPECT_EQ(prepared.vocab.size(), 2u);
}

TEST_F(CorpusPrepareTest, SplitsLongLinesAndAppliesTheTokenizerOptions) {
  std::string line;
  for (int i = 0; i < 25000; ++i) line += i % 2 ? "x " : "y ";
  write_file(path_, line + "\nThe the, THE!\n");
  PreparedCorpus prepared = prepare_corpus(path_, {.min_count = 1});
  EXPECT_EQ(prepared.corpus.sentence_ends, (Ends{10000, 20000, 25000, 28000 - 2997}));
  EXPECT_EQ(prepared.vocab.size(), 5u);  // y x The the, THE!

  prepared = prepare_corpus(path_, {.min_count = 1}, {.lowercase_and_split_punctuation = true});
  EXPECT_EQ(words_and_counts(prepared.vocab),
            (std::vector<std::pair<std::string, uint64_t>>{
                {"y", 12500}, {"x", 12500}, {"the", 3}, {",", 1}, {"!", 1}}));
  EXPECT_EQ(prepared.corpus.sentence_ends, (Ends{10000, 20000, 25000, 25005}));
  EXPECT_EQ(Ids(prepared.corpus.ids.end() - 5, prepared.corpus.ids.end()), (Ids{2, 2, 3, 2, 4}));

  prepared = prepare_corpus(path_, {.min_count = 1}, {.max_sentence_tokens = 20000});
  EXPECT_EQ(prepared.corpus.sentence_ends, (Ends{20000, 25000, 25003}));
}

TEST_F(CorpusPrepareTest, CompressedCorporaGiveTheSameResultAndReportProgress) {
  std::string text;
  for (int i = 0; i < 300000; ++i)
    text += "w" + std::to_string(i % 997 * (i % 13)) + (i % 17 ? " " : "\n");
  write_file(path_, text);
  write_file(dir_.file("c.gz"), gzip_bytes(text));
  write_file(dir_.file("c.xz"), xz_bytes(text));
  write_file(dir_.file("c.zst"), zstd_bytes(text));
  std::vector<double> progress;
  PreparedCorpus plain =
      prepare_corpus(path_, {}, {}, [&](double fraction) { progress.push_back(fraction); });
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_EQ(plain.corpus.raw_tokens, 300000u);
  for (const char* name : {"c.gz", "c.xz", "c.zst"}) {
    SCOPED_TRACE(name);
    PreparedCorpus other = prepare_corpus(dir_.file(name), {});
    EXPECT_EQ(words_and_counts(other.vocab), words_and_counts(plain.vocab));
    EXPECT_EQ(other.corpus.ids, plain.corpus.ids);
    EXPECT_EQ(other.corpus.sentence_ends, plain.corpus.sentence_ends);
    EXPECT_EQ(other.corpus.raw_tokens, plain.corpus.raw_tokens);
  }
}

TEST_F(CorpusPrepareTest, EmptyCorpusIsAFormatError) {
  for (std::string_view text : {"", "\n\n", "  \t\r\n \f\v \n"}) {
    write_file(path_, text);
    EXPECT_EQ(error_message([&] { prepare_corpus(path_, {}); }),
              path_ + ": the corpus has no words");
  }
  write_file(dir_.file("empty.xz"), xz_bytes(""));
  EXPECT_EQ(error_message([&] { prepare_corpus(dir_.file("empty.xz"), {}); }),
            dir_.file("empty.xz") + ": the corpus has no words");
  EXPECT_THROW(prepare_corpus(path_, {}), FormatError);
}

TEST_F(CorpusPrepareTest, EveryWordBelowMinCountIsAFormatError) {
  EXPECT_EQ(error_message([&] { prepare_corpus(path_, {.min_count = 5}); }),
            path_ +
                ": no word occurs at least 5 times (min_count); 5 distinct words, the most "
                "frequent occurs 4 times");
  EXPECT_THROW(prepare_corpus(path_, {.min_count = 5}), FormatError);
}

TEST_F(CorpusPrepareTest, BinaryJunkAndMissingFilesAreErrors) {
  write_file(path_, std::string("fine text\nstill fine\n\x7f"
                                "ELF\x02\x01\x01\0\0\0",
                                32));
  EXPECT_EQ(error_message([&] { prepare_corpus(path_, {.min_count = 1}); }),
            path_ + ":3: not UTF-8 text (binary file?)");
  write_file(path_, "fine\n\n\nLatin-1 caf\xe9\n");
  EXPECT_EQ(error_message([&] { prepare_corpus(path_, {.min_count = 1}); }),
            path_ + ":4: not UTF-8 text (binary file?)");
  EXPECT_EQ(error_message([&] { prepare_corpus(dir_.file("missing.txt"), {}); }),
            "cannot open '" + dir_.file("missing.txt") + "': No such file or directory");
  EXPECT_THROW(prepare_corpus(dir_.file("missing.txt"), {}), IoError);
}

TEST(CorpusPrepareSharedTest, SmallWikipediaCorpus) {
  const std::string path = std::string(EMBKIT_SHARED_DIR) + "/data/corpus/small.txt.xz";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared corpus not present";
  PreparedCorpus prepared = prepare_corpus(path, {.min_count = 5});
  // Counted independently with Python's str.split().
  EXPECT_EQ(prepared.corpus.raw_tokens, 993007u);
  EXPECT_EQ(prepared.vocab.size(), 14362u);
  EXPECT_EQ(prepared.vocab.word(0), "the");
  EXPECT_EQ(prepared.vocab.count(0), 63552u);
  EXPECT_EQ(prepared.vocab.word(1), "of");
  EXPECT_EQ(prepared.vocab.count(1), 32477u);
  EXPECT_EQ(prepared.vocab.word(2), "and");
  EXPECT_EQ(prepared.vocab.count(2), 28647u);
  uint64_t kept = 0;
  for (size_t id = 0; id < prepared.vocab.size(); ++id) kept += prepared.vocab.count(id);
  EXPECT_EQ(prepared.corpus.ids.size(), kept);
  EXPECT_EQ(prepared.corpus.sentence_ends.back(), kept);
}

}  // namespace
}  // namespace embkit::testing
