// AtomicFile and save(): a file appears complete or not at all; a missing directory is named.
#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::error_message;
using testing::TempDir;

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

}  // namespace
}  // namespace embkit
