// Fuzzes the fastText model reader (.bin / .ftz): load() with the format forced (the word vectors
// and the n-gram table are read through), then, for a file that reads, the model's own word
// vectors, a write and a re-read. A model that reads must write, the second write must give the
// bytes of the first, and an uncompressed version-12 file that was never pruned must come back
// byte for byte.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "embkit/fasttext_model.h"
#include "fuzz_input.h"

namespace {

std::string slurp(const std::string& path) {
  std::string bytes;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) std::abort();
  char buffer[1 << 14];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) bytes.append(buffer, got);
  std::fclose(file);
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace embkit;
  fuzz::load_as("input.bin", Format::FastText, data, size);
  const std::string path = (fuzz::scratch_directory() / "input.bin").string();
  FastTextModel model;
  try {
    model = read_fasttext_model(path);
  } catch (const Error&) {
    return 0;
  }
  std::vector<float> vector(size_t(model.args.dim));
  model.word_vector("fuzz\xc3\xa9", vector.data());
  if (!model.entries.empty()) model.word_vector(model.entries.back().word, vector.data());
  const std::string first = (fuzz::scratch_directory() / "first.bin").string();
  const std::string second = (fuzz::scratch_directory() / "second.bin").string();
  try {
    write_fasttext_model(model, first);
    write_fasttext_model(read_fasttext_model(first), second);
  } catch (const Error& e) {
    std::fprintf(stderr, "a model that reads does not write and read back: %s\n", e.what());
    std::abort();
  }
  const std::string written = slurp(first);
  if (written != slurp(second)) {
    std::fprintf(stderr, "the second write differs from the first\n");
    std::abort();
  }
  // (Compressed input decompresses to the model, so only raw input is compared.)
  if (looks_like_fasttext_model(data, size) && model.version == 12 && model.prune_size < 0 &&
      (written.size() != size || std::memcmp(written.data(), data, size) != 0)) {
    std::fprintf(stderr, "an unpruned version-12 model did not come back byte for byte\n");
    std::abort();
  }
  return 0;
}
