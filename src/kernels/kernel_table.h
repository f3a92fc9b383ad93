// The table of kernels for one instruction-set level. Each level (generic, AVX2+FMA, AVX-512) fills
// one table in its own translation unit, compiled for that level (target_region.h); callers fetch
// the table once and call through it, so the dispatch costs one indirect call per kernel
// invocation, not per element.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/isa.h"

namespace embkit::kernels {

// One register tile of the exact-search engine: a panel of queries against `tile_rows` base rows.
// The panel holds panel_vectors * query_lanes queries interleaved dimension by dimension:
// panel[d * width + lane] is coordinate d of query `lane` (width = panel_vectors * query_lanes).
// Base rows are read in place (row-major, any stride, unaligned), one pointer per row.
struct ScoreTile {
  const float* panel = nullptr;
  size_t panel_vectors = 1;            // 1 or 2 vector registers of queries
  const float* const* rows = nullptr;  // tile_rows pointers (repeat a row to pad a short tile)
  size_t dim = 0;
  // When set, score = dot - row_offset[r] (exact L2 search maximises x.q - |x|^2/2).
  const float* row_offset = nullptr;
  const float* thresholds = nullptr;  // per query lane; only scores strictly above matter
  float* out = nullptr;               // out[r * width + lane] when the tile returns true
};

struct KernelTable {
  Isa isa;
  size_t query_lanes;  // floats per vector register
  size_t tile_rows;    // base rows per score tile
  float (*dot)(const float* a, const float* b, size_t n);
  float (*squared_l2)(const float* a, const float* b, size_t n);
  void (*axpy)(float alpha, const float* x, float* y, size_t n);
  double (*sum_squares)(const float* a, size_t n);
  // out[i] = dot(query, rows + i * stride) for i < count.
  void (*dot_rows)(const float* query, const float* rows, size_t stride, size_t count, size_t dim,
                   float* out);
  // Computes the tile; when some score beats its query's threshold, writes all scores to tile.out
  // and returns true (most tiles return false without touching memory).
  bool (*score_tile)(const ScoreTile& tile);
  // IEEE binary16 conversions, round to nearest even; every level gives the same bits as
  // embkit::float_to_half / half_to_float.
  void (*to_halves)(const float* in, uint16_t* out, size_t n);
  void (*to_floats)(const uint16_t* in, float* out, size_t n);
};

inline constexpr size_t kMaxTileRows = 12;
inline constexpr size_t kMaxPanelWidth = 32;

// The table of a level; the level must be supported (isa_supported).
const KernelTable& kernel_table(Isa isa);
// The table of active_isa().
const KernelTable& active_kernels();

extern const KernelTable kGenericKernels;
#if defined(__x86_64__)
extern const KernelTable kAvx2Kernels;
extern const KernelTable kAvx512Kernels;
#endif

}  // namespace embkit::kernels
