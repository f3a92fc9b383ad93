// The int8 score tile of exact search on int8 codes, for each instruction-set level: portable code,
// AVX2 (vpmaddubsw on |q| and sign(q) * x, then vpmaddwd) and AVX-512 VNNI (vpdpbusd). Every level
// computes the same exact integer dot products and turns them into floats with the same two
// multiplications, so all levels give bit-identical scores.
//
// Query panel layout (shared by every level): queries are packed `width` at a time, dimension
// groups of four bytes per query: panel[(g * width + lane) * 4 + b] = code of dimension 4g + b of
// query `lane` (signed, in [-127, 127]; zero beyond the dimension). One 32-bit lane of a vector
// register therefore holds four consecutive dimensions of one query, which is what vpdpbusd and
// vpmaddwd sum over.
//
// vpdpbusd multiplies unsigned by signed bytes: the kernel flips the query's sign bit (q + 128, in
// [1, 255]) and subtracts 128 * sum(row codes), precomputed per row, from the integer sum.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/isa.h"

namespace embkit::kernels {

enum class Int8Level { Generic = 0, Avx2 = 1, Avx512Vnni = 2 };

struct Int8Tile {
  const int8_t* panel = nullptr;  // see above
  size_t groups = 0;              // dimension groups of 4 (rows are zero-padded to 4 * groups)
  const int8_t* const* rows = nullptr;  // tile_rows pointers (repeat a row to pad a short tile)
  const int32_t* row_sums = nullptr;    // per tile row: sum of its codes
  const float* row_scales = nullptr;    // per tile row
  const float* query_scales = nullptr;  // per query lane
  const float* thresholds = nullptr;    // per query lane; only scores strictly above matter
  float* out = nullptr;  // out[r * width + lane] = float(dot) * query_scale * row_scale, when true
};

struct Int8KernelTable {
  Int8Level level;
  const char* name;
  size_t query_lanes;  // int32 lanes per vector register; a panel is 2 registers wide
  size_t tile_rows;
  // Computes the tile; when some score beats its query's threshold, writes all scores to tile.out
  // and returns true.
  bool (*score_tile)(const Int8Tile& tile);
};

inline constexpr size_t kInt8MaxTileRows = 12;
inline constexpr size_t kInt8MaxPanelWidth = 32;

bool int8_level_supported(Int8Level level);
// The table of a supported level.
const Int8KernelTable& int8_kernel_table(Int8Level level);
// The int8 level of a float-kernel level: avx512 uses VNNI when the CPU has it, AVX2 otherwise.
Int8Level int8_level_for(Isa isa);
// The table of int8_level_for(active_isa()), so EMBKIT_ISA lowers it too.
const Int8KernelTable& active_int8_kernels();

extern const Int8KernelTable kInt8GenericKernels;
#if defined(__x86_64__)
extern const Int8KernelTable kInt8Avx2Kernels;
extern const Int8KernelTable kInt8VnniKernels;
#endif

}  // namespace embkit::kernels
