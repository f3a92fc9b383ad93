#include "embkit/sparse.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <optional>
#include <thread>

#include "core/atomic_file.h"
#include "core/mapped_file.h"
#include "core/threads.h"
#include "embkit/error.h"
#include "io/npy.h"

namespace embkit {

SparseMatrix::SparseMatrix(size_t rows, size_t cols)
    : rows_(rows), cols_(cols), row_starts_(rows + 1, 0) {}

SparseMatrix::SparseMatrix(size_t rows, size_t cols, std::vector<uint64_t> row_starts,
                           std::vector<uint32_t> columns, std::vector<float> values)
    : rows_(rows),
      cols_(cols),
      row_starts_(std::move(row_starts)),
      columns_(std::move(columns)),
      values_(std::move(values)) {
  if (cols_ > (size_t{1} << 32))
    throw UsageError(fmt::format("sparse matrix: {} columns do not fit 32-bit indices", cols_));
  if (row_starts_.size() != rows_ + 1)
    throw UsageError(fmt::format("sparse matrix: {} row starts for {} rows (want rows + 1)",
                                 row_starts_.size(), rows_));
  if (columns_.size() != values_.size())
    throw UsageError(fmt::format("sparse matrix: {} column indices but {} values", columns_.size(),
                                 values_.size()));
  if (row_starts_.front() != 0 || row_starts_.back() != columns_.size())
    throw UsageError(fmt::format("sparse matrix: row starts run from {} to {}, want 0 to {}",
                                 row_starts_.front(), row_starts_.back(), columns_.size()));
  for (size_t r = 0; r < rows_; ++r) {
    if (row_starts_[r + 1] < row_starts_[r])
      throw UsageError(fmt::format("sparse matrix: row starts decrease at row {}", r));
    for (uint64_t i = row_starts_[r]; i < row_starts_[r + 1]; ++i) {
      if (columns_[i] >= cols_)
        throw UsageError(fmt::format("sparse matrix: row {} has column {} (matrix has {} columns)",
                                     r, columns_[i], cols_));
      if (i > row_starts_[r] && columns_[i] <= columns_[i - 1])
        throw UsageError(fmt::format(
            "sparse matrix: columns of row {} are not strictly increasing ({} after {})", r,
            columns_[i], columns_[i - 1]));
    }
  }
}

float SparseMatrix::at(size_t row, size_t col) const {
  auto cols = row_columns(row);
  auto it = std::lower_bound(cols.begin(), cols.end(), col);
  if (it == cols.end() || *it != col) return 0.0f;
  return values_[row_starts_[row] + static_cast<size_t>(it - cols.begin())];
}

SparseMatrix SparseMatrix::transpose() const {
  std::vector<uint64_t> starts(cols_ + 1, 0);
  for (uint32_t c : columns_) ++starts[c + 1];
  std::partial_sum(starts.begin(), starts.end(), starts.begin());
  std::vector<uint64_t> next(starts.begin(), starts.end() - 1);
  std::vector<uint32_t> columns(nnz());
  std::vector<float> values(nnz());
  // Rows visited in order, so every transposed row comes out sorted.
  for (size_t r = 0; r < rows_; ++r)
    for (uint64_t i = row_starts_[r]; i < row_starts_[r + 1]; ++i) {
      uint64_t slot = next[columns_[i]]++;
      columns[slot] = static_cast<uint32_t>(r);
      values[slot] = values_[i];
    }
  SparseMatrix t;
  t.rows_ = cols_;
  t.cols_ = rows_;
  t.row_starts_ = std::move(starts);
  t.columns_ = std::move(columns);
  t.values_ = std::move(values);
  return t;
}

void SparseMatrix::prune_zeros() {
  uint64_t kept = 0;
  uint64_t begin = 0;
  for (size_t r = 0; r < rows_; ++r) {
    const uint64_t end = row_starts_[r + 1];
    for (uint64_t i = begin; i < end; ++i)
      if (values_[i] != 0.0f) {
        columns_[kept] = columns_[i];
        values_[kept] = values_[i];
        ++kept;
      }
    begin = end;
    row_starts_[r + 1] = kept;
  }
  columns_.resize(kept);
  values_.resize(kept);
}

Matrix SparseMatrix::multiply(const Matrix& x, int threads) const {
  if (x.rows() != cols_)
    throw UsageError(fmt::format("sparse multiply: a {} x {} matrix times {} x {}", rows_, cols_,
                                 x.rows(), x.cols()));
  Matrix out(rows_, x.cols());
  const size_t k = x.cols();
  const int workers = resolve_threads(threads);
#pragma omp parallel for schedule(dynamic, 256) num_threads(workers)
  for (size_t r = 0; r < rows_; ++r) {
    float* y = out.mutable_row(r);
    for (uint64_t i = row_starts_[r]; i < row_starts_[r + 1]; ++i) {
      const float v = values_[i];
      const float* xr = x.row(columns_[i]);
      for (size_t j = 0; j < k; ++j) y[j] += v * xr[j];
    }
  }
  return out;
}

Matrix SparseMatrix::multiply_transposed(const Matrix& x, int threads) const {
  if (x.rows() != rows_)
    throw UsageError(fmt::format("sparse multiply: the transpose of a {} x {} matrix times {} x {}",
                                 rows_, cols_, x.rows(), x.cols()));
  return transpose().multiply(x, threads);
}

// --- .npz files --------------------------------------------------------------------------------

namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint16_t kDosDate1980 = (0 << 9) | (1 << 5) | 1;  // 1980-01-01

void put16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& out, uint32_t v) {
  put16(out, static_cast<uint16_t>(v & 0xffff));
  put16(out, static_cast<uint16_t>(v >> 16));
}

struct Member {
  std::string name;
  std::string header;  // .npy header
  const void* data;
  size_t bytes;
};

// zlib's crc32 over any length (its length argument is 32-bit).
uLong crc_update(uLong crc, const void* data, size_t size) {
  const auto* p = static_cast<const Bytef*>(data);
  for (size_t done = 0; done < size;) {
    const size_t step = std::min<size_t>(size - done, size_t{1} << 30);
    crc = crc32(crc, p + done, static_cast<uInt>(step));
    done += step;
  }
  return crc;
}

uint32_t crc_of(const Member& m) {
  uLong crc = crc_update(crc32(0L, Z_NULL, 0), m.header.data(), m.header.size());
  return static_cast<uint32_t>(crc_update(crc, m.data, m.bytes));
}

}  // namespace

void save_sparse(const SparseMatrix& matrix, const std::string& path) {
  if (matrix.cols() > static_cast<size_t>(INT32_MAX))
    throw UsageError(fmt::format("cannot write '{}': {} columns do not fit int32 indices", path,
                                 matrix.cols()));
  for (size_t i = 0; i < matrix.values().size(); ++i)
    if (!std::isfinite(matrix.values()[i]))
      throw UsageError(fmt::format("cannot write '{}': value {} is not finite", path, i));
  const std::vector<int64_t> shape = {static_cast<int64_t>(matrix.rows()),
                                      static_cast<int64_t>(matrix.cols())};
  static const char kFormat[3] = {'c', 's', 'r'};
  // uint32 column indices below 2^31 are valid int32 values bit for bit.
  std::vector<Member> members = {
      {"indices.npy", npy_header("<i4", {matrix.nnz()}), matrix.columns().data(),
       matrix.nnz() * sizeof(uint32_t)},
      {"indptr.npy", npy_header("<i8", {matrix.rows() + 1}), matrix.row_starts().data(),
       (matrix.rows() + 1) * sizeof(uint64_t)},
      {"format.npy", npy_header("|S3", {}), kFormat, sizeof kFormat},
      {"shape.npy", npy_header("<i8", {2}), shape.data(), 2 * sizeof(int64_t)},
      {"data.npy", npy_header("<f4", {matrix.nnz()}), matrix.values().data(),
       matrix.nnz() * sizeof(float)},
  };
  AtomicFile file(path);
  std::string directory;
  uint64_t offset = 0;
  for (const Member& m : members) {
    const uint64_t size = m.header.size() + m.bytes;
    if (size >= 0xffffffffULL || offset >= 0xffffffffULL)
      throw UsageError(fmt::format("cannot write '{}': member {} is {} bytes; .npz members above "
                                   "4 GiB are not supported",
                                   path, m.name, size));
    const uint32_t crc = crc_of(m);
    std::string local;
    put32(local, kLocalHeader);
    put16(local, 20);  // version needed: 2.0
    put16(local, 0);   // flags
    put16(local, 0);   // stored
    put16(local, 0);   // time
    put16(local, kDosDate1980);
    put32(local, crc);
    put32(local, static_cast<uint32_t>(size));
    put32(local, static_cast<uint32_t>(size));
    put16(local, static_cast<uint16_t>(m.name.size()));
    put16(local, 0);
    local += m.name;
    file.write(local);
    file.write(m.header);
    if (m.bytes > 0) file.write(m.data, m.bytes);

    put32(directory, kCentralHeader);
    put16(directory, 20);  // made by
    put16(directory, 20);  // needed
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, kDosDate1980);
    put32(directory, crc);
    put32(directory, static_cast<uint32_t>(size));
    put32(directory, static_cast<uint32_t>(size));
    put16(directory, static_cast<uint16_t>(m.name.size()));
    put16(directory, 0);  // extra
    put16(directory, 0);  // comment
    put16(directory, 0);  // disk
    put16(directory, 0);  // internal attributes
    put32(directory, 0);  // external attributes
    put32(directory, static_cast<uint32_t>(offset));
    directory += m.name;
    offset += local.size() + size;
  }
  if (offset >= 0xffffffffULL)
    throw UsageError(fmt::format("cannot write '{}': archives above 4 GiB are not supported", path));
  std::string end;
  put32(end, kEndOfDirectory);
  put16(end, 0);
  put16(end, 0);
  put16(end, static_cast<uint16_t>(members.size()));
  put16(end, static_cast<uint16_t>(members.size()));
  put32(end, static_cast<uint32_t>(directory.size()));
  put32(end, static_cast<uint32_t>(offset));
  put16(end, 0);
  file.write(directory);
  file.write(end);
  file.commit();
}

namespace {

class ZipReader {
 public:
  explicit ZipReader(const std::string& path)
      : path_(path), file_(MappedFile::open(path, MappedFile::Access::Sequential)) {
    bytes_ = file_->bytes();
    read_directory();
  }

  // The uncompressed bytes of member `name` (a view into the file when stored, else inflated into
  // `storage`); nullopt when the archive has no such member.
  std::optional<std::string_view> member(const std::string& name, std::string& storage) const {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const Entry& e) { return e.name == name; });
    if (it == entries_.end()) return std::nullopt;
    const Entry& e = *it;
    if (e.local_offset > bytes_.size() || bytes_.size() - e.local_offset < 30 ||
        u32(e.local_offset) != kLocalHeader)
      fail(fmt::format("member {} has a bad local header", name));
    const uint64_t data = e.local_offset + 30 + u16(e.local_offset + 26) + u16(e.local_offset + 28);
    if (data > bytes_.size() || bytes_.size() - data < e.compressed)
      fail(fmt::format("member {} is truncated", name));
    std::string_view raw = bytes_.substr(data, e.compressed);
    std::string_view content;
    if (e.method == 0) {
      if (e.compressed != e.size) fail(fmt::format("member {} has inconsistent sizes", name));
      content = raw;
    } else if (e.method == 8) {
      storage.assign(e.size, '\0');
      inflate_raw(raw, storage, name);
      content = storage;
    } else {
      fail(fmt::format("member {} uses compression method {} (stored and deflate are supported)",
                       name, e.method));
    }
    if (static_cast<uint32_t>(crc_update(crc32(0L, Z_NULL, 0), content.data(), content.size())) != e.crc)
      fail(fmt::format("member {} is corrupt (CRC mismatch)", name));
    return content;
  }

  [[noreturn]] void fail(const std::string& message) const { throw FormatError(path_, message); }

 private:
  struct Entry {
    std::string name;
    uint16_t method = 0;
    uint32_t crc = 0;
    uint64_t compressed = 0, size = 0, local_offset = 0;
  };

  uint16_t u16(uint64_t at) const {
    uint16_t v;
    std::memcpy(&v, bytes_.data() + at, 2);
    return v;
  }
  uint32_t u32(uint64_t at) const {
    uint32_t v;
    std::memcpy(&v, bytes_.data() + at, 4);
    return v;
  }
  uint64_t u64(uint64_t at) const {
    uint64_t v;
    std::memcpy(&v, bytes_.data() + at, 8);
    return v;
  }

  void read_directory() {
    if (bytes_.empty()) fail("file is empty");
    if (bytes_.size() < 22 || u32(0) != kLocalHeader) fail("not an .npz file (not a zip archive)");
    // The end-of-directory record sits in the last 22 + 65535 bytes (it may carry a comment).
    uint64_t end = bytes_.size() - 22;
    const uint64_t lowest = bytes_.size() > 22 + 65535 ? bytes_.size() - 22 - 65535 : 0;
    while (u32(end) != kEndOfDirectory) {
      if (end == lowest) fail("truncated .npz file (no zip directory)");
      --end;
    }
    uint64_t count = u16(end + 10);
    uint64_t directory_size = u32(end + 12);
    uint64_t directory_offset = u32(end + 16);
    if ((count == 0xffff || directory_offset == 0xffffffff) && end >= 20 &&
        u32(end - 20) == kZip64Locator) {
      const uint64_t record = u64(end - 20 + 8);
      if (record > bytes_.size() || bytes_.size() - record < 56 || u32(record) != kZip64EndOfDirectory)
        fail("bad ZIP64 directory record");
      count = u64(record + 32);
      directory_size = u64(record + 40);
      directory_offset = u64(record + 48);
    }
    if (directory_offset > bytes_.size() || bytes_.size() - directory_offset < directory_size)
      fail("truncated .npz file (the zip directory points past the end)");
    uint64_t at = directory_offset;
    const uint64_t stop = directory_offset + directory_size;
    for (uint64_t i = 0; i < count; ++i) {
      if (stop - at < 46 || u32(at) != kCentralHeader) fail("corrupt zip directory");
      Entry e;
      e.method = u16(at + 10);
      e.crc = u32(at + 16);
      e.compressed = u32(at + 20);
      e.size = u32(at + 24);
      const uint16_t name_length = u16(at + 28), extra_length = u16(at + 30),
                     comment_length = u16(at + 32);
      e.local_offset = u32(at + 42);
      if (stop - at < 46ULL + name_length + extra_length + comment_length)
        fail("corrupt zip directory");
      e.name.assign(bytes_.data() + at + 46, name_length);
      // ZIP64 extra field: 8-byte values for the 32-bit fields that hold 0xffffffff, in order.
      uint64_t extra = at + 46 + name_length;
      const uint64_t extra_end = extra + extra_length;
      while (extra + 4 <= extra_end) {
        const uint16_t id = u16(extra), length = u16(extra + 2);
        if (extra + 4 + length > extra_end) break;
        if (id == 0x0001) {
          uint64_t field = extra + 4;
          auto take = [&](uint64_t& value) {
            if (value == 0xffffffff && field + 8 <= extra + 4 + length) {
              value = u64(field);
              field += 8;
            }
          };
          take(e.size);
          take(e.compressed);
          take(e.local_offset);
        }
        extra += 4 + length;
      }
      entries_.push_back(std::move(e));
      at += 46ULL + name_length + extra_length + comment_length;
    }
  }

  void inflate_raw(std::string_view in, std::string& out, const std::string& name) const {
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) fail("cannot start the deflate decoder");
    size_t in_done = 0, out_done = 0;
    int status = Z_OK;
    while (status == Z_OK) {
      const size_t in_step = std::min<size_t>(in.size() - in_done, size_t{1} << 30);
      const size_t out_step = std::min<size_t>(out.size() - out_done, size_t{1} << 30);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + in_done));
      z.avail_in = static_cast<uInt>(in_step);
      z.next_out = reinterpret_cast<Bytef*>(out.data() + out_done);
      z.avail_out = static_cast<uInt>(out_step);
      status = inflate(&z, Z_NO_FLUSH);
      in_done += in_step - z.avail_in;
      out_done += out_step - z.avail_out;
      if (status == Z_OK && in_step == 0 && out_step == 0) break;
      if (status == Z_BUF_ERROR && in_done < in.size() && out_done < out.size()) status = Z_OK;
    }
    inflateEnd(&z);
    if (status != Z_STREAM_END || out_done != out.size())
      fail(fmt::format("member {} is corrupt (deflate data does not decode to its size)", name));
  }

  std::string path_;
  std::shared_ptr<const MappedFile> file_;
  std::string_view bytes_;
  std::vector<Entry> entries_;
};

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
