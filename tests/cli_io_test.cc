// The command line at the edges of input and output: corrupt, endless and non-seekable inputs,
// outputs that are links, FIFOs or full devices, and the exit status of each failure.
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace embkit::cli_test {
namespace {

class CliIoTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    write_small_model(dir_ / "model.vec");
  }
  std::string model() const { return path("model.vec"); }
  // One line "embkit: error: ..." and nothing else.
  static void expect_one_error_line(const RunResult& r) {
    EXPECT_EQ(r.err.rfind("embkit: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  // Writes `bytes` into the FIFO `name` from a thread (the reader's open blocks until then).
  std::thread feed_fifo(const std::string& name, std::string bytes) {
    EXPECT_EQ(::mkfifo(path(name).c_str(), 0600), 0);
    return std::thread([fifo = path(name), bytes = std::move(bytes)] {
      std::ofstream(fifo, std::ios::binary) << bytes;
    });
  }
};

TEST_F(CliIoTest, CorruptVocabularyOffsetIsOneErrorLine) {
  ASSERT_EQ(run("convert " + model() + " " + path("m.emb")).status, 0);
  std::string bytes = slurp(path("m.emb"));
  uint64_t header_length;
  std::memcpy(&header_length, bytes.data(), 8);
  auto header = nlohmann::json::parse(bytes.substr(8, header_length));
  size_t at = 8 + header_length + header["vocab_offsets"]["data_offsets"][0].get<size_t>();
  bytes[at + 8 * 3 + 5] = '\x40';  // vocab_offsets[3] points far outside the file
  std::ofstream(path("m.emb"), std::ios::binary) << bytes;
  for (std::string command : {"info ", "neighbors ", "convert "}) {
    std::string args = command + path("m.emb");
    if (command == "neighbors ") args += " king";
    if (command == "convert ") args += " " + path("out.vec");
    RunResult r = run(args);
    EXPECT_EQ(r.status, 1) << command;
    expect_one_error_line(r);
    EXPECT_NE(r.err.find("vocab_offsets[3]"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(path("out.vec")));
}

TEST_F(CliIoTest, ConvertThroughASymlinkReplacesTheTargetAndKeepsTheLink) {
  fs::create_directory(dir_ / "real");
  std::ofstream(path("real/m.vec")) << "old";
  fs::create_symlink("real/m.vec", dir_ / "link.vec");
  ASSERT_EQ(run("convert " + model() + " " + path("link.vec")).status, 0);
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.vec"));
  EXPECT_EQ(fs::read_symlink(dir_ / "link.vec"), "real/m.vec");
  EXPECT_EQ(slurp(path("real/m.vec")).substr(0, 4), "5 3\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "real"), fs::directory_iterator()), 1);
}

TEST_F(CliIoTest, ConvertToAFifoWritesThroughIt) {
  ASSERT_EQ(::mkfifo(path("out.fifo").c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = slurp(path("out.fifo")); });
  RunResult r = run("convert " + model() + " " + path("out.fifo") + " --to vec");
  reader.join();
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(received.substr(0, 9), "5 3\nking ");
  struct stat info {};
  ASSERT_EQ(::lstat(path("out.fifo").c_str(), &info), 0);
  EXPECT_TRUE(S_ISFIFO(info.st_mode)) << "the FIFO was replaced by a file";
}

TEST_F(CliIoTest, ModelsLoadFromAFifoOnce) {
  std::thread writer = feed_fifo("model.fifo", slurp(model()));
  RunResult r = run("info " + path("model.fifo"));
  writer.join();
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("vectors     5 x 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("format      vec"), std::string::npos) << r.out;
}

TEST_F(CliIoTest, EndlessInputsFailAtOnce) {
  RunResult info = run("info /dev/zero");
  EXPECT_EQ(info.status, 1);
  expect_one_error_line(info);
  EXPECT_NE(info.err.find("/dev/zero: not a recognised embedding file"), std::string::npos)
      << info.err;
  RunResult eval = run("eval " + model() + " --analogies /dev/zero");
  EXPECT_EQ(eval.status, 1);
  expect_one_error_line(eval);
  EXPECT_NE(eval.err.find("/dev/zero: line 1 is longer than 1 MiB"), std::string::npos)
      << eval.err;
}

TEST_F(CliIoTest, FullStandardOutputIsAnError) {
  const std::string command = std::string(EMBKIT_BINARY) + " neighbors " + model() +
                              " king >/dev/full 2>" + path("stderr");
  const int raw = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 1);
  const std::string err = slurp(path("stderr"));
  EXPECT_EQ(err.rfind("embkit: error: cannot write 'standard output': ", 0), 0u) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST_F(CliIoTest, DataErrorsExitWithOneNotTwo) {
  std::ofstream(path("big.vec")) << "1 2\nhuge 1e6 0\n";
  RunResult r = run("convert " + path("big.vec") + " " + path("big.emb") + " --dtype f16");
  EXPECT_EQ(r.status, 1);
  expect_one_error_line(r);
  EXPECT_NE(r.err.find("beyond the half-precision range"), std::string::npos) << r.err;
}

TEST_F(CliIoTest, LongUnknownWordsAreAbridged) {
  const std::string word(100000, 'x');
  RunResult r = run("neighbors " + model() + " " + word);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "embkit: error: word '" + std::string(40, 'x') +
                       "\u2026(100000 bytes)' is not in the vocabulary"
                       " (and the model has no subword n-grams for unseen words)\n");
}

TEST_F(CliIoTest, ByteOrderMarkIsNotPartOfTheFirstWord) {
  std::ofstream(path("bom.vec")) << "\xef\xbb\xbf" << slurp(model());
  RunResult r = run("neighbors " + path("bom.vec") + " king -k 1");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("queen"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace embkit::cli_test
