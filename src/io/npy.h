// NumPy .npy matrices (format versions 1.0, 2.0 and 3.0) with a labels file beside them, one label
// per line. Reads little-endian float32 or float64, C or Fortran order, 2-D only; writes float32
// v1.0 in C order with the header padded so the data starts 64-byte aligned. Layout: "\x93NUMPY",
// major, minor, header length (u16 for v1, u32 for v2/v3), a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (N, D), } padded with spaces and ending in
// '\n', then the raw array.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/mapped_file.h"
#include "embkit/io.h"
#include "embkit/keyed_vectors.h"

namespace embkit {

struct NpyHeader {
  std::string descr;  // e.g. "<f4"
  bool fortran_order = false;
  std::vector<size_t> shape;
  size_t data_offset = 0;  // where the array starts, from the first byte of `bytes`
};

// Parses the header at the start of `bytes` (a whole .npy file or member); FormatError naming `path`.
NpyHeader read_npy_header(std::string_view bytes, const std::string& path);
// The header bytes of a v1.0 C-order array, padded so that the data starts 64-byte aligned.
std::string npy_header(std::string_view descr, const std::vector<size_t>& shape);

// `<stem>.labels.txt` beside the .npy file.
std::string default_labels_path(const std::string& npy_path);

// Checks that the labels file has exactly one label per row, which also catches most pairs left
// mixed by a crash between the two renames of save_npy.
KeyedVectors load_npy(const std::string& path, const LoadOptions& options);
KeyedVectors load_npy(std::shared_ptr<const MappedFile> file, const std::string& path,
                      const LoadOptions& options);
void save_npy(const KeyedVectors& vectors, const std::string& path, const std::string& labels_path);

}  // namespace embkit
