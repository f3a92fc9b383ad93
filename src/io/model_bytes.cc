#include "io/model_bytes.h"

#include "io/utf8.h"

namespace embkit {

ModelBytes model_bytes_of(std::shared_ptr<const MappedFile> file) {
  Compression compression = detect_compression(file->bytes());
  if (compression == Compression::None) {
    std::string_view bytes = strip_utf8_bom(file->bytes());
    return {std::move(file), bytes, compression};
  }
  auto text = std::make_shared<const std::string>(decompress(file->bytes(), compression, file->path()));
  return {text, strip_utf8_bom(*text), compression};
}

ModelBytes read_model_bytes(const std::string& path, MappedFile::Access access) {
  return model_bytes_of(MappedFile::open(path, access));
}

std::string model_head_of(std::string_view head, bool whole, const std::string& path,
                          size_t max_bytes) {
  Compression compression = detect_compression(head);
  if (compression == Compression::None) return std::string(strip_utf8_bom(head.substr(0, max_bytes)));
  std::string text = decompress(head, compression, path, max_bytes);
  // A short result of a whole file means the stream ended early: decompress it fully to report a
  // truncated stream.
  if (whole && text.size() < max_bytes) text = decompress(head, compression, path);
  if (text.size() > max_bytes) text.resize(max_bytes);
  return std::string(strip_utf8_bom(text));
}

std::string read_model_head(const std::string& path, size_t max_bytes) {
  auto file = MappedFile::open(path, MappedFile::Access::Random);
  return model_head_of(file->bytes(), true, path, max_bytes);
}

}  // namespace embkit
