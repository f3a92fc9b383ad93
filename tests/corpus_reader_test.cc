// CorpusReader: tokens and sentences of hand-written text, cutting long lines, the lowercase
// option, long tokens, gzip / xz / zstd equal to plain text, and the errors (missing file, binary
// junk, corrupt or truncated compressed data), plus a 200 MB line that must be streamed.
#include <sys/resource.h>

#include <fstream>
#include <random>

#include "corpus_test_util.h"
#include "embkit/error.h"

namespace embkit::testing {
namespace {

using Tokens = std::vector<std::string>;

TEST(CorpusReaderTest, SplitsHandWrittenTextIntoSentencesOfTokens) {
  TempDir dir;
  const std::string path = dir.file("text.txt");
  write_file(path, "the quick  brown\tfox\r\n\n \t\njumps\vover\fthe\n  lazy dog");
  CorpusReader reader(path);
  std::vector<std::string_view> tokens;
  ASSERT_TRUE(reader.next(tokens));
  EXPECT_EQ(Tokens(tokens.begin(), tokens.end()), (Tokens{"the", "quick", "brown", "fox"}));
  EXPECT_EQ(reader.line(), 1u);
  ASSERT_TRUE(reader.next(tokens));
  EXPECT_EQ(Tokens(tokens.begin(), tokens.end()), (Tokens{"jumps", "over", "the"}));
  EXPECT_EQ(reader.line(), 4u);
  ASSERT_TRUE(reader.next(tokens));
  EXPECT_EQ(Tokens(tokens.begin(), tokens.end()), (Tokens{"lazy", "dog"}));
  EXPECT_EQ(reader.line(), 5u);
  EXPECT_FALSE(reader.next(tokens));
  EXPECT_TRUE(tokens.empty());
  EXPECT_FALSE(reader.next(tokens));
  EXPECT_EQ(reader.file_bytes(), 51u);
  EXPECT_EQ(reader.bytes_consumed(), 51u);
}

TEST(CorpusReaderTest, CutsLinesLongerThanMaxSentenceTokens) {
  TempDir dir;
  const std::string path = dir.file("long.txt");
  std::string text;
  for (int i = 0; i < 25000; ++i) text += "w" + std::to_string(i) + (i % 7 ? " " : "  ");
  text += "\nnext line\n";
  write_file(path, text);
  Sentences sentences = read_sentences(path);
  ASSERT_EQ(sentences.size(), 4u);
  EXPECT_EQ(sentences[0].size(), 10000u);
  EXPECT_EQ(sentences[1].size(), 10000u);
  EXPECT_EQ(sentences[2].size(), 5000u);
  EXPECT_EQ(sentences[0].front(), "w0");
  EXPECT_EQ(sentences[1].front(), "w10000");
  EXPECT_EQ(sentences[2].back(), "w24999");
  EXPECT_EQ(sentences[3], (Tokens{"next", "line"}));

  // A line of exactly max_sentence_tokens tokens gives one sentence, not an empty second one.
  write_file(path, "a b c\nd e f g\nh");
  CorpusOptions options;
  options.max_sentence_tokens = 3;
  EXPECT_EQ(read_sentences(path, options),
            (Sentences{{"a", "b", "c"}, {"d", "e", "f"}, {"g"}, {"h"}}));
  options.max_sentence_tokens = 0;
  EXPECT_EQ(error_message([&] { CorpusReader reader(path, options); }),
            "max_sentence_tokens must be at least 1");
}

TEST(CorpusReaderTest, LowercasesAndSplitsPunctuationOnRequest) {
  TempDir dir;
  const std::string path = dir.file("mixed.txt");
  write_file(path, "Hello, World! Don't STOP...\n\"ÉCOLE\" Ωmega МОСКВА ŁÓDŹ straße (x-ray)\n");
  EXPECT_EQ(read_sentences(path),
            (Sentences{{"Hello,", "World!", "Don't", "STOP..."},
                       {"\"ÉCOLE\"", "Ωmega", "МОСКВА", "ŁÓDŹ", "straße", "(x-ray)"}}));
  CorpusOptions options;
  options.lowercase_and_split_punctuation = true;
  EXPECT_EQ(read_sentences(path, options),
            (Sentences{{"hello", ",", "world", "!", "don", "'", "t", "stop", ".", ".", "."},
                       {"\"", "école", "\"", "ωmega", "москва", "łódź", "straße", "(", "x", "-",
                        "ray", ")"}}));
}

TEST(CorpusReaderTest, KeepsTheFirstThousandBytesOfAVeryLongToken) {
  TempDir dir;
  const std::string path = dir.file("long_token.txt");
  std::string accented;  // "a" then 600 two-byte characters: byte 1000 is inside a character
  accented += "a";
  for (int i = 0; i < 600; ++i) accented += "é";
  write_file(path, std::string(5000, 'x') + " y\n" + accented + " z");
  Sentences sentences = read_sentences(path);
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(sentences[0], (Tokens{std::string(1000, 'x'), "y"}));
  ASSERT_EQ(sentences[1].size(), 2u);
  EXPECT_EQ(sentences[1][0], accented.substr(0, 999));
  EXPECT_EQ(sentences[1][1], "z");

  // 12 MB without whitespace: one token of 1,000 bytes, and the buffers do not grow with it.
  write_file(path, "start " + std::string(12 << 20, 'q') + "\nend");
  CorpusReader reader(path);
  std::vector<std::string_view> tokens;
  ASSERT_TRUE(reader.next(tokens));
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1], std::string(1000, 'q'));
  EXPECT_LT(reader.buffered_bytes(), size_t{8} << 20);
  ASSERT_TRUE(reader.next(tokens));
  EXPECT_EQ(reader.line(), 2u);
  EXPECT_FALSE(reader.next(tokens));
}

// Text of a few MB (several 1 MB reading blocks, so tokens and UTF-8 characters are cut by block
// boundaries), with words of every length, multibyte characters and long lines.
std::string varied_text() {
  std::mt19937 rng(7);
  static const char* const kPieces[] = {"é", "東", "😀", "a", "b", "z", "Q", "-", ".", "0"};
  std::string text;
  while (text.size() < (size_t{3} << 20) + 12345) {
    const size_t length = 1 + rng() % (rng() % 8 == 0 ? 40 : 9);
    for (size_t i = 0; i < length; ++i) text += kPieces[rng() % 10];
    const unsigned separator = rng() % 100;
    text += separator < 80 ? " " : separator < 90 ? "\n" : separator < 95 ? "\t" : " \r\n";
  }
  text += std::string(30000, 'k');  // a long last token without a newline
  return text;
}

TEST(CorpusReaderTest, GzipXzAndZstdReadTheSameSentencesAsPlainText) {
  TempDir dir;
  const std::string text = varied_text();
  const Sentences expected = [&] {
    Sentences sentences = reference_sentences(text);
    sentences.back().back().resize(1000);  // the long last token keeps its first 1,000 bytes
    return sentences;
  }();
  write_file(dir.file("plain.txt"), text);
  write_file(dir.file("text.gz"), gzip_bytes(text));
  write_file(dir.file("text.xz"), xz_bytes(text));
  write_file(dir.file("text.zst"), zstd_bytes(text));
  // Concatenated gzip members and xz streams read as one text, as the command-line tools do.
  const size_t half = text.size() / 2;
  write_file(dir.file("two.gz"), gzip_bytes(text.substr(0, half)) + gzip_bytes(text.substr(half)));
  write_file(dir.file("two.xz"), xz_bytes(text.substr(0, half)) + xz_bytes(text.substr(half)));
  write_file(dir.file("two.zst"), zstd_bytes(text.substr(0, half)) + zstd_bytes(text.substr(half)));
  for (const char* name :
       {"plain.txt", "text.gz", "text.xz", "text.zst", "two.gz", "two.xz", "two.zst"}) {
    SCOPED_TRACE(name);
    Sentences sentences = read_sentences(dir.file(name));
    ASSERT_EQ(sentences.size(), expected.size());
    EXPECT_TRUE(sentences == expected);
  }
  CorpusReader reader(dir.file("text.xz"));
  std::vector<std::string_view> tokens;
  while (reader.next(tokens)) {
  }
  EXPECT_EQ(reader.bytes_consumed(), reader.file_bytes());
}

TEST(CorpusReaderTest, MissingOrUnreadableFileIsAnIoError) {
  TempDir dir;
  EXPECT_EQ(error_message([&] { CorpusReader reader(dir.file("missing.txt")); }),
            "cannot open '" + dir.file("missing.txt") + "': No such file or directory");
  std::filesystem::create_directory(dir.file("folder"));
  EXPECT_EQ(error_message([&] { CorpusReader reader(dir.file("folder")); }),
            "cannot read '" + dir.file("folder") + "': Is a directory");
  EXPECT_THROW(CorpusReader reader(dir.file("missing.txt")), IoError);
}

TEST(CorpusReaderTest, BinaryJunkIsAFormatErrorOnItsLine) {
  TempDir dir;
  const std::string path = dir.file("junk.bin");
  write_file(path, std::string("good words\nmore\nbad\0bytes\n", 26));
  CorpusReader reader(path);
  std::vector<std::string_view> tokens;
  // The sentences before the bad byte still come out, then the error names its line.
  ASSERT_TRUE(reader.next(tokens));
  ASSERT_TRUE(reader.next(tokens));
  EXPECT_EQ(Tokens(tokens.begin(), tokens.end()), (Tokens{"more"}));
  EXPECT_EQ(error_message([&] { reader.next(tokens); }),
            path + ":3: not UTF-8 text (binary file?)");

  for (const std::string& junk :
       {std::string("ok\n\xff\xfe text\n"), std::string("ok\nc\xc3(a\n"),
        std::string("ok\n\xed\xa0\x80 surrogate\n"), std::string("ok\n\xc0\xaf overlong\n"),
        std::string("ok\ncaf\xc3")}) {
    write_file(path, junk);
    EXPECT_EQ(error_message([&] { read_sentences(path); }),
              path + ":2: not UTF-8 text (binary file?)");
    EXPECT_THROW(read_sentences(path), FormatError);
  }
  // Random bytes, as from an executable or an image.
  std::mt19937 rng(3);
  std::string random_bytes(100000, '\0');
  for (char& byte : random_bytes) byte = static_cast<char>(rng());
  write_file(path, random_bytes);
  EXPECT_THROW(read_sentences(path), FormatError);
}

TEST(CorpusReaderTest, CorruptOrTruncatedCompressedDataIsAFormatError) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + " of text\n";
  const std::string path = dir.file("corrupt");
  const std::string gz = gzip_bytes(text), xz = xz_bytes(text), zst = zstd_bytes(text);

  write_file(path, gz.substr(0, gz.size() / 2));
  EXPECT_EQ(error_message([&] { read_sentences(path); }),
            path + ":1: gzip data is truncated (unexpected end of compressed stream)");
  write_file(path, xz.substr(0, xz.size() / 2));
  EXPECT_EQ(error_message([&] { read_sentences(path); }),
            path + ":1: xz data is truncated (unexpected end of compressed stream)");
  write_file(path, zst.substr(0, zst.size() / 2));
  EXPECT_EQ(error_message([&] { read_sentences(path); }),
            path + ":1: zstd data is truncated (unexpected end of compressed stream)");

  std::string damaged = xz;
  for (size_t i = damaged.size() / 3; i < damaged.size() / 3 + 64; ++i) damaged[i] ^= 0x5A;
  write_file(path, damaged);
  EXPECT_EQ(error_message([&] { read_sentences(path); }), path + ":1: corrupt xz data");
  damaged = gz;
  for (size_t i = 20; i < 84; ++i) damaged[i] ^= 0x5A;
  write_file(path, damaged);
  std::string message = error_message([&] { read_sentences(path); });
  EXPECT_TRUE(message.starts_with(path + ":1: corrupt gzip data: ")) << message;
  damaged = zst;
  for (size_t i = 20; i < 84; ++i) damaged[i] ^= 0x5A;
  write_file(path, damaged);
  message = error_message([&] { read_sentences(path); });
  EXPECT_TRUE(message.starts_with(path + ":1: corrupt zstd data: ")) << message;
}

long peak_rss_kilobytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// One test writes 200 MB: a single line of "a " without a newline must be streamed in bounded
// memory and cut into 10,000-token sentences.
TEST(CorpusReaderTest, StreamsA200MegabyteLineWithoutNewline) {
  TempDir dir;
  const std::string path = dir.file("one_line.txt");
  constexpr size_t kRepeats = 100'000'000;  // "a " x 1e8 = 200 MB, 1e8 tokens
  {
    std::string block;
    for (int i = 0; i < (1 << 19); ++i) block += "a ";
    std::ofstream out(path, std::ios::binary);
    for (size_t written = 0; written < kRepeats;) {
      const size_t repeats = std::min<size_t>(kRepeats - written, 1 << 19);
      out.write(block.data(), static_cast<std::streamsize>(2 * repeats));
      written += repeats;
    }
  }
  ASSERT_EQ(std::filesystem::file_size(path), 2 * kRepeats);
  const long rss_before = peak_rss_kilobytes();
  CorpusReader reader(path);
  std::vector<std::string_view> tokens;
  size_t sentences = 0;
  size_t largest_buffer = 0;
  bool all_a = true;
  while (reader.next(tokens)) {
    ++sentences;
    if (tokens.size() != 10000) ADD_FAILURE() << "sentence " << sentences << ": " << tokens.size();
    all_a = all_a && tokens.front() == "a" && tokens.back() == "a";
    largest_buffer = std::max(largest_buffer, reader.buffered_bytes());
  }
  EXPECT_EQ(sentences, kRepeats / 10000);
  EXPECT_TRUE(all_a);
  EXPECT_EQ(reader.line(), 1u);
  EXPECT_LT(largest_buffer, size_t{8} << 20);
  EXPECT_LT(peak_rss_kilobytes() - rss_before, 64 * 1024);
}

// A UTF-8 byte order mark (Windows editors write one) is dropped, not glued to the first word.
TEST(CorpusReaderTest, ByteOrderMarkIsNotPartOfTheFirstWord) {
  TempDir dir;
  write_file(dir.file("bom.txt"), "\xef\xbb\xbfhello world\nbye\n");
  write_file(dir.file("bom.gz"), gzip_bytes("\xef\xbb\xbfhello world\nbye\n"));
  for (const char* name : {"bom.txt", "bom.gz"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(read_sentences(dir.file(name)), (Sentences{{"hello", "world"}, {"bye"}}));
  }
}

}  // namespace
}  // namespace embkit::testing
