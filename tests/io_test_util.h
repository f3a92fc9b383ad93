// Helpers shared by the io_*_test.cc files: a self-removing temporary directory, whole-file read
// and write, random models with awkward values and UTF-8 words, bit-exact comparison, and error
// capture.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>

#include "embkit/error.h"
#include "embkit/io.h"
#include "embkit/keyed_vectors.h"

namespace embkit::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device seed;
    path_ = std::filesystem::temp_directory_path() / ("embkit_io_" + std::to_string(seed()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Names of the files in the directory (to prove no temporary file was left behind).
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline std::string float_bytes(std::initializer_list<float> values) {
  std::string bytes;
  for (float v : values) bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  return bytes;
}

// Words mixing ASCII and multibyte UTF-8; values mixing signs and magnitudes from 1e-30 to 1e30
// (all normal floats), plus zeros and exact small integers.
inline KeyedVectors random_model(size_t rows, size_t dim, uint32_t seed, bool with_counts = false) {
  static const char* const kStems[] = {"word",   "café", "naïve", "東京",
                                       "данные", "😀",    "x",     "Ωmega"};
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-30, 30);
  std::uniform_int_distribution<int> kind(0, 9);
  Vocab vocab;
  Matrix matrix(rows, dim);
  for (size_t i = 0; i < rows; ++i) {
    std::string word = std::string(kStems[i % 8]) + std::to_string(i);
    vocab.add(word, with_counts ? 1000000 - i * 3 : 0);
    float* row = matrix.mutable_row(i);
    for (size_t j = 0; j < dim; ++j) {
      switch (kind(rng)) {
        case 0:
          row[j] = 0.0f;
          break;
        case 1:
          row[j] = std::ldexp(mantissa(rng), exponent(rng) * 3);
          break;  // 1e-27 .. 1e27
        case 2:
          row[j] = static_cast<float>(static_cast<int>(mantissa(rng) * 100));
          break;
        default:
          row[j] = mantissa(rng) * std::pow(10.0f, float(exponent(rng)) / 10.0f);
          break;
      }
    }
  }
  return KeyedVectors(std::move(vocab), std::move(matrix));
}

inline void expect_same_vectors(const KeyedVectors& expected, const KeyedVectors& actual,
                                bool compare_counts = false) {
  ASSERT_EQ(expected.size(), actual.size());
  ASSERT_EQ(expected.dim(), actual.dim());
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(expected.vocab().word(i), actual.vocab().word(i)) << "row " << i;
    ASSERT_EQ(0, std::memcmp(expected.vectors().row(i), actual.vectors().row(i),
                             expected.dim() * sizeof(float)))
        << "row " << i << " differs in its bits";
    if (compare_counts) {
      ASSERT_EQ(expected.vocab().count(i), actual.vocab().count(i));
    }
  }
}

// The message of the embkit::Error that `action` throws, or "(no error)".
inline std::string error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

inline std::string load_error(const std::string& path, LoadOptions options = {}) {
  return error_message([&] { load(path, options); });
}

inline KeyedVectors model_of(std::vector<std::pair<std::string, std::vector<float>>> rows) {
  Vocab vocab;
  Matrix matrix(rows.size(), rows.empty() ? 0 : rows[0].second.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    vocab.add(rows[i].first);
    std::copy(rows[i].second.begin(), rows[i].second.end(), matrix.mutable_row(i));
  }
  return KeyedVectors(std::move(vocab), std::move(matrix));
}

}  // namespace embkit::testing
