// The kernels written once over a small SIMD vocabulary. Each instruction-set level includes this
// file inside an anonymous namespace, after including its intrinsics and defining `struct Simd`
// (vector type V, lane count, loads, fused multiply-add, horizontal sum, lane comparisons) and the
// double-precision helpers for sum_squares; the functions below are then compiled for that level
// only and cannot be merged with another level's copy by the linker.
//
// Every kernel accumulates a given output in one fixed order that does not depend on how callers
// split the work (number of rows per call, thread count), so search results are reproducible.
//
// No #include here on purpose: the including file provides <cstddef> and the intrinsics, and any
// standard header pulled in after its `#pragma GCC target` would be compiled for the wrong level.

using V = Simd::V;
constexpr size_t kLanes = Simd::kLanes;

float dot_impl(const float* a, const float* b, size_t n) {
  V s0 = Simd::zero(), s1 = Simd::zero(), s2 = Simd::zero(), s3 = Simd::zero();
  size_t i = 0;
  for (; i + 4 * kLanes <= n; i += 4 * kLanes) {
    s0 = Simd::fmadd(Simd::load(a + i), Simd::load(b + i), s0);
    s1 = Simd::fmadd(Simd::load(a + i + kLanes), Simd::load(b + i + kLanes), s1);
    s2 = Simd::fmadd(Simd::load(a + i + 2 * kLanes), Simd::load(b + i + 2 * kLanes), s2);
    s3 = Simd::fmadd(Simd::load(a + i + 3 * kLanes), Simd::load(b + i + 3 * kLanes), s3);
  }
  for (; i + kLanes <= n; i += kLanes) s0 = Simd::fmadd(Simd::load(a + i), Simd::load(b + i), s0);
  if (i < n)
    s1 = Simd::fmadd(Simd::load_partial(a + i, n - i), Simd::load_partial(b + i, n - i), s1);
  return Simd::sum(Simd::add(Simd::add(s0, s1), Simd::add(s2, s3)));
}

float squared_l2_impl(const float* a, const float* b, size_t n) {
  V s0 = Simd::zero(), s1 = Simd::zero(), s2 = Simd::zero(), s3 = Simd::zero();
  size_t i = 0;
  auto step = [&](size_t at, V acc) {
    V d = Simd::sub(Simd::load(a + at), Simd::load(b + at));
    return Simd::fmadd(d, d, acc);
  };
  for (; i + 4 * kLanes <= n; i += 4 * kLanes) {
    s0 = step(i, s0);
    s1 = step(i + kLanes, s1);
    s2 = step(i + 2 * kLanes, s2);
    s3 = step(i + 3 * kLanes, s3);
  }
  for (; i + kLanes <= n; i += kLanes) s0 = step(i, s0);
  if (i < n) {
    V d = Simd::sub(Simd::load_partial(a + i, n - i), Simd::load_partial(b + i, n - i));
    s1 = Simd::fmadd(d, d, s1);
  }
  return Simd::sum(Simd::add(Simd::add(s0, s1), Simd::add(s2, s3)));
}

void axpy_impl(float alpha, const float* x, float* y, size_t n) {
  V a = Simd::set1(alpha);
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    Simd::store(y + i, Simd::fmadd(a, Simd::load(x + i), Simd::load(y + i)));
  if (i < n) {
    V r = Simd::fmadd(a, Simd::load_partial(x + i, n - i), Simd::load_partial(y + i, n - i));
    Simd::store_partial(y + i, r, n - i);
  }
}

double sum_squares_impl(const float* a, size_t n) {
  using D = Simd::D;
  constexpr size_t kDoubleLanes = Simd::kDoubleLanes;
  D s0 = Simd::zero_d(), s1 = Simd::zero_d();
  size_t i = 0;
  for (; i + 2 * kDoubleLanes <= n; i += 2 * kDoubleLanes) {
    D x0 = Simd::load_widen(a + i), x1 = Simd::load_widen(a + i + kDoubleLanes);
    s0 = Simd::fmadd_d(x0, x0, s0);
    s1 = Simd::fmadd_d(x1, x1, s1);
  }
  if (i < n) {
    size_t rest = n - i;
    D x0 = Simd::load_widen_partial(a + i, rest < kDoubleLanes ? rest : kDoubleLanes);
    s0 = Simd::fmadd_d(x0, x0, s0);
    if (rest > kDoubleLanes) {
      D x1 = Simd::load_widen_partial(a + i + kDoubleLanes, rest - kDoubleLanes);
      s1 = Simd::fmadd_d(x1, x1, s1);
    }
  }
  return Simd::sum_d(Simd::add_d(s0, s1));
}

// kGroup rows against one query, one accumulator per row: a row's score does not depend on which
// group it falls in.
template <size_t kGroup>
void dot_row_group(const float* query, const float* rows, size_t stride, size_t dim, float* out) {
  V acc[kGroup];
  for (size_t g = 0; g < kGroup; ++g) acc[g] = Simd::zero();
  size_t j = 0;
  for (; j + kLanes <= dim; j += kLanes) {
    V q = Simd::load(query + j);
    for (size_t g = 0; g < kGroup; ++g)
      acc[g] = Simd::fmadd(q, Simd::load(rows + g * stride + j), acc[g]);
  }
  if (j < dim) {
    V q = Simd::load_partial(query + j, dim - j);
    for (size_t g = 0; g < kGroup; ++g)
      acc[g] = Simd::fmadd(q, Simd::load_partial(rows + g * stride + j, dim - j), acc[g]);
  }
  for (size_t g = 0; g < kGroup; ++g) out[g] = Simd::sum(acc[g]);
}

void dot_rows_impl(const float* query, const float* rows, size_t stride, size_t count, size_t dim,
                   float* out) {
  constexpr size_t kGroup = 8;
  size_t i = 0;
  for (; i + kGroup <= count; i += kGroup)
    dot_row_group<kGroup>(query, rows + i * stride, stride, dim, out + i);
  for (; i < count; ++i) dot_row_group<1>(query, rows + i * stride, stride, dim, out + i);
}

// The register-blocked micro-kernel of exact search (hot loop): kTileRows rows x kVectors vectors
// of queries, one fused multiply-add per (row, vector) and dimension, the base coordinate broadcast
// from the row in place. Each score is one multiply-add chain over d = 0, 1, ..., dim-1.
template <size_t kVectors, bool kRowOffset>
bool score_tile_fixed(const ScoreTile& tile) {
  constexpr size_t kRows = Simd::kTileRows;
  constexpr size_t kWidth = kVectors * kLanes;
  V acc[kRows][kVectors];
  const float* rows[kRows];
  for (size_t r = 0; r < kRows; ++r) {
    rows[r] = tile.rows[r];
    for (size_t v = 0; v < kVectors; ++v) acc[r][v] = Simd::zero();
  }
  const float* panel = tile.panel;
  for (size_t d = 0; d < tile.dim; ++d, panel += kWidth) {
    V q[kVectors];
    for (size_t v = 0; v < kVectors; ++v) q[v] = Simd::load(panel + v * kLanes);
    for (size_t r = 0; r < kRows; ++r) {
      V x = Simd::set1(rows[r][d]);
      for (size_t v = 0; v < kVectors; ++v) acc[r][v] = Simd::fmadd(q[v], x, acc[r][v]);
    }
  }
  if constexpr (kRowOffset) {
    for (size_t r = 0; r < kRows; ++r) {
      V offset = Simd::set1(tile.row_offset[r]);
      for (size_t v = 0; v < kVectors; ++v) acc[r][v] = Simd::sub(acc[r][v], offset);
    }
  }
  V threshold[kVectors];
  for (size_t v = 0; v < kVectors; ++v) threshold[v] = Simd::load(tile.thresholds + v * kLanes);
  unsigned above = 0;
  for (size_t r = 0; r < kRows; ++r)
    for (size_t v = 0; v < kVectors; ++v) above |= Simd::greater_bits(acc[r][v], threshold[v]);
  if (above == 0) return false;
  for (size_t r = 0; r < kRows; ++r)
    for (size_t v = 0; v < kVectors; ++v)
      Simd::store(tile.out + r * kWidth + v * kLanes, acc[r][v]);
  return true;
}

bool score_tile_impl(const ScoreTile& tile) {
  if (tile.panel_vectors == 1)
    return tile.row_offset ? score_tile_fixed<1, true>(tile) : score_tile_fixed<1, false>(tile);
  return tile.row_offset ? score_tile_fixed<2, true>(tile) : score_tile_fixed<2, false>(tile);
}

// The half-float conversions are not written over Simd: the SIMD levels share the F16C loops of
// half_conversions_f16c.h, the portable level converts one value at a time.
constexpr KernelTable make_table(Isa isa, void (*to_halves)(const float*, uint16_t*, size_t),
                                 void (*to_floats)(const uint16_t*, float*, size_t)) {
  return KernelTable{isa,       kLanes,           Simd::kTileRows, dot_impl,        squared_l2_impl,
                     axpy_impl, sum_squares_impl, dot_rows_impl,   score_tile_impl, to_halves,
                     to_floats};
}
