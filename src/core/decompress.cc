#include "core/decompress.h"

#include <fmt/format.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>

#include "core/mapped_file.h"
#include "embkit/error.h"

namespace embkit {

size_t& decompressed_size_limit() {
  static size_t limit = MappedFile::max_stream_bytes();
  return limit;
}

namespace {

// Grows `out` geometrically up to decompressed_size_limit(); returns the writable tail.
struct OutputBuffer {
  std::string bytes;
  size_t used = 0;
  std::string_view path;
  size_t limit = decompressed_size_limit();

  OutputBuffer(size_t initial, std::string_view path) : path(path) {
    bytes.resize(std::min(std::max<size_t>(initial, 1 << 16), std::max<size_t>(limit, 1)));
  }
  char* tail() { return bytes.data() + used; }
  size_t room() const { return bytes.size() - used; }
  void make_room() {
    if (room() >= (1 << 16) || (room() > 0 && bytes.size() >= limit)) return;
    if (bytes.size() >= limit)
      throw FormatError(path, fmt::format("decompresses to more than {} (the limit is half the "
                                          "memory); decompress it to a file and read that",
                                          limit >= (1 << 20) ? fmt::format("{} MiB", limit >> 20)
                                                             : fmt::format("{} bytes", limit)));
    bytes.resize(std::min(bytes.size() * 2, limit));
  }
  std::string finish() {
    bytes.resize(used);
    return std::move(bytes);
  }
};

[[noreturn]] void throw_truncated(std::string_view path, std::string_view kind) {
  throw FormatError(
      path, fmt::format("{} data is truncated (unexpected end of compressed stream)", kind));
}

std::string gunzip(std::string_view data, std::string_view path, size_t max_output) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 32) != Z_OK) throw FormatError(path, "cannot initialise zlib");
  struct Ender {
    z_stream* s;
    ~Ender() { inflateEnd(s); }
  } ender{&stream};
  OutputBuffer out(data.size() * 4, path);
  const auto* input = reinterpret_cast<const Bytef*>(data.data());
  size_t consumed = 0;
  for (;;) {
    if (max_output && out.used >= max_output) return out.finish();
    out.make_room();
    size_t in_chunk = std::min<size_t>(data.size() - consumed, UINT_MAX);
    stream.next_in = const_cast<Bytef*>(input + consumed);
    stream.avail_in = static_cast<uInt>(in_chunk);
    stream.next_out = reinterpret_cast<Bytef*>(out.tail());
    stream.avail_out = static_cast<uInt>(std::min<size_t>(out.room(), UINT_MAX));
    size_t out_before = stream.avail_out;
    int status = inflate(&stream, Z_NO_FLUSH);
    consumed += in_chunk - stream.avail_in;
    out.used += out_before - stream.avail_out;
    if (status == Z_STREAM_END) {
      // Another gzip member may follow (files made with `cat a.gz b.gz`).
      if (consumed == data.size()) return out.finish();
      if (inflateReset(&stream) != Z_OK) throw FormatError(path, "cannot reset zlib");
      continue;
    }
    if (status == Z_BUF_ERROR && consumed == data.size()) {
      if (max_output) return out.finish();
      throw_truncated(path, "gzip");
    }
    if (status != Z_OK && status != Z_BUF_ERROR)
      throw FormatError(path, fmt::format("corrupt gzip data: {}", stream.msg ? stream.msg : "?"));
  }
}

std::string unxz(std::string_view data, std::string_view path, size_t max_output) {
  lzma_stream stream = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&stream, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
    throw FormatError(path, "cannot initialise the xz decoder");
  struct Ender {
    lzma_stream* s;
    ~Ender() { lzma_end(s); }
  } ender{&stream};
  OutputBuffer out(data.size() * 4, path);
  stream.next_in = reinterpret_cast<const uint8_t*>(data.data());
  stream.avail_in = data.size();
  for (;;) {
    if (max_output && out.used >= max_output) return out.finish();
    out.make_room();
    stream.next_out = reinterpret_cast<uint8_t*>(out.tail());
    stream.avail_out = out.room();
    size_t out_before = stream.avail_out;
    lzma_ret status = lzma_code(&stream, stream.avail_in ? LZMA_RUN : LZMA_FINISH);
    out.used += out_before - stream.avail_out;
    if (status == LZMA_STREAM_END) return out.finish();
    if (status == LZMA_BUF_ERROR ||
        (status == LZMA_OK && stream.avail_in == 0 && out_before == stream.avail_out)) {
      if (max_output) return out.finish();
      throw_truncated(path, "xz");
    }
    if (status != LZMA_OK)
      throw FormatError(path, fmt::format("corrupt xz data (code {})", int(status)));
  }
}

std::string unzstd(std::string_view data, std::string_view path, size_t max_output) {
  ZSTD_DStream* stream = ZSTD_createDStream();
  if (!stream) throw FormatError(path, "cannot initialise the zstd decoder");
  struct Ender {
    ZSTD_DStream* s;
    ~Ender() { ZSTD_freeDStream(s); }
  } ender{stream};
  unsigned long long declared = ZSTD_getFrameContentSize(data.data(), data.size());
  size_t initial = data.size() * 4;
  // The declared size sizes the buffer only while it is plausible: a frame header is a few bytes
  // anyone can write, and a forged one must not allocate gigabytes up front (the buffer still
  // grows to the real size).
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR &&
      declared <= data.size() * 64 + (1u << 20))
    initial = static_cast<size_t>(declared) + 1;
  if (max_output) initial = std::min(initial, max_output + 1);
  OutputBuffer out(initial, path);
  ZSTD_inBuffer input{data.data(), data.size(), 0};
  // Feed all input; once it is consumed, a hint of 0 means the last frame is complete, otherwise
  // the decoder may still hold output: drain it until it stops making progress.
  size_t last_hint = 0;
  while (input.pos < input.size || last_hint != 0) {
    if (max_output && out.used >= max_output) return out.finish();
    out.make_room();
    ZSTD_outBuffer output{out.tail(), out.room(), 0};
    bool input_consumed = input.pos == input.size;
    last_hint = ZSTD_decompressStream(stream, &output, &input);
    if (ZSTD_isError(last_hint))
      throw FormatError(path, fmt::format("corrupt zstd data: {}", ZSTD_getErrorName(last_hint)));
    out.used += output.pos;
    if (input_consumed && output.pos == 0) break;
  }
  if (last_hint != 0 && !max_output) throw_truncated(path, "zstd");
  return out.finish();
}

}  // namespace

Compression detect_compression(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  if (starts("\x1f\x8b")) return Compression::Gzip;
  if (starts(std::string_view("\xfd"
                              "7zXZ\0",
                              6)))
    return Compression::Xz;
  if (starts("\x28\xb5\x2f\xfd")) return Compression::Zstd;
  return Compression::None;
}

std::string_view compression_name(Compression compression) {
  switch (compression) {
    case Compression::Gzip:
      return "gzip";
    case Compression::Xz:
      return "xz";
    case Compression::Zstd:
      return "zstd";
    case Compression::None:
      break;
  }
  return "none";
}

std::string decompress(std::string_view data, Compression compression, std::string_view path,
                       size_t max_output) {
  switch (compression) {
    case Compression::Gzip:
      return gunzip(data, path, max_output);
    case Compression::Xz:
      return unxz(data, path, max_output);
    case Compression::Zstd:
      return unzstd(data, path, max_output);
    case Compression::None:
      break;
  }
  return std::string(data);
}

}  // namespace embkit
