// Fuzzes the document collection reader (one document per line) and the row labels file.
#include "embkit/document_collection.h"
#include "embkit/error.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [text, labels] = embkit::fuzz::split_parts(embkit::fuzz::as_bytes(data, size));
  std::string path = embkit::fuzz::write_input("input.txt", text);
  std::string labels_path = embkit::fuzz::write_input("input.labels", labels);
  try {
    embkit::DocumentCollection documents = embkit::read_documents(path);
    embkit::Vocab row_labels = embkit::document_labels(documents.size(), labels_path);
  } catch (const embkit::Error&) {
  }
  return 0;
}
