// load() and save(): choose the format (given, or detected from content / extension) and dispatch
// to the reader or writer of that format.
#include "embkit/io.h"

#include <fmt/format.h>

#include "embkit/error.h"
#include "io/detect.h"
#include "io/glove.h"
#include "io/model_bytes.h"
#include "io/native.h"
#include "io/npy.h"
#include "io/word2vec_binary.h"
#include "io/word2vec_text.h"

namespace embkit {

KeyedVectors load(const std::string& path, const LoadOptions& options) {
  Format format = options.format == Format::Auto ? detect_format(path) : options.format;
  switch (format) {
    case Format::Native:
      return load_native(path, options);
    case Format::Npy:
      return load_npy(path, options);
    case Format::Vec:
    case Format::Glove:
    case Format::Bin: {
      // With a limit only the start of the file is read: do not pre-fault all of it.
      ModelBytes model = read_model_bytes(
          path, options.limit ? MappedFile::Access::Random : MappedFile::Access::Sequential);
      if (format == Format::Vec) return load_word2vec_text(model.bytes, path, options);
      if (format == Format::Glove) return load_glove(model.bytes, path, options);
      return load_word2vec_binary(model.bytes, path, options);
    }
    case Format::Auto:
      break;
  }
  throw UsageError("no format to load with");
}

void save(const KeyedVectors& vectors, const std::string& path, const SaveOptions& options) {
  Format format = options.format == Format::Auto ? format_for_output(path) : options.format;
  switch (format) {
    case Format::Native:
      return save_native(vectors, path);
    case Format::Vec:
      return save_word2vec_text(vectors, path, options.threads);
    case Format::Glove:
      return save_glove(vectors, path, options.threads);
    case Format::Bin:
      return save_word2vec_binary(vectors, path);
    case Format::Npy:
      return save_npy(vectors, path, options.labels_path);
    case Format::Auto:
      break;
  }
  throw UsageError("no format to save with");
}

}  // namespace embkit
