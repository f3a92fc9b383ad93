#include "text/decompress_stream.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "embkit/error.h"
#include "io/utf8.h"

namespace embkit {

// One step of a streaming decoder. `decode` consumes some of `in` and produces some of `out`;
// `input_finished` says no input follows what is given. It returns true once the compressed data
// has ended cleanly and everything has been produced.
class DecompressStream::Decoder {
 public:
  virtual ~Decoder() = default;
  virtual bool decode(const char* in, size_t in_size, size_t& consumed, char* out, size_t out_size,
                      size_t& produced, bool input_finished) = 0;
};

namespace {

[[noreturn]] void throw_truncated(std::string_view kind) {
  throw CorruptStreamError(
      fmt::format("{} data is truncated (unexpected end of compressed stream)", kind));
}

class GzipDecoder final : public DecompressStream::Decoder {
 public:
  GzipDecoder() {
    // 15 + 32: a 32 KB window with automatic gzip / zlib header detection.
    if (inflateInit2(&stream_, 15 + 32) != Z_OK) throw CorruptStreamError("cannot initialise zlib");
  }
  ~GzipDecoder() override { inflateEnd(&stream_); }

  bool decode(const char* in, size_t in_size, size_t& consumed, char* out, size_t out_size,
              size_t& produced, bool input_finished) override {
    if (in_size == 0 && member_ended_) return input_finished;
    if (member_ended_) {
      // Another gzip member follows (files made with `cat a.gz b.gz`).
      if (inflateReset(&stream_) != Z_OK) throw CorruptStreamError("cannot reset zlib");
      member_ended_ = false;
    }
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
    stream_.avail_in = static_cast<uInt>(std::min<size_t>(in_size, UINT_MAX));
    stream_.next_out = reinterpret_cast<Bytef*>(out);
    stream_.avail_out = static_cast<uInt>(std::min<size_t>(out_size, UINT_MAX));
    const uInt in_before = stream_.avail_in;
    const uInt out_before = stream_.avail_out;
    int status = inflate(&stream_, Z_NO_FLUSH);
    consumed = in_before - stream_.avail_in;
    produced = out_before - stream_.avail_out;
    if (status == Z_STREAM_END) {
      member_ended_ = true;
      return input_finished && consumed == in_size;
    }
    if (status == Z_BUF_ERROR || (status == Z_OK && consumed == 0 && produced == 0)) {
      if (input_finished && consumed == in_size) throw_truncated("gzip");
      return false;
    }
    if (status != Z_OK)
      throw CorruptStreamError(
          fmt::format("corrupt gzip data: {}", stream_.msg ? stream_.msg : "unknown error"));
    return false;
  }

 private:
  z_stream stream_{};
  bool member_ended_ = false;
};

class XzDecoder final : public DecompressStream::Decoder {
 public:
  XzDecoder() {
    if (lzma_stream_decoder(&stream_, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
      throw CorruptStreamError("cannot initialise the xz decoder");
  }
  ~XzDecoder() override { lzma_end(&stream_); }

  bool decode(const char* in, size_t in_size, size_t& consumed, char* out, size_t out_size,
              size_t& produced, bool input_finished) override {
    stream_.next_in = reinterpret_cast<const uint8_t*>(in);
    stream_.avail_in = in_size;
    stream_.next_out = reinterpret_cast<uint8_t*>(out);
    stream_.avail_out = out_size;
    // LZMA_CONCATENATED only reports the end once told that no more input follows.
    const bool last_input = input_finished;
    lzma_ret status = lzma_code(&stream_, last_input ? LZMA_FINISH : LZMA_RUN);
    consumed = in_size - stream_.avail_in;
    produced = out_size - stream_.avail_out;
    if (status == LZMA_STREAM_END) return true;
    if (status == LZMA_BUF_ERROR) {
      if (last_input) throw_truncated("xz");
      return false;
    }
    if (status == LZMA_OK) {
      if (last_input && consumed == 0 && produced == 0 && stream_.avail_in == 0)
        throw_truncated("xz");
      return false;
    }
    if (status == LZMA_FORMAT_ERROR) throw CorruptStreamError("corrupt xz data (not an xz stream)");
    if (status == LZMA_DATA_ERROR) throw CorruptStreamError("corrupt xz data");
    if (status == LZMA_MEM_ERROR) throw CorruptStreamError("out of memory while decoding xz data");
    throw CorruptStreamError(fmt::format("corrupt xz data (liblzma code {})", int(status)));
  }

 private:
  lzma_stream stream_ = LZMA_STREAM_INIT;
};

class ZstdDecoder final : public DecompressStream::Decoder {
 public:
  ZstdDecoder() : stream_(ZSTD_createDStream()) {
    if (!stream_) throw CorruptStreamError("cannot initialise the zstd decoder");
  }
  ~ZstdDecoder() override { ZSTD_freeDStream(stream_); }

  bool decode(const char* in, size_t in_size, size_t& consumed, char* out, size_t out_size,
              size_t& produced, bool input_finished) override {
    // Between frames with no input left: calling the decoder again would make it wait for
    // another frame header.
    if (in_size == 0 && frame_complete_) {
      consumed = produced = 0;
      return input_finished;
    }
    ZSTD_inBuffer input{in, in_size, 0};
    ZSTD_outBuffer output{out, out_size, 0};
    size_t hint = ZSTD_decompressStream(stream_, &output, &input);
    if (ZSTD_isError(hint))
      throw CorruptStreamError(fmt::format("corrupt zstd data: {}", ZSTD_getErrorName(hint)));
    consumed = input.pos;
    produced = output.pos;
    // A hint of 0 means a frame is complete and fully flushed.
    frame_complete_ = hint == 0;
    const bool all_input = input_finished && consumed == in_size;
    if (all_input && frame_complete_) return true;
    if (all_input && produced == 0 && !frame_complete_ && output.pos < output.size)
      throw_truncated("zstd");
    return false;
  }

 private:
  ZSTD_DStream* stream_;
  bool frame_complete_ = false;
};

}  // namespace

DecompressStream::DecompressStream(const std::string& path)
    : path_(path), input_(new char[kInputBufferBytes]) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw IoError("open", path, errno);
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    int error = errno;
    ::close(fd_);
    throw IoError("read", path, error);
  }
  if (S_ISDIR(info.st_mode)) {
    ::close(fd_);
    throw IoError("read", path, EISDIR);
  }
  file_bytes_ = static_cast<uint64_t>(info.st_size);
  try {
    refill_input();
    compression_ = detect_compression(std::string_view(input_.get(), input_end_));
    switch (compression_) {
      case Compression::Gzip:
        decoder_ = std::make_unique<GzipDecoder>();
        break;
      case Compression::Xz:
        decoder_ = std::make_unique<XzDecoder>();
        break;
      case Compression::Zstd:
        decoder_ = std::make_unique<ZstdDecoder>();
        break;
      case Compression::None:
        break;
    }
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

DecompressStream::~DecompressStream() {
  if (fd_ >= 0) ::close(fd_);
}

bool DecompressStream::refill_input() {
  if (input_begin_ < input_end_) return true;
  input_begin_ = input_end_ = 0;
  while (!input_at_eof_) {
    ssize_t got = ::read(fd_, input_.get(), kInputBufferBytes);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw IoError("read", path_, errno);
    }
    if (got == 0) {
      input_at_eof_ = true;
      break;
    }
    input_end_ = static_cast<size_t>(got);
    bytes_consumed_ += input_end_;
    return true;
  }
  return false;
}

size_t DecompressStream::read(char* out, size_t capacity) {
  size_t total = read_decoded(out, capacity);
  if (at_start_) {
    // A UTF-8 byte order mark is not text: without this the first word would carry it.
    at_start_ = false;
    if (std::string_view(out, total).starts_with(kUtf8ByteOrderMark)) {
      total -= kUtf8ByteOrderMark.size();
      std::memmove(out, out + kUtf8ByteOrderMark.size(), total);
      total += read_decoded(out + total, capacity - total);
    }
  }
  return total;
}

size_t DecompressStream::read_decoded(char* out, size_t capacity) {
  size_t total = 0;
  if (!decoder_) {
    // Plain text: hand out what the detection read, then read straight into `out`.
    while (total < capacity && refill_input()) {
      size_t n = std::min(capacity - total, input_end_ - input_begin_);
      std::memcpy(out + total, input_.get() + input_begin_, n);
      input_begin_ += n;
      total += n;
    }
    return total;
  }
  while (total < capacity && !stream_ended_) {
    refill_input();
    size_t consumed = 0, produced = 0;
    stream_ended_ =
        decoder_->decode(input_.get() + input_begin_, input_end_ - input_begin_, consumed,
                         out + total, capacity - total, produced, input_at_eof_);
    input_begin_ += consumed;
    total += produced;
  }
  return total;
}

}  // namespace embkit
