// Fuzzes format detection and whatever reader it picks (compressed inputs included): load() with
// the format left to detection.
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  embkit::fuzz::load_as("input.model", embkit::Format::Auto, data, size);
  return 0;
}
