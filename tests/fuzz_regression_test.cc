// Inputs the fuzz targets (fuzz/, scripts/fuzz.sh) found crashing or exhausting memory, kept under
// tests/data/fuzz/<target>/ and read here the way that target reads them: each must end in one
// embkit error (a FormatError or IoError naming the file), never a crash or a huge allocation.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>

#include "embkit/error.h"
#include "embkit/io.h"
#include "embkit/npz.h"

namespace embkit {
namespace {

namespace fs = std::filesystem;

void load_as(const std::string& path, Format format) {
  LoadOptions options;
  options.format = format;
  load(path, options);
}

const std::map<std::string, std::function<void(const std::string&)>>& readers() {
  static const std::map<std::string, std::function<void(const std::string&)>> kReaders = {
      {"word2vec_text", [](const std::string& path) { load_as(path, Format::Vec); }},
      {"word2vec_binary", [](const std::string& path) { load_as(path, Format::Bin); }},
      {"glove_text", [](const std::string& path) { load_as(path, Format::Glove); }},
      {"load_any", [](const std::string& path) { load_as(path, Format::Auto); }},
      {"native", [](const std::string& path) { load_as(path, Format::Native); }},
      {"fasttext_bin", [](const std::string& path) { load_as(path, Format::FastText); }},
      {"npz", [](const std::string& path) { load_sparse(path); }},
  };
  return kReaders;
}

TEST(FuzzRegression, EveryFoundInputIsAnError) {
  const fs::path root = EMBKIT_FUZZ_REGRESSION_DIR;
  size_t inputs = 0;
  for (const auto& target : fs::directory_iterator(root)) {
    const std::string name = target.path().filename().string();
    auto reader = readers().find(name);
    ASSERT_NE(reader, readers().end()) << "no reader for tests/data/fuzz/" << name;
    for (const auto& input : fs::directory_iterator(target.path())) {
      SCOPED_TRACE(input.path().string());
      EXPECT_THROW(reader->second(input.path().string()), Error);
      ++inputs;
    }
  }
  EXPECT_GT(inputs, 0u);
}

}  // namespace
}  // namespace embkit
