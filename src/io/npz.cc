// .npz sparse matrices (embkit/npz.h): the CSR arrays as .npy members of a zip archive
// (io/zip_archive.h).
#include "embkit/npz.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "core/atomic_file.h"
#include "embkit/data_error.h"
#include "embkit/error.h"
#include "io/npy.h"
#include "io/zip_archive.h"

namespace embkit {

void save_sparse(const SparseMatrix& matrix, const std::string& path) {
  if (matrix.cols() > static_cast<size_t>(INT32_MAX))
    throw DataError(fmt::format("cannot write '{}': {} columns do not fit int32 indices", path,
                                 matrix.cols()));
  for (size_t i = 0; i < matrix.values().size(); ++i)
    if (!std::isfinite(matrix.values()[i]))
      throw DataError(fmt::format("cannot write '{}': value {} is not finite", path, i));
  const std::vector<int64_t> shape = {static_cast<int64_t>(matrix.rows()),
                                      static_cast<int64_t>(matrix.cols())};
  static const char kFormat[3] = {'c', 's', 'r'};
  // uint32 column indices below 2^31 are valid int32 values bit for bit.
  const std::string indices_header = npy_header("<i4", {matrix.nnz()});
  const std::string indptr_header = npy_header("<i8", {matrix.rows() + 1});
  const std::string format_header = npy_header("|S3", {});
  const std::string shape_header = npy_header("<i8", {2});
  const std::string data_header = npy_header("<f4", {matrix.nnz()});
  auto bytes = [](const void* data, size_t size) {
    return std::string_view(static_cast<const char*>(data), size);
  };
  const ZipMember members[] = {
      {"indices.npy", {indices_header, bytes(matrix.columns().data(), matrix.nnz() * sizeof(uint32_t))}},
      {"indptr.npy",
       {indptr_header, bytes(matrix.row_starts().data(), (matrix.rows() + 1) * sizeof(uint64_t))}},
      {"format.npy", {format_header, bytes(kFormat, sizeof kFormat)}},
      {"shape.npy", {shape_header, bytes(shape.data(), 2 * sizeof(int64_t))}},
      {"data.npy", {data_header, bytes(matrix.values().data(), matrix.nnz() * sizeof(float))}},
  };
  AtomicFile file(path);
  write_stored_zip(file, members, path);
  file.commit();
}

namespace {

struct Array {
  NpyHeader header;
  std::string_view data;
};

Array read_member(const ZipReader& zip, const std::string& path, const std::string& name,
                  std::string& storage) {
  std::optional<std::string_view> bytes = zip.member(name, storage);
  if (!bytes) zip.fail(fmt::format("not a sparse matrix .npz: member {} is missing", name));
  Array a;
  a.header = read_npy_header(*bytes, path + ":" + name);
  a.data = bytes->substr(a.header.data_offset);
  return a;
}

size_t element_count(const Array& a) {
  size_t n = 1;
  for (size_t d : a.header.shape) n *= d;
  return n;
}

// Reads a 1-D integer or float array member as T, checking its declared size against its bytes.
template <typename T>
std::vector<T> read_vector(const ZipReader& zip, const Array& a, const std::string& name) {
  if (a.header.shape.size() > 1)
    zip.fail(fmt::format("member {} is {}-dimensional, want 1-D", name, a.header.shape.size()));
  const size_t n = element_count(a);
  const std::string& d = a.header.descr;
  size_t width = 0;
  if (d == "<i4" || d == "<u4" || d == "<f4" || d == "=i4" || d == "=f4") width = 4;
  else if (d == "<i8" || d == "<u8" || d == "<f8" || d == "=i8" || d == "=f8") width = 8;
  else zip.fail(fmt::format("member {} has dtype '{}' (want 32/64-bit little-endian)", name, d));
  if (a.data.size() < n * width)
    zip.fail(fmt::format("member {} is truncated: {} values need {} bytes, it has {}", name, n,
                         n * width, a.data.size()));
  std::vector<T> out(n);
  const char kind = d[1];
  for (size_t i = 0; i < n; ++i) {
    const char* p = a.data.data() + i * width;
    if (kind == 'f') {
      if (width == 4) {
        float v;
        std::memcpy(&v, p, 4);
        out[i] = static_cast<T>(v);
      } else {
        double v;
        std::memcpy(&v, p, 8);
        out[i] = static_cast<T>(v);
      }
    } else if (width == 4) {
      int32_t v;
      std::memcpy(&v, p, 4);
      if constexpr (std::is_integral_v<T>)
        if (v < 0) zip.fail(fmt::format("member {} holds a negative value at {}", name, i));
      out[i] = static_cast<T>(v);
    } else {
      int64_t v;
      std::memcpy(&v, p, 8);
      if constexpr (std::is_integral_v<T>)
        if (v < 0) zip.fail(fmt::format("member {} holds a negative value at {}", name, i));
      out[i] = static_cast<T>(v);
    }
  }
  return out;
}

}  // namespace

SparseMatrix load_sparse(const std::string& path) {
  ZipReader zip(path);
  std::string storage;
  {
    Array format = read_member(zip, path, "format.npy", storage);
    std::string text;
    if (format.header.descr.size() >= 2 && format.header.descr[1] == 'S') {
      text.assign(format.data.data(), std::min<size_t>(format.data.size(), 3));
    } else if (format.header.descr.size() >= 2 && format.header.descr[1] == 'U') {
      for (size_t i = 0; i + 4 <= format.data.size() && text.size() < 3; i += 4)
        text.push_back(format.data[i]);
    }
    if (text != "csr")
      zip.fail(fmt::format("format.npy says '{}': only CSR matrices are supported", text));
  }
  std::vector<uint64_t> shape = read_vector<uint64_t>(zip, read_member(zip, path, "shape.npy", storage), "shape.npy");
  if (shape.size() != 2) zip.fail("shape.npy must hold two numbers");
  const size_t rows = shape[0], cols = shape[1];
  if (cols > static_cast<size_t>(UINT32_MAX) + 1)
    zip.fail(fmt::format("{} columns do not fit 32-bit indices", cols));
  std::vector<uint64_t> starts =
      read_vector<uint64_t>(zip, read_member(zip, path, "indptr.npy", storage), "indptr.npy");
  std::vector<uint64_t> indices =
      read_vector<uint64_t>(zip, read_member(zip, path, "indices.npy", storage), "indices.npy");
  std::vector<double> data =
      read_vector<double>(zip, read_member(zip, path, "data.npy", storage), "data.npy");
  if (starts.size() != rows + 1)
    zip.fail(fmt::format("indptr.npy has {} entries for {} rows (want rows + 1)", starts.size(), rows));
  if (indices.size() != data.size())
    zip.fail(fmt::format("indices.npy has {} entries but data.npy {}", indices.size(), data.size()));
  if (starts.front() != 0 || starts.back() != indices.size())
    zip.fail(fmt::format("indptr.npy runs from {} to {}, want 0 to {}", starts.front(),
                         starts.back(), indices.size()));
  std::vector<uint64_t> out_starts(rows + 1, 0);
  std::vector<uint32_t> columns;
  std::vector<float> values;
  columns.reserve(indices.size());
  values.reserve(indices.size());
  std::vector<std::pair<uint32_t, double>> row;
  for (size_t r = 0; r < rows; ++r) {
    if (starts[r + 1] < starts[r]) zip.fail(fmt::format("indptr.npy decreases at row {}", r));
    row.clear();
    for (uint64_t i = starts[r]; i < starts[r + 1]; ++i) {
      if (indices[i] >= cols)
        zip.fail(fmt::format("row {} has column {} but the matrix has {} columns", r, indices[i], cols));
      if (!std::isfinite(data[i]) || std::fabs(data[i]) > 3.4e38)
        zip.fail(fmt::format("row {} column {}: value is not a finite float32", r, indices[i]));
      row.push_back({static_cast<uint32_t>(indices[i]), data[i]});
    }
    // SciPy allows unsorted and repeated columns; canonical form sorts and sums them.
    std::sort(row.begin(), row.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0 && row[i].first == row[i - 1].first) {
        values.back() = static_cast<float>(values.back() + row[i].second);
        continue;
      }
      columns.push_back(row[i].first);
      values.push_back(static_cast<float>(row[i].second));
    }
    out_starts[r + 1] = columns.size();
  }
  return SparseMatrix(rows, cols, std::move(out_starts), std::move(columns), std::move(values));
}

}  // namespace embkit
