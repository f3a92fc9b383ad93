// Decompression on a background thread, overlapped with tokenising on the caller's thread: a
// producer fills a small fixed pool of blocks from a DecompressStream, the consumer takes them in
// order and hands each back when done. Memory is the pool, whatever the file's size.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "text/decompress_stream.h"

namespace embkit {

class ChunkPrefetcher {
 public:
  static constexpr size_t kDefaultBlockBytes = size_t{1} << 20;
  static constexpr size_t kDefaultBlocks = 4;

  struct Chunk {
    char* data = nullptr;  // writable; data[size] is writable too (room for a sentinel)
    size_t size = 0;       // 0 = end of the file
  };

  // Opens the file on the calling thread (throws IoError) and starts the producer.
  explicit ChunkPrefetcher(const std::string& path, size_t block_bytes = kDefaultBlockBytes,
                           size_t blocks = kDefaultBlocks);
  ~ChunkPrefetcher();
  ChunkPrefetcher(const ChunkPrefetcher&) = delete;
  ChunkPrefetcher& operator=(const ChunkPrefetcher&) = delete;

  // Hands the previous chunk back and returns the next one, waiting for it if needed. Once the data
  // before a decoding error is used up, rethrows that error (CorruptStreamError or IoError).
  Chunk next();

  uint64_t file_bytes() const { return file_bytes_; }
  // Compressed bytes behind the chunks returned so far.
  uint64_t bytes_consumed() const { return bytes_consumed_; }
  // Memory held by the block pool.
  size_t buffered_bytes() const { return blocks_.size() * (block_bytes_ + 1); }

 private:
  struct Filled {
    size_t block;
    size_t size;
    uint64_t bytes_consumed;
  };

  void produce();

  std::unique_ptr<DecompressStream> stream_;
  size_t block_bytes_;
  uint64_t file_bytes_ = 0;
  uint64_t bytes_consumed_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<size_t> free_blocks_;
  std::deque<Filled> filled_;
  bool producer_done_ = false;
  bool stopping_ = false;
  std::exception_ptr error_;
  size_t held_block_ = SIZE_MAX;  // the block the consumer is reading
  std::thread producer_;
};

}  // namespace embkit
