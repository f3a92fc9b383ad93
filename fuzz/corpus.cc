// Fuzzes the streaming corpus reader (plain, gzip, xz and zstd text), both tokenisations.
#include <vector>

#include "embkit/corpus_reader.h"
#include "embkit/error.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = embkit::fuzz::write_input("input.txt", embkit::fuzz::as_bytes(data, size));
  for (bool split : {false, true}) {
    embkit::CorpusOptions options;
    options.lowercase_and_split_punctuation = split;
    options.max_sentence_tokens = 7;
    try {
      embkit::CorpusReader reader(path, options);
      std::vector<std::string_view> tokens;
      while (reader.next(tokens)) {
      }
    } catch (const embkit::Error&) {
    }
  }
  return 0;
}
