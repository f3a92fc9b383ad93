// Format detection from content (extension only as a tie-breaker), format names, and transparent
// reading of gzip / xz / zstd compressed text and binary models.
#include <gtest/gtest.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "io/detect.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::float_bytes;
using testing::load_error;
using testing::TempDir;
using testing::write_file;

std::string gzip_bytes(const std::string& data) {
  z_stream stream{};
  deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string xz_bytes(const std::string& data) {
  std::string out(data.size() + 1024, '\0');
  size_t written = 0;
  lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                          reinterpret_cast<const uint8_t*>(data.data()), data.size(),
                          reinterpret_cast<uint8_t*>(out.data()), &written, out.size());
  out.resize(written);
  return out;
}

std::string zstd_bytes(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

const std::string kVecText = "2 3\nalpha 0.1 0.2 0.3\nбета -1 -2 -3\n";

std::string bin_bytes() {
  return "2 3\nalpha " + float_bytes({0.1f, 0.2f, 0.3f}) + "\nбета " + float_bytes({-1, -2, -3}) +
         "\n";
}

TEST(IoDetect, RecognisesEveryFormatByContent) {
  TempDir dir;
  KeyedVectors model = testing::random_model(20, 5, 8);
  // Deliberately misleading names: content decides.
  struct Case {
    Format written;
    std::string name;
  } cases[] = {{Format::Native, "a.data"},
               {Format::Vec, "b.data"},
               {Format::Glove, "c.data"},
               {Format::Bin, "d.data"},
               {Format::Npy, "e.data"}};
  for (const Case& c : cases) {
    SaveOptions options;
    options.format = c.written;
    options.labels_path = dir.file("labels.txt");
    save(model, dir.file(c.name), options);
    EXPECT_EQ(detect_format(dir.file(c.name)), c.written) << format_name(c.written);
  }
}

TEST(IoDetect, BinaryVersusTextAfterTheHeader) {
  EXPECT_EQ(detect_format_of(kVecText, "x.bin"), Format::Vec);
  EXPECT_EQ(detect_format_of(bin_bytes(), "x.vec"), Format::Bin);
  // All-zero floats are bytes outside the number alphabet too.
  EXPECT_EQ(detect_format_of("1 2\nw " + float_bytes({0, 0}) + "\n", "x"), Format::Bin);
}

TEST(IoDetect, ExtensionBreaksTiesOnly) {
  // "0000" as a float is 2.5e-9 and its bytes are all digits: content cannot tell, the name can.
  std::string ambiguous = "1 1\nw 0000\n";
  EXPECT_EQ(detect_format_of(ambiguous, "model.vec"), Format::Vec);
  EXPECT_EQ(detect_format_of(ambiguous, "model.bin"), Format::Bin);
  EXPECT_EQ(detect_format_of(ambiguous, "model.bin.gz"), Format::Bin);
  // A dimension-2 binary record whose float bytes happen to be digits does not read as text.
  EXPECT_EQ(detect_format_of("1 2\nw 00000000\n", "model.bin"), Format::Bin);
  EXPECT_EQ(detect_format_of("1 2\nw 00000000\n", "model.txt"), Format::Vec);
}

TEST(IoDetect, GloveHasNoHeader) {
  EXPECT_EQ(detect_format_of("the 0.1 0.2\n", "x"), Format::Glove);
  EXPECT_EQ(detect_format_of("the -1e-5 NaN 3\n", "x"), Format::Glove);
}

TEST(IoDetect, UnknownContentIsAnError) {
  TempDir dir;
  std::string path = dir.file("readme.md");
  write_file(path, "# Title\nsome prose here\n");
  EXPECT_EQ(load_error(path), path +
                                  ": not a recognised embedding file (expected word2vec text or "
                                  "binary, GloVe text, .npy or embkit native)");
}

TEST(IoDetect, MissingFileIsAnIoError) {
  TempDir dir;
  std::string path = dir.file("absent.vec");
  EXPECT_THROW(detect_format(path), IoError);
  EXPECT_EQ(load_error(path), "cannot open '" + path + "': No such file or directory");
}

TEST(IoDetect, FormatNamesAndAliases) {
  EXPECT_EQ(parse_format("word2vec"), Format::Vec);
  EXPECT_EQ(parse_format("fasttext"), Format::Vec);
  EXPECT_EQ(parse_format("safetensors"), Format::Native);
  EXPECT_EQ(parse_format("emb"), Format::Native);
  EXPECT_EQ(parse_format("bin"), Format::Bin);
  EXPECT_EQ(format_name(Format::Glove), "glove");
  EXPECT_THROW(parse_format("pickle"), UsageError);
  EXPECT_EQ(format_for_output("a/b.bin"), Format::Bin);
  EXPECT_EQ(format_for_output("b.txt"), Format::Vec);
  EXPECT_EQ(format_for_output("b.vec"), Format::Vec);
  EXPECT_EQ(format_for_output("b.npy"), Format::Npy);
  EXPECT_EQ(format_for_output("b.emb"), Format::Native);
  EXPECT_EQ(format_for_output("b.unknown"), Format::Native);
}

TEST(IoCompressed, ReadsGzipXzAndZstdTextAndBinary) {
  TempDir dir;
  for (const std::string& raw : {kVecText, bin_bytes()}) {
    for (auto [name, packed] :
         {std::pair{"m.gz", gzip_bytes(raw)}, std::pair{"m.xz", xz_bytes(raw)},
          std::pair{"m.zst", zstd_bytes(raw)}}) {
      std::string path = dir.file(name);
      write_file(path, packed);
      KeyedVectors kv = load(path);
      ASSERT_EQ(kv.size(), 2u) << name;
      EXPECT_EQ(kv.vocab().word(1), "бета");
      EXPECT_EQ(kv.vectors().row(0)[1], 0.2f);
      EXPECT_EQ(kv.vectors().row(1)[2], -3.0f);
    }
  }
}

TEST(IoCompressed, MultiMemberGzip) {
  TempDir dir;
  std::string path = dir.file("cat.vec.gz");
  write_file(path, gzip_bytes("2 1\na 1\n") + gzip_bytes("b 2\n"));
  KeyedVectors kv = load(path);
  ASSERT_EQ(kv.size(), 2u);
  EXPECT_EQ(kv.vectors().row(1)[0], 2.0f);
}

TEST(IoCompressed, LimitAndErrorsKeepLineNumbers) {
  TempDir dir;
  std::string path = dir.file("bad.vec.gz");
  write_file(path, gzip_bytes("3 1\na 1\nb 2\nc zz\n"));
  LoadOptions options;
  options.limit = 2;
  EXPECT_EQ(load(path, options).size(), 2u);
  EXPECT_EQ(load_error(path), path + ":4: 'zz' is not a number (value 1 of word 'c')");
}

TEST(IoCompressedErrors, TruncatedStreams) {
  TempDir dir;
  std::string text = "2 3\n";
  for (int i = 0; i < 2000; ++i) text += "w" + std::to_string(i) + " 1 2 3\n";
  for (auto [name, kind, packed] :
       {std::tuple{"t.gz", "gzip", gzip_bytes(text)}, std::tuple{"t.xz", "xz", xz_bytes(text)},
        std::tuple{"t.zst", "zstd", zstd_bytes(text)}}) {
    std::string path = dir.file(name);
    write_file(path, packed.substr(0, packed.size() / 2));
    EXPECT_EQ(load_error(path),
              path + ": " + kind + " data is truncated (unexpected end of compressed stream)");
  }
}

TEST(IoCompressedErrors, CorruptGzip) {
  TempDir dir;
  std::string path = dir.file("corrupt.gz");
  std::string packed = gzip_bytes(kVecText);
  packed[12] ^= 0x55;
  write_file(path, packed);
  std::string message = load_error(path);
  EXPECT_EQ(message.rfind(path + ": corrupt gzip data: ", 0), 0u) << message;
}

}  // namespace
}  // namespace embkit
