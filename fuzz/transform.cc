// Fuzzes the reader of saved transform pipelines, then applies the loaded pipeline to one vector.
#include "embkit/error.h"
#include "embkit/transform.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = embkit::fuzz::write_input("input.transform", embkit::fuzz::as_bytes(data, size));
  try {
    embkit::Transform transform = embkit::load_transform(path);
    if (transform.in_dim() > 0 && transform.in_dim() <= 4096) {
      embkit::Matrix x(1, transform.in_dim());
      embkit::Matrix y = transform.apply(x, 1);
    }
  } catch (const embkit::Error&) {
  }
  return 0;
}
