// Fuzzes the .npy reader with its labels file: the input is the .npy bytes, the part separator and
// the labels (fuzz_input.h).
#include "embkit/error.h"
#include "embkit/io.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [matrix, labels] = embkit::fuzz::split_parts(embkit::fuzz::as_bytes(data, size));
  std::string path = embkit::fuzz::write_input("input.npy", matrix);
  embkit::LoadOptions options;
  options.format = embkit::Format::Npy;
  options.labels_path = embkit::fuzz::write_input("input.labels.txt", labels);
  try {
    embkit::KeyedVectors vectors = embkit::load(path, options);
  } catch (const embkit::Error&) {
  }
  return 0;
}
