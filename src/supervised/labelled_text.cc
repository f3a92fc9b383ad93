// Reading data files for the classifier (supervised/labelled_text.h).
#include "supervised/labelled_text.h"

#include "io/model_bytes.h"

namespace embkit::supervised {

TextBytes read_text_bytes(const std::string& path) {
  ModelBytes bytes = read_model_bytes(path, MappedFile::Access::Sequential);
  return {std::move(bytes.owner), bytes.bytes};
}

}  // namespace embkit::supervised
