// The native (safetensors) format: the exact bytes of a 2-word file (the worked example in
// docs/formats.md), round trips with counts, borrowed constant-time opening, --limit, verification
// and bad input.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include "io/native.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::error_message;
using testing::float_bytes;
using testing::load_error;
using testing::TempDir;
using testing::write_file;

KeyedVectors two_words() {
  Vocab vocab;
  vocab.add("hi", 7);
  vocab.add("né", 3);
  Matrix matrix(2, 3);
  const float values[2][3] = {{1.0f, -0.5f, 2.0f}, {0.25f, 0.0f, -1.0f}};
  for (size_t i = 0; i < 2; ++i) std::copy(values[i], values[i] + 3, matrix.mutable_row(i));
  return KeyedVectors(std::move(vocab), std::move(matrix));
}

std::string u64_bytes(std::initializer_list<uint64_t> values) {
  std::string bytes;
  for (uint64_t v : values) bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  return bytes;
}

TEST(IoNative, WorkedExampleBytes) {
  TempDir dir;
  std::string path = dir.file("two.emb");
  save(two_words(), path);
  std::string bytes = testing::read_file(path);
  std::string json = R"({"vectors":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
                     R"("vocab_bytes":{"dtype":"U8","shape":[8],"data_offsets":[24,32]},)"
                     R"("vocab_offsets":{"dtype":"U64","shape":[3],"data_offsets":[32,56]},)"
                     R"("counts":{"dtype":"U64","shape":[2],"data_offsets":[56,72]},)"
                     R"("__metadata__":{"format":"embkit","version":"1","rows":"2","dim":"3",)"
                     R"("vocab_bytes":"5","has_counts":"true","checksum":"crc32:)";
  ASSERT_GE(bytes.size(), 8u);
  uint64_t header_length;
  std::memcpy(&header_length, bytes.data(), 8);
  EXPECT_EQ((8 + header_length) % 64, 0u);
  EXPECT_EQ(bytes.substr(8, json.size()), json);
  std::string data = float_bytes({1.0f, -0.5f, 2.0f, 0.25f, 0.0f, -1.0f}) + "hin\xc3\xa9" +
                     std::string(3, '\0') + u64_bytes({0, 2, 5}) + u64_bytes({7, 3});
  EXPECT_EQ(bytes.substr(8 + header_length), data);
  EXPECT_EQ(bytes.size(), 8 + header_length + 72);
  // The header is plain JSON padded with spaces, as the safetensors format allows.
  auto header = nlohmann::json::parse(bytes.substr(8, header_length));
  EXPECT_EQ(header["__metadata__"]["checksum"].get<std::string>().size(), 14u);
  std::string padded = bytes.substr(8, header_length);
  size_t last = padded.find_last_not_of(' ');
  EXPECT_EQ(padded.substr(last - 1, 2), "}}") << "the JSON ends, then only spaces follow";
}

TEST(IoNative, RoundTripsWithCounts) {
  TempDir dir;
  KeyedVectors model = testing::random_model(777, 33, 4, /*with_counts=*/true);
  std::string path = dir.file("m.emb");
  save(model, path);
  KeyedVectors back = load(path);
  testing::expect_same_vectors(model, back, /*compare_counts=*/true);
  EXPECT_TRUE(back.vocab().has_counts());
  EXPECT_NO_THROW(verify_native(path));
}

TEST(IoNative, OpensAsBorrowedViewsThatOutliveTheCaller) {
  TempDir dir;
  std::string path = dir.file("b.emb");
  save(two_words(), path);
  KeyedVectors kv = load(path);
  std::filesystem::remove(path);  // the mapping keeps the data alive
  EXPECT_FALSE(kv.vectors().writable());
  EXPECT_EQ(kv.vectors().stride(), 3u);
  EXPECT_EQ(kv.index("né"), 1u);
  EXPECT_EQ(kv.vocab().count(0), 7u);
  EXPECT_EQ(kv.vectors().row(1)[2], -1.0f);
  // Writing goes through a private copy.
  kv.mutable_vectors().mutable_row(0)[0] = 42.0f;
  EXPECT_EQ(kv.vectors().row(0)[0], 42.0f);
}

TEST(IoNative, LimitKeepsTheFirstRows) {
  TempDir dir;
  KeyedVectors model = testing::random_model(50, 4, 2);
  std::string path = dir.file("l.emb");
  save(model, path);
  LoadOptions options;
  options.limit = 5;
  KeyedVectors head = load(path, options);
  ASSERT_EQ(head.size(), 5u);
  EXPECT_EQ(head.vocab().word(4), model.vocab().word(4));
  EXPECT_FALSE(head.vocab().contains(model.vocab().word(5)));
}

TEST(IoNative, OddSizedMatrixKeepsArraysAligned) {
  TempDir dir;
  KeyedVectors model = testing::random_model(3, 3, 1);  // 9 floats = 36 bytes
  std::string path = dir.file("odd.emb");
  save(model, path);
  testing::expect_same_vectors(model, load(path));
  verify_native(path);
}

TEST(IoNative, EmptyModel) {
  TempDir dir;
  std::string path = dir.file("empty.emb");
  save(KeyedVectors(Vocab(), Matrix(0, 4)), path);
  KeyedVectors kv = load(path);
  EXPECT_EQ(kv.size(), 0u);
  EXPECT_EQ(kv.dim(), 4u);
  verify_native(path);
}

class IoNativeErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("model.emb");
    save(two_words(), path_);
    bytes_ = testing::read_file(path_);
    std::memcpy(&header_length_, bytes_.data(), 8);
  }
  size_t data_start() const { return 8 + header_length_; }
  // Rewrites the file with a different JSON header (re-padded to 64 bytes).
  void rewrite_header(const std::string& from, const std::string& to) {
    std::string json = bytes_.substr(8, header_length_);
    size_t at = json.find(from);
    ASSERT_NE(at, std::string::npos);
    json.replace(at, from.size(), to);
    while (json.back() == ' ') json.pop_back();
    json.append((64 - (8 + json.size()) % 64) % 64, ' ');
    uint64_t length = json.size();
    write_file(path_, std::string(reinterpret_cast<const char*>(&length), 8) + json +
                          bytes_.substr(data_start()));
  }

  // Recomputes the crc32 in the header so that only the deliberate damage remains.
  void write_with_fixed_checksum() {
    std::string data = bytes_.substr(data_start());
    auto crc = crc32_z(0, reinterpret_cast<const Bytef*>(data.data()), data.size());
    size_t at = bytes_.find("crc32:") + 6;
    bytes_.replace(at, 8, fmt::format("{:08x}", crc));
    write_file(path_, bytes_);
  }
  std::string verify_error() {
    return error_message([&] { verify_native(path_); });
  }

  TempDir dir_;
  std::string path_;
  std::string bytes_;
  uint64_t header_length_ = 0;
};

TEST_F(IoNativeErrors, Truncated) {
  write_file(path_, bytes_.substr(0, bytes_.size() - 10));
  EXPECT_EQ(load_error(path_),
            path_ +
                ": tensor 'counts': data_offsets [56, 72] lie outside the 62-byte data "
                "section (truncated file?)");
}

TEST_F(IoNativeErrors, TruncatedInsideTheHeader) {
  write_file(path_, bytes_.substr(0, 40));
  LoadOptions options;
  options.format = Format::Native;
  EXPECT_EQ(load_error(path_, options),
            path_ + ": header length " + std::to_string(header_length_) +
                " exceeds the file size 40 (truncated or not a native file)");
}

TEST_F(IoNativeErrors, ChecksumDetectsCorruptionOnVerify) {
  bytes_[data_start() + 5] ^= 0x10;  // flip a bit inside the first vector
  write_file(path_, bytes_);
  EXPECT_NO_THROW(load(path_)) << "opening checks only the header";
  std::string message = error_message([&] { verify_native(path_); });
  EXPECT_EQ(message.rfind(path_ + ": checksum mismatch: header says crc32:", 0), 0u) << message;
  LoadOptions options;
  options.verify = true;
  EXPECT_EQ(load_error(path_, options), message);
}

TEST_F(IoNativeErrors, VerifyFindsNonMonotoneOffsets) {
  bytes_.replace(data_start() + 32, 24, u64_bytes({0, 5, 2}));
  write_with_fixed_checksum();
  EXPECT_EQ(verify_error(),
            path_ + ": vocab_offsets[2] = 2 is out of order or beyond vocab_bytes (8 bytes)");
}

TEST_F(IoNativeErrors, VerifyFindsInvalidUtf8) {
  bytes_[data_start() + 24 + 2] = '\xff';  // "né" becomes "\xffé": invalid UTF-8
  write_with_fixed_checksum();
  EXPECT_EQ(verify_error(), path_ + ": word 2 ('\\xffé') is not valid UTF-8");
}

TEST_F(IoNativeErrors, VerifyFindsDuplicateWords) {
  bytes_.replace(data_start() + 24, 8, std::string("hihi\0\0\0\0", 8));
  bytes_.replace(data_start() + 32, 24, u64_bytes({0, 2, 4}));
  write_with_fixed_checksum();
  EXPECT_EQ(verify_error(), path_ + ": duplicate word 'hi' (words 1 and 2)");
}

TEST_F(IoNativeErrors, VerifyFindsNonFiniteValues) {
  bytes_.replace(data_start() + 4, 4, float_bytes({std::numeric_limits<float>::infinity()}));
  write_with_fixed_checksum();
  EXPECT_EQ(verify_error(), path_ + ": word 1 ('hi'): value 2 is not finite");
}

TEST_F(IoNativeErrors, OffsetBeyondVocabBytes) {
  bytes_.replace(data_start() + 32 + 16, 8, u64_bytes({9}));
  write_file(path_, bytes_);
  EXPECT_EQ(load_error(path_),
            path_ + ": vocab_offsets[2] = 9 is out of order or beyond vocab_bytes (8 bytes)");
}

// One corrupted byte in the middle of vocab_offsets used to fault on the first word lookup (info,
// neighbors, convert); opening checks every offset it hands out, for every storage type.
TEST(IoNativeCorruption, OneByteInTheOffsetsIsAnErrorNotACrash) {
  TempDir dir;
  Vocab vocab;
  Matrix matrix(100, 4);
  for (size_t i = 0; i < 100; ++i) {
    vocab.add("w" + std::to_string(i));
    for (size_t j = 0; j < 4; ++j) matrix.mutable_row(i)[j] = 0.01f * float(i + j);
  }
  KeyedVectors model(std::move(vocab), std::move(matrix));
  for (Dtype dtype : {Dtype::F32, Dtype::F16, Dtype::I8}) {
    std::string path = dir.file(std::string("model_") + std::string(dtype_name(dtype)) + ".emb");
    SaveOptions save_options;
    save_options.dtype = dtype;
    save(model, path, save_options);
    std::string bytes = testing::read_file(path);
    uint64_t header_length;
    std::memcpy(&header_length, bytes.data(), 8);
    auto header = nlohmann::json::parse(bytes.substr(8, header_length));
    size_t offsets_at = 8 + header_length + header["vocab_offsets"]["data_offsets"][0].get<size_t>();
    bytes[offsets_at + 8 * 50 + 6] = '\x7f';  // vocab_offsets[50] becomes enormous
    write_file(path, bytes);
    std::string message = load_error(path);
    EXPECT_EQ(message.rfind(path + ": vocab_offsets[50] = ", 0), 0u) << message;
    EXPECT_NE(message.find("is out of order or beyond vocab_bytes"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
    EXPECT_THROW(load_int8(path), FormatError);
    LoadOptions head;
    head.limit = 10;  // rows before the damage still open
    EXPECT_EQ(load(path, head).vocab().word(9), model.vocab().word(9));
  }
}

TEST_F(IoNativeErrors, DecreasingOffsetIsFoundWhenOpening) {
  bytes_.replace(data_start() + 32, 24, u64_bytes({0, 5, 2}));
  write_file(path_, bytes_);
  EXPECT_EQ(load_error(path_),
            path_ + ": vocab_offsets[2] = 2 is out of order or beyond vocab_bytes (8 bytes)");
}

TEST_F(IoNativeErrors, WrongDtype) {
  rewrite_header(R"("vectors":{"dtype":"F32")", R"("vectors":{"dtype":"F64")");
  EXPECT_EQ(load_error(path_),
            path_ + ": tensor 'vectors': dtype is F64 but embkit reads F32, F16 or I8");
}

TEST_F(IoNativeErrors, ShapeDisagreesWithOffsets) {
  rewrite_header(R"("shape":[2,3])", R"("shape":[2,4])");
  EXPECT_EQ(load_error(path_),
            path_ + ": tensor 'vectors': shape needs 32 bytes but data_offsets span 24");
}

TEST_F(IoNativeErrors, NotEmbkitMetadata) {
  rewrite_header(R"("format":"embkit")", R"("format":"pt")");
  LoadOptions options;
  options.format = Format::Native;
  EXPECT_EQ(load_error(path_, options),
            path_ + ": not an embkit native file (__metadata__.format is not \"embkit\")");
}

TEST_F(IoNativeErrors, InvalidJson) {
  rewrite_header(R"("vectors":{)", R"("vectors":{{)");
  std::string message = load_error(path_);
  EXPECT_EQ(message.rfind(path_ + ": invalid JSON header: ", 0), 0u) << message;
}

TEST_F(IoNativeErrors, EmptyFile) {
  write_file(path_, "");
  LoadOptions options;
  options.format = Format::Native;
  EXPECT_EQ(load_error(path_, options), path_ + ": file is empty");
}

TEST(IoNativeSave, RefusesInvalidUtf8Words) {
  TempDir dir;
  // A borrowed vocabulary is not checked when it is built, so a writer can be handed bad words.
  static const char kBadUtf8[] = "ok\xff";
  static const uint64_t kOffsets[] = {0, 2, 3};
  std::string path = dir.file("bad.emb");
  KeyedVectors bad(Vocab::borrow(kBadUtf8, kOffsets, nullptr, 2, nullptr), Matrix(2, 1));
  EXPECT_EQ(error_message([&] { save(bad, path); }),
            "cannot write '" + path + "': the vocabulary is not valid UTF-8");
  EXPECT_TRUE(dir.listing().empty());
}

}  // namespace
}  // namespace embkit
