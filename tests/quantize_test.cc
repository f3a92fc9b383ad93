// Half-precision and int8 storage (embkit/quantize.h) and the native format's F16 / I8 dtypes:
// exact bits and codes on hand-made values, error bounds on random ones, round trips and the ugly
// paths of the reader (corrupt scales, lying shapes, truncation, wrong dtypes).
#include "embkit/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "io/native.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::error_message;
using testing::load_error;
using testing::model_of;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

TEST(QuantizeHalf, KnownBits) {
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(-2.0f), 0xc000);
  EXPECT_EQ(float_to_half(0.0f), 0x0000);
  EXPECT_EQ(float_to_half(-0.0f), 0x8000);
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);   // largest half
  EXPECT_EQ(float_to_half(65519.99f), 0x7bff);  // just below the halfway point
  EXPECT_EQ(float_to_half(65520.0f), 0x7c00);   // halfway, odd mantissa: rounds up to infinity
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -24)), 0x0001);         // smallest subnormal
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -25)), 0x0000);         // tie to even: zero
  EXPECT_EQ(float_to_half(std::ldexp(3.0f, -25)), 0x0002);         // 1.5 units: tie to even 2
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -14)), 0x0400);         // smallest normal
  EXPECT_EQ(float_to_half(1.0f + std::ldexp(1.0f, -11)), 0x3c00);  // tie, even stays
  EXPECT_EQ(float_to_half(1.0f + std::ldexp(3.0f, -11)), 0x3c02);  // tie, odd rounds up
  EXPECT_EQ(float_to_half(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_TRUE(std::isnan(half_to_float(float_to_half(std::nanf("")))));
  EXPECT_EQ(half_to_float(0x3555), 0.333251953125f);
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(half_to_float(0xfbff), -65504.0f);
}

TEST(QuantizeHalf, EveryHalfRoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    uint16_t half = static_cast<uint16_t>(h);
    if ((half & 0x7c00) == 0x7c00 && (half & 0x3ff)) continue;  // NaN payloads
    ASSERT_EQ(float_to_half(half_to_float(half)), half) << std::hex << h;
  }
}

TEST(QuantizeHalf, BulkEqualsScalarAndRelativeErrorIsBounded) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-26, 15);
  std::vector<float> values(10007);
  for (float& v : values) v = std::ldexp(mantissa(rng), exponent(rng));
  // Exact ties between halves too (bulk and scalar must agree on them).
  for (size_t i = 0; i < 100; ++i) values[i] = 1.0f + std::ldexp(float(2 * i + 1), -11);
  std::vector<uint16_t> bulk(values.size());
  floats_to_halves(values.data(), bulk.data(), values.size());
  std::vector<float> back(values.size());
  halves_to_floats(bulk.data(), back.data(), bulk.size());
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(bulk[i], float_to_half(values[i])) << values[i];
    ASSERT_EQ(back[i], half_to_float(bulk[i]));
    if (std::fabs(values[i]) >= std::ldexp(1.0f, -14))  // normal halves: relative bound
      ASSERT_LE(std::fabs(back[i] - values[i]), std::ldexp(std::fabs(values[i]), -11)) << values[i];
    else  // subnormal halves: absolute bound of half a unit
      ASSERT_LE(std::fabs(back[i] - values[i]), std::ldexp(1.0f, -25)) << values[i];
  }
}

TEST(QuantizeInt8, ExactCodesAndScales) {
  Matrix m(3, 3);
  const float rows[3][3] = {{1.0f, 0.0f, -2.0f}, {-0.5f, 0.0f, 1.0f}, {0.25f, 0.0f, 0.00787f}};
  for (size_t i = 0; i < 3; ++i) std::copy_n(rows[i], 3, m.mutable_row(i));
  Int8Matrix codes = quantize_int8(m, 1);
  EXPECT_FLOAT_EQ(codes.scales()[0], 1.0f / 127);
  EXPECT_EQ(codes.scales()[1], 1.0f);  // all-zero column
  EXPECT_FLOAT_EQ(codes.scales()[2], 2.0f / 127);
  const int expected[3][3] = {{127, 0, -127}, {-64, 0, 64}, {32, 0, 0}};
  // -0.5 * 127 = -63.5 rounds away from zero; 0.00787 * 63.5 = 0.4997 rounds to 0.
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = 0; j < 3; ++j) EXPECT_EQ(codes.row(i)[j], expected[i][j]) << i << "," << j;
  Matrix back = dequantize(codes, 1);
  EXPECT_EQ(back.row(1)[2], 64 * codes.scales()[2]);
  EXPECT_EQ(back.row(0)[1], 0.0f);
}

TEST(QuantizeInt8, ErrorIsAtMostHalfAScale) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Matrix m(500, 37);
  for (size_t i = 0; i < m.rows(); ++i)
    for (size_t j = 0; j < m.cols(); ++j) m.mutable_row(i)[j] = normal(rng) * float(j + 1);
  Int8Matrix codes = quantize_int8(m, 2);
  Matrix back = dequantize(codes, 2);
  for (size_t i = 0; i < m.rows(); ++i) {
    for (size_t j = 0; j < m.cols(); ++j) {
      ASSERT_GE(codes.row(i)[j], -127);
      float scale = codes.scales()[j];
      ASSERT_LE(std::fabs(m.row(i)[j] - back.row(i)[j]), scale * 0.5f * (1 + 1e-5f));
    }
  }
}

TEST(QuantizeInt8, RejectsNonFinite) {
  Matrix m(1, 2);
  m.mutable_row(0)[1] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(quantize_int8(m), UsageError);
}

KeyedVectors sample_model(size_t rows, size_t dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Vocab vocab;
  Matrix m(rows, dim);
  for (size_t i = 0; i < rows; ++i) {
    vocab.add("w" + std::to_string(i), 100 + rows - i);
    for (size_t j = 0; j < dim; ++j) m.mutable_row(i)[j] = normal(rng);
  }
  return KeyedVectors(std::move(vocab), std::move(m));
}

TEST(QuantizeNative, HalfRoundTrip) {
  TempDir dir;
  KeyedVectors kv = sample_model(41, 13, 1);
  SaveOptions options;
  options.dtype = Dtype::F16;
  std::string path = dir.file("m.emb");
  save(kv, path, options);
  EXPECT_EQ(stored_dtype(path), Dtype::F16);
  KeyedVectors back = load(path);
  ASSERT_EQ(back.size(), kv.size());
  ASSERT_EQ(back.dim(), kv.dim());
  for (size_t i = 0; i < kv.size(); ++i) {
    EXPECT_EQ(back.vocab().word(i), kv.vocab().word(i));
    EXPECT_EQ(back.vocab().count(i), kv.vocab().count(i));
    for (size_t j = 0; j < kv.dim(); ++j)
      ASSERT_EQ(back.vectors().row(i)[j], half_to_float(float_to_half(kv.vectors().row(i)[j])));
  }
  verify_native(path);
  // Two bytes less per value than the f32 file, give or take the header's padding to 64 bytes and
  // the vocabulary's to 8.
  std::string f32 = dir.file("f32.emb");
  save(kv, f32);
  double saved = double(read_file(f32).size()) - double(read_file(path).size());
  EXPECT_NEAR(saved, 41.0 * 13 * 2, 72.0);
}

TEST(QuantizeNative, Int8RoundTripAndDirectCodes) {
  TempDir dir;
  KeyedVectors kv = sample_model(50, 11, 2);
  SaveOptions options;
  options.dtype = Dtype::I8;
  std::string path = dir.file("m.emb");
  save(kv, path, options);
  EXPECT_EQ(stored_dtype(path), Dtype::I8);
  verify_native(path);
  Int8Matrix expected = quantize_int8(kv.vectors(), 1);
  KeyedVectors back = load(path);
  QuantizedVectors direct = load_int8(path);
  ASSERT_EQ(direct.codes.rows(), 50u);
  ASSERT_EQ(direct.codes.stride(), 11u) << "codes are borrowed from the mapping";
  EXPECT_EQ(direct.vocab.word(49), "w49");
  for (size_t j = 0; j < 11; ++j) EXPECT_EQ(direct.codes.scales()[j], expected.scales()[j]);
  for (size_t i = 0; i < kv.size(); ++i) {
    for (size_t j = 0; j < kv.dim(); ++j) {
      ASSERT_EQ(direct.codes.row(i)[j], expected.row(i)[j]);
      ASSERT_EQ(back.vectors().row(i)[j], float(expected.row(i)[j]) * expected.scales()[j]);
      ASSERT_LE(std::fabs(back.vectors().row(i)[j] - kv.vectors().row(i)[j]),
                expected.scales()[j] * 0.5f * (1 + 1e-5f));
    }
  }
  LoadOptions limited;
  limited.limit = 7;
  EXPECT_EQ(load(path, limited).size(), 7u);
  EXPECT_EQ(load_int8(path, limited).codes.rows(), 7u);
  // An f32 file is quantized on the fly by load_int8.
  std::string f32 = dir.file("f32.emb");
  save(kv, f32);
  QuantizedVectors from_float = load_int8(f32);
  EXPECT_EQ(from_float.codes.row(3)[4], expected.row(3)[4]);
}

TEST(QuantizeNative, HalfOverflowNamesTheWord) {
  TempDir dir;
  KeyedVectors kv = model_of({{"small", {1.0f, 2.0f}}, {"huge", {3.0f, 70000.0f}}});
  SaveOptions options;
  options.dtype = Dtype::F16;
  std::string path = dir.file("m.emb");
  EXPECT_EQ(error_message([&] { save(kv, path, options); }),
            "cannot write '" + path +
                "' as f16: value 2 of word 'huge' (70000) is beyond the half-precision range "
                "(+-65504); use f32");
  EXPECT_TRUE(dir.listing().empty()) << "no file, no temporary left";
}

TEST(QuantizeNative, NarrowTypesOnlyForNative) {
  TempDir dir;
  KeyedVectors kv = model_of({{"a", {1.0f, 2.0f}}});
  SaveOptions options;
  options.dtype = Dtype::I8;
  EXPECT_THROW(save(kv, dir.file("m.vec"), options), UsageError);
  EXPECT_THROW(parse_dtype("f64"), UsageError);
}

class QuantizeNativeErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("m.emb");
    SaveOptions options;
    options.dtype = Dtype::I8;
    save(model_of({{"hi", {1.0f, -0.5f, 2.0f}}, {"né", {0.25f, 0.0f, -1.0f}}}), path_, options);
    bytes_ = read_file(path_);
  }
  // The scales are the last tensor: the file's last 3 floats.
  void set_scale(size_t j, float value) {
    std::memcpy(bytes_.data() + bytes_.size() - 12 + 4 * j, &value, 4);
    write_file(path_, bytes_);
  }
  void replace_in_header(const std::string& from, const std::string& to) {
    ASSERT_EQ(from.size(), to.size());
    size_t at = bytes_.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    bytes_.replace(at, from.size(), to);
    write_file(path_, bytes_);
  }
  TempDir dir_;
  std::string path_;
  std::string bytes_;
};

TEST_F(QuantizeNativeErrors, ScaleNaNOrNegativeOrZero) {
  set_scale(1, std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(load_error(path_), path_ + ": scales[1] = nan is not a finite positive number");
  set_scale(1, -0.5f);
  EXPECT_EQ(load_error(path_), path_ + ": scales[1] = -0.5 is not a finite positive number");
  set_scale(1, 0.0f);
  EXPECT_EQ(error_message([&] { load_int8(path_); }),
            path_ + ": scales[1] = 0 is not a finite positive number");
}

TEST_F(QuantizeNativeErrors, CodeMinus128) {
  size_t header = 0;
  std::memcpy(&header, bytes_.data(), 8);
  bytes_[8 + header + 4] = static_cast<char>(-128);  // row 2, value 2
  write_file(path_, bytes_);
  EXPECT_EQ(load_error(path_), path_ + ": vector 2 value 2: code -128 is outside [-127, 127]");
}

TEST_F(QuantizeNativeErrors, LyingShapes) {
  replace_in_header(R"("scales":{"dtype":"F32","shape":[3])",
                    R"("scales":{"dtype":"F32","shape":[4])");
  EXPECT_EQ(load_error(path_),
            path_ + ": tensor 'scales': shape needs 16 bytes but data_offsets span 12");
}

TEST_F(QuantizeNativeErrors, WrongScalesDtype) {
  replace_in_header(R"("scales":{"dtype":"F32")", R"("scales":{"dtype":"I32")");
  EXPECT_EQ(load_error(path_), path_ + ": tensor 'scales': dtype is I32 but embkit needs F32");
}

TEST_F(QuantizeNativeErrors, Truncated) {
  write_file(path_, bytes_.substr(0, bytes_.size() - 5));
  EXPECT_NE(load_error(path_).find("(truncated file?)"), std::string::npos) << load_error(path_);
}

TEST_F(QuantizeNativeErrors, DirectCodesOfAFloatFileAreRefusedByTheNativeReader) {
  std::string f32 = dir_.file("f.emb");
  save(model_of({{"a", {1.0f}}}), f32);
  EXPECT_EQ(error_message([&] { load_native_int8(f32, {}); }),
            f32 + ": holds f32 vectors, not i8 codes");
}

}  // namespace
}  // namespace embkit
