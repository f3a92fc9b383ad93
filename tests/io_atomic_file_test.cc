// AtomicFile and save(): a file appears complete or not at all; a missing directory is named.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "core/atomic_file.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::error_message;
using testing::TempDir;
using testing::write_file;

TEST(IoAtomicFile, CommitPublishesTheBytes) {
  TempDir dir;
  std::string path = dir.file("out.txt");
  {
    AtomicFile file(path);
    file.write("hello ");
    file.write(std::string(3 << 20, 'x'));  // larger than the buffer
    file.write("!");
    EXPECT_EQ(file.temp_path().rfind(path + ".tmp.", 0), 0u);
    EXPECT_FALSE(std::filesystem::exists(path)) << "nothing visible before commit";
    file.commit();
  }
  std::string bytes = testing::read_file(path);
  EXPECT_EQ(bytes.size(), 6u + (3u << 20) + 1u);
  EXPECT_EQ(bytes.substr(0, 7), "hello x");
  EXPECT_EQ(dir.listing(), std::vector<std::string>{"out.txt"});
}

TEST(IoAtomicFile, AbandonedWriteLeavesNothing) {
  TempDir dir;
  std::string path = dir.file("out.txt");
  testing::write_file(path, "old content");
  try {
    AtomicFile file(path);
    file.write("new content that never lands");
    throw std::runtime_error("simulated failure");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(testing::read_file(path), "old content");
  EXPECT_EQ(dir.listing(), std::vector<std::string>{"out.txt"});
}

TEST(IoAtomicFile, MissingOutputDirectoryIsNamed) {
  TempDir dir;
  std::string path = dir.file("x/model.emb");
  EXPECT_EQ(error_message([&] { AtomicFile file(path); }),
            "cannot write '" + path + "': output directory '" + dir.file("x") + "' does not exist");
}

TEST(IoAtomicFile, EveryFormatReportsAMissingDirectory) {
  TempDir dir;
  KeyedVectors model = testing::random_model(3, 2, 1);
  for (const char* name : {"m.emb", "m.vec", "m.bin", "m.npy", "m.glove"}) {
    std::string path = dir.file(std::string("missing/") + name);
    EXPECT_EQ(error_message([&] { save(model, path); }),
              "cannot write '" + path + "': output directory '" + dir.file("missing") +
                  "' does not exist");
  }
}

TEST(IoAtomicFile, FailedSaveKeepsTheOldFile) {
  TempDir dir;
  std::string path = dir.file("m.vec");
  save(testing::model_of({{"ok", {1.0f}}}), path);
  std::string before = testing::read_file(path);
  // The non-finite value is found while formatting, after the temporary file exists.
  KeyedVectors bad = testing::model_of({{"fine", {1.0f}}, {"bad", {std::nanf("")}}});
  EXPECT_EQ(error_message([&] { save(bad, path); }),
            "cannot write '" + path + "': value 1 of word 'bad' is not finite");
  EXPECT_EQ(testing::read_file(path), before);
  EXPECT_EQ(dir.listing(), std::vector<std::string>{"m.vec"});
}

TEST(IoAtomicFile, SymlinkOutputReplacesTheTargetNotTheLink) {
  TempDir dir;
  std::filesystem::create_directory(dir.file("store"));
  write_file(dir.file("store/model.vec"), "old");
  std::filesystem::create_symlink("store/model.vec", dir.file("current.vec"));
  {
    AtomicFile file(dir.file("current.vec"));
    EXPECT_EQ(file.temp_path().rfind(dir.file("store/model.vec.tmp."), 0), 0u)
        << "the temporary file goes beside the target, on its file system";
    file.write("new");
    file.commit();
  }
  EXPECT_TRUE(std::filesystem::is_symlink(dir.file("current.vec")));
  EXPECT_EQ(testing::read_file(dir.file("store/model.vec")), "new");
  EXPECT_EQ(dir.listing(), (std::vector<std::string>{"current.vec", "store"}));
  // A dangling link names the file to create.
  std::filesystem::create_symlink("store/fresh.vec", dir.file("fresh.vec"));
  save(testing::model_of({{"a", {1.0f}}}), dir.file("fresh.vec"));
  EXPECT_TRUE(std::filesystem::is_symlink(dir.file("fresh.vec")));
  EXPECT_EQ(testing::read_file(dir.file("store/fresh.vec")), "1 1\na 1\n");
}

TEST(IoAtomicFile, FifoOutputIsWrittenThrough) {
  TempDir dir;
  std::string fifo = dir.file("out.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = testing::read_file(fifo); });
  {
    AtomicFile file(fifo);
    EXPECT_EQ(file.temp_path(), "");
    file.write("through");
    file.commit();
  }
  reader.join();
  EXPECT_EQ(received, "through");
  struct stat info {};
  ASSERT_EQ(::lstat(fifo.c_str(), &info), 0);
  EXPECT_TRUE(S_ISFIFO(info.st_mode));
  EXPECT_EQ(dir.listing(), std::vector<std::string>{"out.fifo"});
}

TEST(IoAtomicFile, DirectoryOutputIsRefused) {
  TempDir dir;
  std::filesystem::create_directory(dir.file("d"));
  EXPECT_EQ(error_message([&] { AtomicFile file(dir.file("d")); }),
            "cannot write '" + dir.file("d") + "': it is a directory");
}

// A child writes a file and is killed by SIGTERM before commit: the handler removes the temporary
// file, then the signal ends the process as it would have.
TEST(IoAtomicFile, SignalRemovesTemporaryFiles) {
  TempDir dir;
  for (int signal_number : {SIGTERM, SIGINT}) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      AtomicFile first(dir.file("a.vec"));
      AtomicFile second(dir.file("b.vec"));
      first.write("partial");
      ::raise(signal_number);
      ::_exit(0);  // not reached
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), signal_number);
    EXPECT_EQ(dir.listing(), std::vector<std::string>{});
  }
}

TEST(IoAtomicFile, CommitTogetherPublishesEveryFile) {
  TempDir dir;
  write_file(dir.file("m.npy"), "old matrix");
  write_file(dir.file("m.labels.txt"), "old labels");
  {
    AtomicFile matrix(dir.file("m.npy"));
    AtomicFile labels(dir.file("m.labels.txt"));
    matrix.write("new matrix");
    labels.write("new labels");
    EXPECT_EQ(testing::read_file(dir.file("m.npy")), "old matrix");
    AtomicFile::commit_together({&labels, &matrix});
  }
  EXPECT_EQ(testing::read_file(dir.file("m.npy")), "new matrix");
  EXPECT_EQ(testing::read_file(dir.file("m.labels.txt")), "new labels");
  EXPECT_EQ(dir.listing(), (std::vector<std::string>{"m.labels.txt", "m.npy"}));
}

}  // namespace
}  // namespace embkit
