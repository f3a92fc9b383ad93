// NumPy .npy with a labels file: hand-built v1/v2/v3 headers, float32/float64, Fortran order, the
// exact bytes we write, labels handling and bad input.
#include <gtest/gtest.h>

#include "io/npy.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::error_message;
using testing::float_bytes;
using testing::load_error;
using testing::TempDir;
using testing::write_file;

// An .npy file as numpy would write it, for any version, dtype descr and raw data.
std::string npy_bytes(int major, const std::string& dict, const std::string& data) {
  std::string header = dict;
  size_t prefix = 6 + 2 + (major == 1 ? 2 : 4);
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header.push_back('\n');
  std::string bytes = "\x93NUMPY";
  bytes.push_back(static_cast<char>(major));
  bytes.push_back(0);
  uint32_t length = static_cast<uint32_t>(header.size());
  bytes.append(reinterpret_cast<const char*>(&length), major == 1 ? 2 : 4);
  return bytes + header + data;
}

std::string double_bytes(std::initializer_list<double> values) {
  std::string bytes;
  for (double v : values) bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  return bytes;
}

TEST(IoNpy, ReadsFloat32VersionOneWithDefaultLabels) {
  TempDir dir;
  std::string path = dir.file("emb.npy");
  write_file(path, npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                             float_bytes({1, 2, 3, 4, 5, 6})));
  write_file(dir.file("emb.labels.txt"), "cat\nchien\n");
  KeyedVectors kv = load(path);
  ASSERT_EQ(kv.size(), 2u);
  EXPECT_EQ(kv.vocab().word(1), "chien");
  EXPECT_EQ(kv.vectors().row(1)[0], 4.0f);
  EXPECT_EQ(kv.vectors().row(0)[2], 3.0f);
}

TEST(IoNpy, ReadsFloat64VersionTwoAndThree) {
  TempDir dir;
  for (int major : {2, 3}) {
    std::string path = dir.file("v" + std::to_string(major) + ".npy");
    write_file(path, npy_bytes(major, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                               double_bytes({0.1, -2.5, 1e-30, 7})));
    LoadOptions options;
    options.labels_path = dir.file("labels.txt");
    write_file(options.labels_path, "x\r\ny\r\n");
    KeyedVectors kv = load(path, options);
    ASSERT_EQ(kv.size(), 2u);
    EXPECT_EQ(kv.vocab().word(1), "y");
    EXPECT_EQ(kv.vectors().row(0)[0], 0.1f);
    EXPECT_EQ(kv.vectors().row(1)[0], 1e-30f);
  }
}

TEST(IoNpy, ReadsFortranOrder) {
  TempDir dir;
  std::string path = dir.file("f.npy");
  // [[1, 2, 3], [4, 5, 6]] stored column by column.
  write_file(path, npy_bytes(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                             float_bytes({1, 4, 2, 5, 3, 6})));
  write_file(dir.file("f.labels.txt"), "a\nb");
  KeyedVectors kv = load(path);
  EXPECT_EQ(kv.vectors().row(0)[1], 2.0f);
  EXPECT_EQ(kv.vectors().row(1)[2], 6.0f);
}

TEST(IoNpy, WritesFloat32VersionOneAlignedHeader) {
  TempDir dir;
  std::string path = dir.file("out.npy");
  save(testing::model_of({{"a", {1.5f, 2}}, {"b", {-3, 4}}}), path);
  std::string expected = npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
                                   float_bytes({1.5f, 2, -3, 4}));
  EXPECT_EQ(testing::read_file(path), expected);
  EXPECT_EQ(expected.size() - 16, 128u);  // the data starts 64-byte aligned
  EXPECT_EQ(testing::read_file(dir.file("out.labels.txt")), "a\nb\n");
}

TEST(IoNpy, RoundTripsWithExplicitLabelsPathAndLimit) {
  TempDir dir;
  KeyedVectors model = testing::random_model(100, 8, 9);
  std::string path = dir.file("m.npy");
  SaveOptions save_options;
  save_options.labels_path = dir.file("words.tsv");
  save(model, path, save_options);
  LoadOptions options;
  options.labels_path = save_options.labels_path;
  testing::expect_same_vectors(model, load(path, options));
  options.limit = 10;
  KeyedVectors head = load(path, options);
  ASSERT_EQ(head.size(), 10u);
  EXPECT_EQ(head.vocab().word(9), model.vocab().word(9));
}

// The matrix and its labels are replaced together or not at all: here the labels cannot be
// written, so the old .npy stays and no temporary file of either remains.
TEST(IoNpyErrors, FailedLabelsKeepTheOldPair) {
  TempDir dir;
  std::string path = dir.file("m.npy");
  save(testing::random_model(3, 2, 1), path);
  const std::string before = testing::read_file(path);
  std::filesystem::create_directory(dir.file("labels"));
  SaveOptions options;
  options.labels_path = dir.file("labels");
  EXPECT_EQ(error_message([&] { save(testing::random_model(4, 2, 2), path, options); }),
            "cannot write '" + dir.file("labels") + "': it is a directory");
  EXPECT_EQ(testing::read_file(path), before);
  EXPECT_EQ(dir.listing(), (std::vector<std::string>{"labels", "m.labels.txt", "m.npy"}));
}

TEST(IoNpyErrors, LabelCountMismatch) {
  TempDir dir;
  std::string path = dir.file("m.npy");
  write_file(path, npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1), }",
                             float_bytes({1, 2, 3})));
  write_file(dir.file("m.labels.txt"), "a\nb\n");
  EXPECT_EQ(load_error(path),
            dir.file("m.labels.txt") + ": has 2 labels but '" + path + "' has 3 rows");
}

TEST(IoNpyErrors, MissingLabelsFile) {
  TempDir dir;
  std::string path = dir.file("nolabels.npy");
  write_file(path, npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }",
                             float_bytes({1})));
  EXPECT_EQ(load_error(path),
            "cannot open '" + dir.file("nolabels.labels.txt") + "': No such file or directory");
}

TEST(IoNpyErrors, DuplicateLabel) {
  TempDir dir;
  std::string path = dir.file("d.npy");
  write_file(path, npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1), }",
                             float_bytes({1, 2, 3})));
  write_file(dir.file("d.labels.txt"), "a\nb\na\n");
  EXPECT_EQ(load_error(path),
            dir.file("d.labels.txt") + ":3: duplicate label 'a' (first on line 1)");
}

TEST(IoNpyErrors, UnsupportedDtype) {
  TempDir dir;
  std::string path = dir.file("int.npy");
  write_file(path, npy_bytes(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1), }",
                             float_bytes({1})));
  EXPECT_EQ(load_error(path), path +
                                  ": unsupported dtype '<i4' (embkit reads little-endian float32 "
                                  "'<f4' or float64 '<f8')");
}

TEST(IoNpyErrors, OneDimensionalArray) {
  TempDir dir;
  std::string path = dir.file("1d.npy");
  write_file(path, npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                             float_bytes({1, 2, 3})));
  EXPECT_EQ(load_error(path),
            path + ": array has shape (3,); embkit needs a 2-D (rows, dim) matrix");
}

TEST(IoNpyErrors, ThreeDimensionalArray) {
  TempDir dir;
  std::string path = dir.file("3d.npy");
  write_file(path, npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2), }",
                             float_bytes({1, 2})));
  EXPECT_EQ(load_error(path),
            path + ": array has shape (1, 1, 2); embkit needs a 2-D (rows, dim) matrix");
}

TEST(IoNpyErrors, TruncatedData) {
  TempDir dir;
  std::string path = dir.file("cut.npy");
  write_file(path, npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
                             float_bytes({1, 2, 3})));
  write_file(dir.file("cut.labels.txt"), "a\nb\n");
  EXPECT_EQ(load_error(path),
            path + ": shape (2, 2) <f4 needs 16 data bytes but the file has 12 (truncated file?)");
}

TEST(IoNpyErrors, TruncatedHeader) {
  TempDir dir;
  std::string path = dir.file("cuthead.npy");
  write_file(path, npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", "")
                       .substr(0, 30));
  EXPECT_EQ(load_error(path),
            path + ": truncated .npy header: it declares 118 bytes but the file has 20");
}

TEST(IoNpyErrors, NonFiniteValue) {
  TempDir dir;
  std::string path = dir.file("inf.npy");
  write_file(path, npy_bytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }",
                             double_bytes({1, 1e300})));
  write_file(dir.file("inf.labels.txt"), "a\nhuge\n");
  EXPECT_EQ(load_error(path), path + ": row 2 (label 'huge'): value 1 is not finite");
}

TEST(IoNpyErrors, SaveIntoMissingDirectory) {
  TempDir dir;
  std::string path = dir.file("nowhere/out.npy");
  EXPECT_EQ(
      error_message([&] {
        save(testing::model_of({{"a", {1}}}), path);
      }),
      "cannot write '" + path + "': output directory '" + dir.file("nowhere") + "' does not exist");
}

}  // namespace
}  // namespace embkit
