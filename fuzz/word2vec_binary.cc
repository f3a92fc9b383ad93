// Fuzzes the word2vec binary reader: load() of a .bin file with the format forced.
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  embkit::fuzz::load_as("input.bin", embkit::Format::Bin, data, size);
  return 0;
}
