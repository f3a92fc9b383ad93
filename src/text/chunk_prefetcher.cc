#include "text/chunk_prefetcher.h"

namespace embkit {

ChunkPrefetcher::ChunkPrefetcher(const std::string& path, size_t block_bytes, size_t blocks)
    : stream_(std::make_unique<DecompressStream>(path)), block_bytes_(block_bytes) {
  file_bytes_ = stream_->file_bytes();
  for (size_t i = 0; i < blocks; ++i) {
    blocks_.push_back(std::make_unique<char[]>(block_bytes_ + 1));
    free_blocks_.push_back(i);
  }
  producer_ = std::thread([this] { produce(); });
}

ChunkPrefetcher::~ChunkPrefetcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  producer_.join();
}

void ChunkPrefetcher::produce() {
  for (;;) {
    size_t block;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !free_blocks_.empty(); });
      if (stopping_) return;
      block = free_blocks_.front();
      free_blocks_.pop_front();
    }
    size_t size = 0;
    std::exception_ptr error;
    try {
      size = stream_->read(blocks_[block].get(), block_bytes_);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      if (size > 0)
        filled_.push_back({block, size, stream_->bytes_consumed()});
      else
        free_blocks_.push_back(block);
      // A short block means the end of the file.
      if (error || size < block_bytes_) {
        error_ = error;
        producer_done_ = true;
      }
    }
    changed_.notify_all();
    if (producer_done_) return;
  }
}

ChunkPrefetcher::Chunk ChunkPrefetcher::next() {
  std::unique_lock lock(mutex_);
  if (held_block_ != SIZE_MAX) {
    free_blocks_.push_back(held_block_);
    held_block_ = SIZE_MAX;
    changed_.notify_all();
  }
  changed_.wait(lock, [&] { return !filled_.empty() || producer_done_; });
  if (filled_.empty()) {
    if (error_) std::rethrow_exception(error_);
    return {};
  }
  Filled filled = filled_.front();
  filled_.pop_front();
  held_block_ = filled.block;
  bytes_consumed_ = filled.bytes_consumed;
  return {blocks_[filled.block].get(), filled.size};
}

}  // namespace embkit
