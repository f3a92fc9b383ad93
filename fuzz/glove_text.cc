// Fuzzes the GloVe text reader: load() of a .txt file with the format forced.
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  embkit::fuzz::load_as("input.txt", embkit::Format::Glove, data, size);
  return 0;
}
