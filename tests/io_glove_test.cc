// GloVe text format (no header): parsing, dimension from the first line, round trips, --limit,
// errors.
#include <gtest/gtest.h>

#include "io/glove_text.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::load_error;
using testing::TempDir;
using testing::write_file;

TEST(IoGlove, ParsesLinesWithoutHeader) {
  TempDir dir;
  std::string path = dir.file("glove.6B.3d.txt");
  write_file(path, "the 0.418 0.24968 -0.41242\n, 0.013441 0.23682 -0.16899\nдом 1 2 3\n");
  KeyedVectors kv = load(path);
  ASSERT_EQ(kv.size(), 3u);
  ASSERT_EQ(kv.dim(), 3u);
  EXPECT_EQ(kv.vocab().word(1), ",");
  EXPECT_EQ(kv.vectors().row(0)[2], -0.41242f);
  EXPECT_EQ(kv.index("дом"), 2u);
}

TEST(IoGlove, RoundTripsBitExactly) {
  TempDir dir;
  KeyedVectors model = testing::random_model(400, 19, 3);
  std::string path = dir.file("model.txt");
  SaveOptions save_options;
  save_options.format = Format::Glove;
  save(model, path, save_options);
  EXPECT_EQ(detect_format(path), Format::Glove);
  testing::expect_same_vectors(model, load(path));
}

TEST(IoGlove, LimitStopsAfterNLines) {
  TempDir dir;
  std::string path = dir.file("limit.glove");
  write_file(path, "a 1 2\nb 3 4\nc broken\n");
  LoadOptions options;
  options.limit = 2;
  KeyedVectors kv = load(path, options);
  ASSERT_EQ(kv.size(), 2u);
  EXPECT_EQ(kv.vectors().row(1)[1], 4.0f);
}

TEST(IoGloveErrors, RowOfTheWrongLength) {
  TempDir dir;
  std::string path = dir.file("ragged.txt");
  write_file(path, "a 1 2 3\nb 4 5\n");
  EXPECT_EQ(load_error(path), path + ":2: expected 3 values after word 'b', found 2");
}

TEST(IoGloveErrors, DuplicateWord) {
  TempDir dir;
  std::string path = dir.file("dup.txt");
  write_file(path, "a 1\nb 2\nc 3\nb 4\n");
  EXPECT_EQ(load_error(path), path + ":4: duplicate word 'b' (first on line 2)");
}

TEST(IoGloveErrors, WhitespaceOnlyFile) {
  TempDir dir;
  std::string path = dir.file("blank.txt");
  write_file(path, " \n\n");
  LoadOptions options;
  options.format = Format::Glove;
  EXPECT_EQ(load_error(path, options), path + ": file is empty");
}

TEST(IoGloveErrors, FirstLineWithoutValues) {
  TempDir dir;
  std::string path = dir.file("novalues.txt");
  write_file(path, "lonely\nb 1\n");
  LoadOptions options;
  options.format = Format::Glove;
  EXPECT_EQ(load_error(path, options), path + ":1: expected 'word v1 ... vD', found 'lonely'");
}

}  // namespace
}  // namespace embkit
