// Fuzzes the word2vec text reader: load() of a .vec file with the format forced.
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  embkit::fuzz::load_as("input.vec", embkit::Format::Vec, data, size);
  return 0;
}
