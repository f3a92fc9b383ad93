#include "io/model_bytes.h"

namespace embkit {

ModelBytes read_model_bytes(const std::string& path, MappedFile::Access access) {
  auto file = MappedFile::open(path, access);
  Compression compression = detect_compression(file->bytes());
  if (compression == Compression::None) return {file, file->bytes(), compression};
  auto text = std::make_shared<const std::string>(decompress(file->bytes(), compression, path));
  return {text, *text, compression};
}

std::string read_model_head(const std::string& path, size_t max_bytes) {
  auto file = MappedFile::open(path, MappedFile::Access::Random);
  Compression compression = detect_compression(file->bytes());
  std::string head = compression == Compression::None
                         ? std::string(file->bytes().substr(0, max_bytes))
                         : decompress(file->bytes(), compression, path, max_bytes);
  // A short result means the stream ended early: decompress it fully to report a truncated stream.
  if (compression != Compression::None && head.size() < max_bytes)
    head = decompress(file->bytes(), compression, path);
  if (head.size() > max_bytes) head.resize(max_bytes);
  return head;
}

}  // namespace embkit
