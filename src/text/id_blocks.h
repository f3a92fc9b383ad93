// IdBlocks: a growing sequence of word ids for corpora of billions of tokens.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace embkit {

// A growing sequence of ids stored in fixed 4 MB blocks: no reallocation copies, no 2x overshoot.
// Each block is its own anonymous mapping (not heap memory, which the allocator may keep after a
// free), so releasing a block while the final ids are written returns its memory at once.
class IdBlocks {
 public:
  static constexpr size_t kBlockIds = size_t{1} << 20;
  static constexpr size_t kBlockBytes = kBlockIds * sizeof(uint32_t);

  IdBlocks() = default;
  IdBlocks(const IdBlocks&) = delete;
  IdBlocks& operator=(const IdBlocks&) = delete;
  ~IdBlocks() {
    for (size_t block = 0; block < blocks_.size(); ++block) release(block);
  }

  void push(uint32_t id) {
    if (fill_ == kBlockIds) add_block();
    blocks_.back()[fill_++] = id;
  }
  size_t block_count() const { return blocks_.size(); }
  size_t block_size(size_t block) const { return block + 1 == blocks_.size() ? fill_ : kBlockIds; }
  const uint32_t* block(size_t block) const { return blocks_[block]; }
  void release(size_t block) {
    if (blocks_[block]) ::munmap(blocks_[block], kBlockBytes);
    blocks_[block] = nullptr;
  }

 private:
  void add_block() {
    void* memory =
        ::mmap(nullptr, kBlockBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    blocks_.push_back(static_cast<uint32_t*>(memory));
    fill_ = 0;
  }

  std::vector<uint32_t*> blocks_;
  size_t fill_ = kBlockIds;
};

}  // namespace embkit
