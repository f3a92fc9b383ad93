// word2vec binary format: byte-exact layout of the original C tool, round trips, the
// missing-newline variant gensim accepts, --limit, compressed input and bad input.
#include <gtest/gtest.h>

#include "io/word2vec_binary.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::float_bytes;
using testing::load_error;
using testing::TempDir;
using testing::write_file;

LoadOptions bin_options(size_t limit = 0) {
  LoadOptions options;
  options.format = Format::Bin;
  options.limit = limit;
  return options;
}

// What word2vec.c writes for two words of dimension 3: fprintf("%lld %lld\n"), then per word
// fprintf("%s "), fwrite of the floats, fprintf("\n").
std::string c_tool_bytes() {
  return "2 3\n" + std::string("king ") + float_bytes({0.5f, -1.0f, 3.25f}) + "\n" +
         std::string("東京 ") + float_bytes({1e-20f, 0.0f, -7.0f}) + "\n";
}

TEST(IoWord2vecBinary, WritesTheCToolsBytesExactly) {
  TempDir dir;
  std::string path = dir.file("model.bin");
  save(testing::model_of({{"king", {0.5f, -1.0f, 3.25f}}, {"東京", {1e-20f, 0.0f, -7.0f}}}), path);
  EXPECT_EQ(testing::read_file(path), c_tool_bytes());
}

TEST(IoWord2vecBinary, ReadsTheCToolsBytes) {
  TempDir dir;
  std::string path = dir.file("c.bin");
  write_file(path, c_tool_bytes());
  KeyedVectors kv = load(path);
  ASSERT_EQ(kv.size(), 2u);
  EXPECT_EQ(kv.vocab().word(1), "東京");
  EXPECT_EQ(kv.vectors().row(0)[2], 3.25f);
  EXPECT_EQ(kv.vectors().row(1)[0], 1e-20f);
}

TEST(IoWord2vecBinary, ToleratesMissingNewlineAfterFloats) {
  TempDir dir;
  std::string path = dir.file("nonl.bin");
  write_file(path, "2 2\na " + float_bytes({1, 2}) + "b " + float_bytes({3, 4}));
  KeyedVectors kv = load(path, bin_options());
  ASSERT_EQ(kv.size(), 2u);
  EXPECT_EQ(kv.vocab().word(1), "b");
  EXPECT_EQ(kv.vectors().row(1)[1], 4.0f);
}

TEST(IoWord2vecBinary, RoundTripsBitExactly) {
  TempDir dir;
  KeyedVectors model = testing::random_model(300, 23, 7);
  std::string path = dir.file("rt.bin");
  save(model, path);
  testing::expect_same_vectors(model, load(path));
}

TEST(IoWord2vecBinary, LimitReadsOnlyTheFirstRecords) {
  TempDir dir;
  std::string path = dir.file("limit.bin");
  // A broken third record is never reached.
  write_file(path, "3 2\na " + float_bytes({1, 2}) + "\nb " + float_bytes({3, 4}) + "\nc \x01");
  KeyedVectors kv = load(path, bin_options(2));
  ASSERT_EQ(kv.size(), 2u);
  EXPECT_EQ(kv.vectors().row(1)[0], 3.0f);
}

TEST(IoWord2vecBinaryErrors, EmptyFile) {
  TempDir dir;
  std::string path = dir.file("empty.bin");
  write_file(path, "");
  EXPECT_EQ(load_error(path, bin_options()), path + ": file is empty");
}

TEST(IoWord2vecBinaryErrors, TruncatedInsideTheFloats) {
  TempDir dir;
  std::string path = dir.file("cut.bin");
  write_file(path, "2 2\na " + float_bytes({1, 2}) + "\nb " + float_bytes({3}));
  EXPECT_EQ(load_error(path, bin_options()),
            path +
                ": vector 2 ('b') at byte 15: needs 8 bytes of floats but only 4 remain "
                "(truncated file?)");
}

TEST(IoWord2vecBinaryErrors, HeaderDeclaresMoreRows) {
  TempDir dir;
  std::string path = dir.file("fewer.bin");
  write_file(path, "3 1\na " + float_bytes({1}) + "\nb " + float_bytes({2}) + "\n");
  EXPECT_EQ(load_error(path, bin_options()),
            path +
                ": vector 3 at byte 18: file ends after 2 vectors but the header declares 3 "
                "(truncated file?)");
}

TEST(IoWord2vecBinaryErrors, HeaderDeclaresFewerRows) {
  TempDir dir;
  std::string path = dir.file("more.bin");
  write_file(path, "1 1\na " + float_bytes({1}) + "\nb " + float_bytes({2}) + "\n");
  EXPECT_EQ(load_error(path, bin_options()),
            path + ": more data after the 1 vectors the header declares (at byte 11)");
}

TEST(IoWord2vecBinaryErrors, HeaderLiesAboutDimension) {
  TempDir dir;
  std::string path = dir.file("dim.bin");
  // Written with D = 2 but the header says 1: the second "word" starts inside the floats.
  write_file(path, "2 1\nab " + float_bytes({1.5f, 0.75f}) + "\ncd " + float_bytes({3, 4}) + "\n");
  EXPECT_EQ(load_error(path, bin_options()),
            path +
                ": vector 2 at byte 11: '\\x00\\x00@?\\x0acd' is not a word (invalid UTF-8 or "
                "control characters; does the header's dimension 1 match the file?)");
}

TEST(IoWord2vecBinaryErrors, HugeDimensionDoesNotAllocate) {
  TempDir dir;
  std::string path = dir.file("hugedim.bin");
  write_file(path, "1 100000000000\na " + float_bytes({1}));
  EXPECT_EQ(load_error(path, bin_options()),
            path + ": vector 1 at byte 15: a record needs at least 400000000002 bytes (a word, a "
                   "space and 400000000000 bytes of floats) but the file has only 6 bytes after "
                   "the header (truncated file?)");
}

// The record must fit a word, a space and the floats: a file with exactly the bytes of the floats
// is short by two, and the message counts them all.
TEST(IoWord2vecBinaryErrors, ShortRecordCountsTheWordAndSpace) {
  TempDir dir;
  std::string path = dir.file("short.bin");
  write_file(path, "1 12\n" + float_bytes({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(load_error(path, bin_options()),
            path + ": vector 1 at byte 5: a record needs at least 50 bytes (a word, a space and 48 "
                   "bytes of floats) but the file has only 48 bytes after the header (truncated "
                   "file?)");
}

TEST(IoWord2vecBinaryErrors, NonFiniteValue) {
  TempDir dir;
  std::string path = dir.file("nan.bin");
  write_file(path, "1 2\na " + float_bytes({1, std::nanf("")}) + "\n");
  EXPECT_EQ(load_error(path, bin_options()),
            path + ": vector 1 ('a') at byte 4: value 2 is not finite (nan)");
}

TEST(IoWord2vecBinaryErrors, DuplicateWord) {
  TempDir dir;
  std::string path = dir.file("dup.bin");
  write_file(path, "2 1\na " + float_bytes({1}) + "\na " + float_bytes({2}) + "\n");
  EXPECT_EQ(load_error(path, bin_options()),
            path + ": vector 2 ('a') at byte 11: duplicate word (first was vector 1)");
}

TEST(IoWord2vecBinaryErrors, InvalidUtf8Word) {
  TempDir dir;
  std::string path = dir.file("utf8.bin");
  write_file(path, "1 1\n\xc3\x28 " + float_bytes({1}) + "\n");
  EXPECT_EQ(load_error(path, bin_options()),
            path +
                ": vector 1 at byte 4: '\\xc3(' is not a word (invalid UTF-8 or control "
                "characters; does the header's dimension 1 match the file?)");
}

TEST(IoWord2vecBinaryErrors, BadHeader) {
  TempDir dir;
  std::string path = dir.file("header.bin");
  write_file(path, "\x02\x03\x04 junk\n");
  EXPECT_EQ(load_error(path, bin_options()),
            path +
                ":1: expected a header 'N D' (vector count and dimension), found "
                "'\\x02\\x03\\x04 junk'");
}

}  // namespace
}  // namespace embkit
