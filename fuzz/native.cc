// Fuzzes the native .emb reader (f32, f16 and i8 files): opening and reading every word and value
// (what `info` and `neighbors` touch), the int8 view, and the full check of --verify.
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  embkit::fuzz::load_as("input.emb", embkit::Format::Native, data, size);
  const std::string path = embkit::fuzz::scratch_directory() / "input.emb";
  try {
    embkit::QuantizedVectors codes = embkit::load_int8(path);
  } catch (const embkit::Error&) {
  }
  try {
    embkit::verify_native(path);
  } catch (const embkit::Error&) {
  }
  return 0;
}
