// load() and save(): choose the format (given, or detected from content / extension) and dispatch
// to the reader or writer of that format.
#include "embkit/io.h"

#include <fmt/format.h>

#include "embkit/error.h"
#include "io/detect.h"
#include "io/fasttext_bin.h"
#include "io/glove_text.h"
#include "io/model_bytes.h"
#include "io/native.h"
#include "io/npy.h"
#include "io/word2vec_binary.h"
#include "io/word2vec_text.h"

namespace embkit {

KeyedVectors load(const std::string& path, const LoadOptions& options) {
  LoadDetails details;
  return load(path, options, details);
}

KeyedVectors load(const std::string& path, const LoadOptions& options, LoadDetails& details) {
  Format format = options.format;
  // One open: the format is detected from the head of the same stream that is then parsed.
  auto file = MappedFile::open(path, [&](std::string_view head, bool whole) {
    if (format == Format::Auto)
      format = detect_format_of(model_head_of(head, whole, path, kDetectionBytes), path);
    // Parsers that read everything want the pages pre-faulted; native files and --limit do not.
    return format == Format::Native || options.limit ? MappedFile::Access::Random
                                                     : MappedFile::Access::Sequential;
  });
  details = LoadDetails{};
  details.format = format;
  details.file_bytes = file->size();
  switch (format) {
    case Format::Native:
      details.dtype = native_dtype(file, path);
      return load_native(file, path, options);
    case Format::Npy:
      return load_npy(file, path, options);
    case Format::FastText: {
      ModelBytes model = model_bytes_of(std::move(file));
      FastTextSummary summary;
      KeyedVectors vectors = load_fasttext(model.bytes, path, options, &summary);
      details.fasttext = summary;
      return vectors;
    }
    case Format::Vec:
    case Format::Glove:
    case Format::Bin: {
      ModelBytes model = model_bytes_of(std::move(file));
      if (format == Format::Vec) return load_word2vec_text(model.bytes, path, options);
      if (format == Format::Glove) return load_glove(model.bytes, path, options);
      return load_word2vec_binary(model.bytes, path, options);
    }
    case Format::Auto:
      break;
  }
  throw UsageError("no format to load with");
}

QuantizedVectors load_int8(const std::string& path, const LoadOptions& options) {
  Format format = options.format == Format::Auto ? detect_format(path) : options.format;
  if (format == Format::Native && native_dtype(path) == Dtype::I8)
    return load_native_int8(path, options);
  KeyedVectors vectors = load(path, options);
  Int8Matrix codes = quantize_int8(vectors.vectors(), options.threads);
  return {vectors.vocab().head(vectors.size()), std::move(codes)};
}

Dtype stored_dtype(const std::string& path, Format format) {
  if (format == Format::Auto) format = detect_format(path);
  return format == Format::Native ? native_dtype(path) : Dtype::F32;
}

void save(const KeyedVectors& vectors, const std::string& path, const SaveOptions& options) {
  Format format =
      options.format == Format::Auto ? format_for_output(path, vectors) : options.format;
  if (options.dtype != Dtype::F32 && format != Format::Native)
    throw UsageError(fmt::format("cannot write '{}' as {}: only the native format (.emb) stores "
                                 "f16 or i8 vectors",
                                 path, dtype_name(options.dtype)));
  switch (format) {
    case Format::Native:
      return save_native(vectors, path, options.dtype, options.threads);
    case Format::Vec:
      return save_word2vec_text(vectors, path, options.threads);
    case Format::Glove:
      return save_glove(vectors, path, options.threads);
    case Format::Bin:
      return save_word2vec_binary(vectors, path);
    case Format::Npy:
      return save_npy(vectors, path, options.labels_path);
    case Format::FastText:
      return save_fasttext(vectors, path);
    case Format::Auto:
      break;
  }
  throw UsageError("no format to save with");
}

}  // namespace embkit
