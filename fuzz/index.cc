// Fuzzes the reader of saved approximate-nearest-neighbour index files.
#include "embkit/error.h"
#include "embkit/vector_index.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = embkit::fuzz::write_input("input.index", embkit::fuzz::as_bytes(data, size));
  try {
    embkit::VectorIndex index = embkit::VectorIndex::load(path);
  } catch (const embkit::Error&) {
  }
  return 0;
}
