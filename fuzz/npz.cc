// Fuzzes the SciPy .npz reader of sparse count matrices (and the ZIP reader under it).
#include "embkit/error.h"
#include "embkit/npz.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = embkit::fuzz::write_input("input.npz", embkit::fuzz::as_bytes(data, size));
  try {
    embkit::SparseMatrix matrix = embkit::load_sparse(path);
  } catch (const embkit::Error&) {
  }
  return 0;
}
