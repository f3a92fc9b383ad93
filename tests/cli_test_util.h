// Shared by the cli_*_test.cc files: a fixture with a temporary directory per test and run(), which
// runs the embkit binary as a user would (stdin from a string, stdout and stderr captured).
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace embkit::cli_test {

namespace fs = std::filesystem;

struct RunResult {
  int status;
  std::string out;
  std::string err;
};

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The standard five-word 3-d model (cosines easy to compute by hand) a fixture may write.
inline void write_small_model(const fs::path& path) {
  std::ofstream(path) << "5 3\n"
                         "king 1 0 0\n"
                         "queen 0.8 0.6 0\n"
                         "man 0.6 0 0.8\n"
                         "woman 0 0.6 0.8\n"
                         "apple 0 0 -1\n";
}

class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("embkit-" + std::string(test->test_suite_name()) + "-" +
                                        std::to_string(::getpid()) + "-" + test->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult run(const std::string& args, const std::string& input = "") {
    std::ofstream(dir_ / "stdin") << input;
    const std::string command = std::string(EMBKIT_BINARY) + " " + args + " <" +
                                (dir_ / "stdin").string() + " >" + (dir_ / "stdout").string() +
                                " 2>" + (dir_ / "stderr").string();
    const int raw = std::system(command.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(dir_ / "stdout"), slurp(dir_ / "stderr")};
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

}  // namespace embkit::cli_test
