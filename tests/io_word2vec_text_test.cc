// word2vec / fastText text format: parsing, bit-exact round trips, --limit, parallel parsing,
// compressed input, and one test per kind of bad input (each asserting the exact message).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>

#include "core/decompress.h"
#include "corpus_test_util.h"
#include "io/word2vec_text.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::error_message;
using testing::load_error;
using testing::random_model;
using testing::TempDir;
using testing::write_file;

LoadOptions vec_options(size_t limit = 0, int threads = 0) {
  LoadOptions options;
  options.format = Format::Vec;
  options.limit = limit;
  options.threads = threads;
  return options;
}

TEST(IoWord2vecText, ParsesHeaderWordsAndValues) {
  TempDir dir;
  std::string path = dir.file("small.vec");
  write_file(path, "3 2\nthe 0.5 -1.25\ncafé 1e-3 2\n東京 -0 3.5e+2\n");
  KeyedVectors kv = load(path, vec_options());
  ASSERT_EQ(kv.size(), 3u);
  ASSERT_EQ(kv.dim(), 2u);
  EXPECT_EQ(kv.vocab().word(1), "café");
  EXPECT_EQ(kv.index("東京"), 2u);
  EXPECT_EQ(kv.vectors().row(0)[1], -1.25f);
  EXPECT_EQ(kv.vectors().row(1)[0], 0.001f);
  EXPECT_TRUE(std::signbit(kv.vectors().row(2)[0]));
  EXPECT_EQ(kv.vectors().row(2)[1], 350.0f);
}

TEST(IoWord2vecText, ToleratesTrailingSpacesAndCrLf) {
  TempDir dir;
  std::string path = dir.file("crlf.vec");
  // word2vec.c writes "%lf " (a space before the newline); Windows tools write \r\n.
  write_file(path, "2 3 \r\na 1.000000 2.000000 3.000000 \r\nb 4 5 6\t\r\n\r\n");
  KeyedVectors kv = load(path, vec_options());
  ASSERT_EQ(kv.size(), 2u);
  EXPECT_EQ(kv.vectors().row(0)[2], 3.0f);
  EXPECT_EQ(kv.vectors().row(1)[0], 4.0f);
}

TEST(IoWord2vecText, RoundTripsBitExactly) {
  TempDir dir;
  KeyedVectors model = random_model(500, 37, 11);
  std::string path = dir.file("model.vec");
  save(model, path);
  KeyedVectors back = load(path);
  testing::expect_same_vectors(model, back);
  EXPECT_EQ(testing::read_file(path).substr(0, 7), "500 37\n");
}

TEST(IoWord2vecText, ParallelParseMatchesSingleThread) {
  TempDir dir;
  // Big enough to be split into many chunks.
  KeyedVectors model = random_model(20000, 50, 5);
  std::string path = dir.file("big.vec");
  save(model, path);
  KeyedVectors one = load(path, vec_options(0, 1));
  KeyedVectors two = load(path, vec_options(0, 2));
  KeyedVectors many = load(path, vec_options(0, 7));
  testing::expect_same_vectors(model, one);
  testing::expect_same_vectors(model, two);
  testing::expect_same_vectors(model, many);
}

TEST(IoWord2vecText, LimitReadsOnlyTheFirstRows) {
  TempDir dir;
  std::string path = dir.file("limit.vec");
  // The line after the limit is broken: it must never be parsed.
  write_file(path, "4 2\na 1 2\nb 3 4\nc oops\nd 7 8\n");
  KeyedVectors kv = load(path, vec_options(2));
  ASSERT_EQ(kv.size(), 2u);
  EXPECT_EQ(kv.vocab().word(1), "b");
  EXPECT_EQ(kv.vectors().row(1)[1], 4.0f);
  EXPECT_EQ(load_error(path, vec_options(3)),
            path + ":4: 'oops' is not a number (value 1 of word 'c')");
}

TEST(IoWord2vecText, ZeroRowsIsValid) {
  TempDir dir;
  std::string path = dir.file("empty_model.vec");
  write_file(path, "0 5\n");
  KeyedVectors kv = load(path, vec_options());
  EXPECT_EQ(kv.size(), 0u);
  EXPECT_EQ(kv.dim(), 5u);
}

TEST(IoWord2vecText, SaveWritesShortestRoundTripFloats) {
  TempDir dir;
  std::string path = dir.file("short.vec");
  save(testing::model_of({{"a", {0.1f, -2.0f, 1e-7f}}, {"b", {3.0e20f, 0.0f, 123.456f}}}), path);
  EXPECT_EQ(testing::read_file(path), "2 3\na 0.1 -2 1e-07\nb 3e+20 0 123.456\n");
}

// ---- bad input: one test per case, each checking file name, line and what is wrong ----

TEST(IoWord2vecTextErrors, EmptyFile) {
  TempDir dir;
  std::string path = dir.file("empty.vec");
  write_file(path, "");
  EXPECT_EQ(load_error(path, vec_options()), path + ": file is empty");
  EXPECT_EQ(load_error(path), path + ": file is empty");
}

TEST(IoWord2vecTextErrors, TruncatedFile) {
  TempDir dir;
  std::string path = dir.file("truncated.vec");
  write_file(path, "3 2\na 1 2\nb 3 4\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":4: file ends after 2 vectors but the header declares 3 (truncated file?)");
}

TEST(IoWord2vecTextErrors, TruncatedInsideALine) {
  TempDir dir;
  std::string path = dir.file("cut.vec");
  write_file(path, "2 3\na 1 2 3\nb 4 5");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":3: expected 3 values after word 'b', found 2");
}

TEST(IoWord2vecTextErrors, HeaderDeclaresFewerRowsThanPresent) {
  TempDir dir;
  std::string path = dir.file("more.vec");
  write_file(path, "2 2\na 1 2\nb 3 4\nc 5 6\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":4: more vectors than the 2 the header declares");
}

TEST(IoWord2vecTextErrors, HeaderLiesAboutDimension) {
  TempDir dir;
  std::string path = dir.file("dim.vec");
  write_file(path, "2 4\na 1 2 3\nb 4 5 6\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":2: expected 4 values after word 'a', found 3");
}

TEST(IoWord2vecTextErrors, HugeDimensionInHeaderDoesNotAllocate) {
  TempDir dir;
  std::string path = dir.file("hugedim.vec");
  write_file(path, "2 100000000000\na 1 2\nb 3 4\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":2: expected 100000000000 values after word 'a', found 2");
}

TEST(IoWord2vecTextErrors, BadHeader) {
  TempDir dir;
  std::string path = dir.file("header.vec");
  write_file(path, "two 2\na 1 2\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":1: expected a header 'N D' (vector count and dimension), found 'two 2'");
}

TEST(IoWord2vecTextErrors, NonNumericValue) {
  TempDir dir;
  std::string path = dir.file("nonnumeric.vec");
  write_file(path, "2 3\na 1 2 3\nb 4 x5 6\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":3: 'x5' is not a number (value 2 of word 'b')");
}

TEST(IoWord2vecTextErrors, NumberWithTrailingGarbage) {
  TempDir dir;
  std::string path = dir.file("garbage.vec");
  write_file(path, "1 2\na 1.5abc 2\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":2: '1.5abc' is not a number (value 1 of word 'a')");
}

TEST(IoWord2vecTextErrors, NaNIsRejected) {
  TempDir dir;
  std::string path = dir.file("nan.vec");
  write_file(path, "2 2\na 1 2\nb nan 4\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":3: value 1 of word 'b' is not finite ('nan')");
}

TEST(IoWord2vecTextErrors, InfinityIsRejected) {
  TempDir dir;
  std::string path = dir.file("inf.vec");
  write_file(path, "2 2\na 1 -inf\nb 3 4\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":2: value 2 of word 'a' is not finite ('-inf')");
}

TEST(IoWord2vecTextErrors, OverflowToInfinityIsRejected) {
  TempDir dir;
  std::string path = dir.file("overflow.vec");
  write_file(path, "1 2\na 1e39 2\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":2: value 1 of word 'a' is not finite ('1e39')");
}

TEST(IoWord2vecTextErrors, DuplicateWord) {
  TempDir dir;
  std::string path = dir.file("dup.vec");
  write_file(path, "3 1\nthe 1\ncat 2\nthe 3\n");
  EXPECT_EQ(load_error(path, vec_options()), path + ":4: duplicate word 'the' (first on line 2)");
}

TEST(IoWord2vecTextErrors, RowTooLong) {
  TempDir dir;
  std::string path = dir.file("long.vec");
  write_file(path, "2 2\na 1 2\nb 3 4 5 6\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":3: expected 2 values after word 'b', found 4");
}

TEST(IoWord2vecTextErrors, RowTooShort) {
  TempDir dir;
  std::string path = dir.file("short.vec");
  write_file(path, "2 2\na 1 2\nb 3\n");
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":3: expected 2 values after word 'b', found 1");
}

TEST(IoWord2vecTextErrors, InvalidUtf8Word) {
  TempDir dir;
  std::string path = dir.file("utf8.vec");
  write_file(path, "2 1\nok 1\nbad\xff\xfe 2\n");
  EXPECT_EQ(load_error(path, vec_options()), path + ":3: word 'bad\\xff\\xfe' is not valid UTF-8");
}

TEST(IoWord2vecTextErrors, EmptyLineInTheMiddle) {
  TempDir dir;
  std::string path = dir.file("blank.vec");
  write_file(path, "3 1\na 1\n\nb 2\n");
  EXPECT_EQ(load_error(path, vec_options()), path + ":3: empty line");
}

TEST(IoWord2vecTextErrors, BinaryJunk) {
  TempDir dir;
  std::string path = dir.file("junk.vec");
  std::string junk;
  std::mt19937 rng(3);
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>(rng() % 256));
  junk[0] = '\x01';  // not a gzip/xz/zstd/npy magic
  write_file(path, junk);
  std::string message = load_error(path);
  EXPECT_EQ(message, path +
                         ": not a recognised embedding file (expected word2vec text or binary, "
                         "GloVe text, .npy or embkit native)");
  EXPECT_EQ(load_error(path, vec_options()).rfind(path + ":1: expected a header 'N D'", 0), 0u);
}

TEST(IoWord2vecTextErrors, HugeLineIsLinear) {
  TempDir dir;
  std::string path = dir.file("hugeline.vec");
  // One 20 MB line (a long run of values): must be parsed or rejected in about linear time.
  std::string text = "1 3\nword";
  for (int i = 0; i < 4'000'000; ++i) text += " 1.25";
  text += "\n";
  write_file(path, text);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(load_error(path, vec_options()),
            path + ":2: expected 3 values after word 'word', found 4000000");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0);
  // And a huge word: the message quotes only its start.
  std::string long_word(10'000'000, 'x');
  write_file(path, "1 1\n" + long_word + " nope\n");
  EXPECT_EQ(
      load_error(path, vec_options()),
      path + ":2: 'nope' is not a number (value 1 of word '" + std::string(40, 'x') +
                "\u2026(10000000 bytes)')");
}

TEST(IoWord2vecTextErrors, ErrorInLaterChunkNamesTheRightLine) {
  TempDir dir;
  std::string path = dir.file("late.vec");
  std::string text = "100000 2\n";
  for (int i = 0; i < 100000; ++i)
    text += "w" + std::to_string(i) + (i == 87654 ? " 1 zz\n" : " 1 2\n");
  write_file(path, text);
  EXPECT_EQ(load_error(path, vec_options(0, 2)),
            path + ":87656: 'zz' is not a number (value 2 of word 'w87654')");
}

TEST(IoWord2vecTextErrors, SaveRejectsWordsWithSpaces) {
  TempDir dir;
  std::string path = dir.file("space.vec");
  std::string message = error_message([&] {
    save(testing::model_of({{"new york", {1.0f}}}), path);
  });
  EXPECT_EQ(message, "cannot write '" + path +
                         "': word 'new york' contains whitespace and cannot be written as text");
  EXPECT_TRUE(dir.listing().empty()) << "no partial or temporary file may remain";
}

TEST(IoWord2vecText, ByteOrderMarkIsDropped) {
  TempDir dir;
  std::string path = dir.file("bom.vec");
  write_file(path, "\xef\xbb\xbf" "2 1\nhi 1\nyo 2\n");
  KeyedVectors model = load(path);  // detected as vec despite the mark
  EXPECT_EQ(model.vocab().word(0), "hi");
  EXPECT_EQ(model.vocab().find("hi"), 0u);
}

TEST(IoWord2vecText, FifoIsDetectedAndReadOnce) {
  TempDir dir;
  std::string fifo = dir.file("model.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { write_file(fifo, "2 1\nhi 1\nyo 2\n"); });
  LoadDetails details;
  KeyedVectors model = load(fifo, {}, details);
  writer.join();
  EXPECT_EQ(details.format, Format::Vec);
  EXPECT_EQ(details.file_bytes, 14u);
  ASSERT_EQ(model.size(), 2u);
  EXPECT_EQ(model.vocab().word(1), "yo");
}

// A few kilobytes of gzip that inflate past the decompression limit fail with one line instead of
// taking the memory (the limit is lowered here; by default it is half the memory).
TEST(IoWord2vecTextErrors, CompressionBombHitsTheLimit) {
  TempDir dir;
  std::string path = dir.file("bomb.vec.gz");
  write_file(path, testing::gzip_bytes("1 1\nw " + std::string(8 << 20, '0') + "\n"));
  const size_t saved = decompressed_size_limit();
  decompressed_size_limit() = 1 << 20;
  std::string message = load_error(path);
  decompressed_size_limit() = saved;
  EXPECT_EQ(message, path + ": decompresses to more than 1 MiB (the limit is half the memory); "
                            "decompress it to a file and read that");
}

}  // namespace
}  // namespace embkit
