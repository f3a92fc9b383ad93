// Every instruction-set level's kernel tables against the portable level on the same inputs: the
// half-float conversions, the fused analogy scores and the int8 tile bit for bit (their arithmetic
// is exact or rounds once per value), the float reductions (word2vec updates, GloVe, the SVD's
// products, the t-SNE row) within a stated tolerance, because the SIMD levels fuse multiply-adds
// and the portable level does not. Levels the CPU lacks are skipped; on a CPU with AVX-512 all
// three levels run. (The search kernels' levels are compared in kernels_test.cc and
// int8_search_test.cc.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "count/glove_kernel.h"
#include "count/svd_kernels.h"
#include "embkit/half_float.h"
#include "geometry/tsne_kernel.h"
#include "kernels/int8_kernel_table.h"
#include "kernels/isa.h"
#include "kernels/kernel_table.h"
#include "query/fused_scores.h"
#include "train/update_kernels.h"

namespace embkit {
namespace {

using kernels::Isa;

// Float reductions: |level - portable| <= kTolerance * (1 + |portable|).
constexpr double kTolerance = 1e-5;

std::vector<Isa> simd_levels() {
  std::vector<Isa> levels;
  for (Isa isa : {Isa::Avx2, Isa::Avx512})
    if (kernels::isa_supported(isa)) levels.push_back(isa);
  return levels;
}

std::string label(Isa isa) { return kernels::isa_label(isa); }

std::vector<float> uniform(size_t n, float scale, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> value(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = value(rng);
  return v;
}

void expect_close(const std::vector<float>& expected, const std::vector<float>& actual,
                  const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i)
    ASSERT_NEAR(actual[i], expected[i], kTolerance * (1 + std::fabs(expected[i])))
        << what << " at " << i;
}

TEST(KernelLevels, TheTablesBelongToTheirLevel) {
  EXPECT_TRUE(kernels::isa_supported(Isa::Generic));
  for (Isa isa : simd_levels()) {
    EXPECT_EQ(kernels::kernel_table(isa).isa, isa);
    EXPECT_EQ(train::update_kernel_table(isa).isa, isa);
    EXPECT_EQ(count::glove_kernel_table(isa).isa, isa);
    EXPECT_EQ(count::svd_kernel_table(isa).isa, isa);
    EXPECT_NE(count::svd_kernel_table(isa).half_lanes, 0u);
    // These two have one SIMD version, built for AVX2 and used at both SIMD levels.
    EXPECT_EQ(tsne_detail::tsne_kernel_table(isa).isa, Isa::Avx2);
    EXPECT_EQ(fused_score_table(isa).isa, Isa::Avx2);
  }
  EXPECT_EQ(count::svd_kernel_table(Isa::Generic).half_lanes, 0u);
  EXPECT_EQ(fused_score_table(Isa::Generic).isa, Isa::Generic);
  // The int8 tile follows the float level, so EMBKIT_ISA lowers it too.
  EXPECT_EQ(kernels::int8_level_for(Isa::Generic), kernels::Int8Level::Generic);
  EXPECT_EQ(kernels::active_int8_kernels().level, kernels::int8_level_for(kernels::active_isa()));
  if (kernels::isa_supported(Isa::Avx2)) {
    EXPECT_EQ(kernels::int8_level_for(Isa::Avx2), kernels::Int8Level::Avx2);
  }
  if (kernels::isa_supported(Isa::Avx512)) {
    EXPECT_EQ(kernels::int8_level_for(Isa::Avx512), kernels::avx512_vnni_supported()
                                                         ? kernels::Int8Level::Avx512Vnni
                                                         : kernels::Int8Level::Avx2);
  }
}

TEST(KernelLevels, HalfConversionsAreBitIdentical) {
  std::vector<uint16_t> halves(65536);
  for (size_t i = 0; i < halves.size(); ++i) halves[i] = static_cast<uint16_t>(i);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-30, 17);
  std::vector<float> floats(4099);
  for (float& v : floats) v = std::ldexp(mantissa(rng), exponent(rng));
  for (size_t i = 0; i < 64; ++i) floats[i] = 1.0f + std::ldexp(float(2 * i + 1), -11);  // ties
  floats[64] = INFINITY, floats[65] = -INFINITY, floats[66] = 65520.0f, floats[67] = -0.0f;
  for (Isa isa : {Isa::Generic, Isa::Avx2, Isa::Avx512}) {
    if (!kernels::isa_supported(isa)) continue;
    const kernels::KernelTable& k = kernels::kernel_table(isa);
    std::vector<float> wide(halves.size());
    k.to_floats(halves.data(), wide.data(), halves.size());
    for (size_t i = 0; i < halves.size(); ++i) {
      const float expected = half_to_float(halves[i]);
      if (std::isnan(expected)) {  // F16C may quiet a signalling NaN: compare NaN-ness and sign
        ASSERT_TRUE(std::isnan(wide[i])) << label(isa) << " half " << i;
        ASSERT_EQ(std::signbit(wide[i]), std::signbit(expected)) << label(isa) << " half " << i;
      } else {
        ASSERT_EQ(0, std::memcmp(&wide[i], &expected, sizeof expected))
            << label(isa) << " half " << i;
      }
    }
    std::vector<uint16_t> narrow(floats.size());
    k.to_halves(floats.data(), narrow.data(), floats.size());
    for (size_t i = 0; i < floats.size(); ++i)
      ASSERT_EQ(narrow[i], float_to_half(floats[i])) << label(isa) << " " << floats[i];
  }
}

TEST(KernelLevels, FusedAnalogyScoresAreBitIdentical) {
  const size_t n = 1001;  // not a multiple of any vector width
  const std::vector<float> b = uniform(n, 1, 1), c = uniform(n, 1, 2), a = uniform(n, 1, 3);
  std::vector<float> add(n), mul(n);
  const FusedScoreTable& portable = fused_score_table(Isa::Generic);
  EXPECT_TRUE(portable.add_scores(b.data(), c.data(), a.data(), 0.7f, 1.5f, add.data(), n));
  EXPECT_FALSE(portable.add_scores(b.data(), c.data(), a.data(), 0.7f, 10.0f, add.data(), n));
  portable.mul_scores(b.data(), c.data(), a.data(), 0.0f, mul.data(), n);
  for (Isa isa : simd_levels()) {
    const FusedScoreTable& t = fused_score_table(isa);
    std::vector<float> level_add(n), level_mul(n);
    EXPECT_TRUE(t.add_scores(b.data(), c.data(), a.data(), 0.7f, 1.5f, level_add.data(), n));
    EXPECT_FALSE(t.add_scores(b.data(), c.data(), a.data(), 0.7f, 10.0f, level_add.data(), n));
    t.mul_scores(b.data(), c.data(), a.data(), 0.0f, level_mul.data(), n);
    EXPECT_EQ(level_add, add) << label(isa);
    EXPECT_EQ(level_mul, mul) << label(isa);
  }
}

// Rows of `width` floats (a multiple of 16, zero padding past `used`), as Matrix stores them.
std::vector<float> padded_rows(size_t rows, size_t width, size_t used, float scale, uint32_t seed) {
  std::vector<float> v = uniform(rows * width, scale, seed);
  for (size_t r = 0; r < rows; ++r)
    for (size_t d = used; d < width; ++d) v[r * width + d] = 0.0f;
  return v;
}

std::vector<float*> row_pointers(std::vector<float>& rows, size_t width,
                                 const std::vector<size_t>& ids) {
  std::vector<float*> p;
  for (size_t id : ids) p.push_back(rows.data() + id * width);
  return p;
}

// One of each word2vec update on the same rows; the inputs and outputs overlap as in training.
struct UpdateRun {
  std::vector<float> inputs, outputs;
  train::UpdateStats stats;
};

UpdateRun run_updates(const train::UpdateKernelTable& t) {
  const size_t width = 48, rows = 12;
  UpdateRun run{padded_rows(rows, width, 45, 0.5f, 21), padded_rows(rows, width, 45, 0.5f, 22), {}};
  std::vector<float> scratch(train::update_scratch_floats(5, 6, width));
  std::vector<float*> in = row_pointers(run.inputs, width, {0, 3, 4, 7, 9});
  std::vector<float*> out = row_pointers(run.outputs, width, {1, 2, 5, 8, 10, 11});
  for (int step = 0; step < 3; ++step) {
    // Labels given on odd steps: two positives, as a subword skip-gram step has.
    const float labels[6] = {1, 1, 0, 0, 0, 0};
    const float* given = step % 2 == 1 ? labels : nullptr;
    t.skipgram_minibatch_update(in.data(), 5, out.data(), 6, width, 0.05f, scratch.data(),
                                run.stats, given);
    t.skipgram_pair_update(in[1], out.data(), 6, width, 0.05f, scratch.data(), run.stats, given);
    t.cbow_update(in.data(), 5, out.data(), 6, width, 0.05f, step % 2 == 0, scratch.data(),
                  run.stats, given);
  }
  return run;
}

TEST(KernelLevels, Word2vecUpdatesAgree) {
  const UpdateRun portable = run_updates(train::update_kernel_table(Isa::Generic));
  EXPECT_GT(portable.stats.loss, 0);
  for (Isa isa : simd_levels()) {
    const UpdateRun level = run_updates(train::update_kernel_table(isa));
    expect_close(portable.inputs, level.inputs, label(isa) + " inputs");
    expect_close(portable.outputs, level.outputs, label(isa) + " outputs");
    EXPECT_NEAR(level.stats.loss, portable.stats.loss, kTolerance * portable.stats.loss)
        << label(isa);
    EXPECT_EQ(level.stats.pairs, portable.stats.pairs) << label(isa);
    EXPECT_EQ(level.stats.skipped, portable.stats.skipped) << label(isa);
  }
}

struct GloveRun {
  std::vector<float> words, contexts;
  count::GloveBlockStats stats;
};

GloveRun run_glove(const count::GloveKernelTable& t) {
  const size_t dim = 37, rows = 20, stride = count::glove_row_stride(dim),
               padded = count::glove_padded_dim(dim);
  GloveRun run{uniform(rows * stride, 0.5f, 31), uniform(rows * stride, 0.5f, 32), {}};
  for (std::vector<float>* m : {&run.words, &run.contexts})
    for (size_t r = 0; r < rows; ++r) {
      float* row = m->data() + r * stride;
      for (size_t d = dim; d < padded; ++d) row[d] = 0.0f;
      for (size_t d = padded; d < 2 * padded; ++d) row[d] = 1.0f + std::fabs(row[d]);
      row[2 * padded + 1] = 1.0f;
    }
  std::mt19937 rng(33);
  std::vector<count::GloveEntry> entries(300);
  for (count::GloveEntry& e : entries)
    e = {static_cast<uint32_t>(rng() % rows), static_cast<uint32_t>(rng() % rows),
         std::log(1.0f + static_cast<float>(rng() % 50)),
         0.1f + static_cast<float>(rng() % 9) / 10};
  t.glove_block(entries.data(), entries.size(), run.words.data(), run.contexts.data(), dim, 0.05f,
                100.0f, run.stats);
  return run;
}

TEST(KernelLevels, GloveStepsAgree) {
  const GloveRun portable = run_glove(count::glove_kernel_table(Isa::Generic));
  EXPECT_GT(portable.stats.loss, 0);
  for (Isa isa : simd_levels()) {
    const GloveRun level = run_glove(count::glove_kernel_table(isa));
    expect_close(portable.words, level.words, label(isa) + " words");
    expect_close(portable.contexts, level.contexts, label(isa) + " contexts");
    EXPECT_NEAR(level.stats.loss, portable.stats.loss, kTolerance * portable.stats.loss)
        << label(isa);
    EXPECT_EQ(level.stats.skipped, portable.stats.skipped) << label(isa);
  }
}

// A random CSR matrix: `rows` rows of 0 to 9 entries over `cols` columns.
struct Csr {
  std::vector<uint64_t> starts{0};
  std::vector<uint32_t> columns;
  std::vector<float> values;
};

Csr random_csr(size_t rows, size_t cols, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  Csr a;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t e = rng() % 10; e > 0; --e) {
      a.columns.push_back(static_cast<uint32_t>(rng() % cols));
      a.values.push_back(value(rng));
    }
    a.starts.push_back(a.columns.size());
  }
  return a;
}

TEST(KernelLevels, SvdProductsAgree) {
  const size_t rows = 70, cols = 50, width = 80, l = 75;  // block: 80 floats, 75 used
  const Csr a = random_csr(rows, cols, 41);
  const count::SvdKernelTable& portable = count::svd_kernel_table(Isa::Generic);
  std::vector<float> small = padded_rows(l, 32, 32, 1.0f, 43);  // l x 32
  std::vector<float> y = padded_rows(rows, width, l, 1.0f, 44);
  std::vector<double> yd(y.begin(), y.end());
  auto products = [&](const count::SvdKernelTable& t) {
    std::vector<float> out;
    for (size_t panel_width : {16, 32, 48, 64}) {
      std::vector<float> panel = uniform(cols * panel_width, 1.0f, 42), product(rows * width);
      t.sparse_times_panel(a.starts.data(), a.columns.data(), a.values.data(), panel.data(),
                           panel_width, product.data(), width, 0, rows);
      for (size_t r = 0; r < rows; ++r)
        out.insert(out.end(), product.begin() + r * width,
                   product.begin() + r * width + panel_width);
    }
    std::vector<float> times_small(rows * 32);
    t.dense_times_small(y.data(), width, l, small.data(), 32, times_small.data(), 0, rows);
    out.insert(out.end(), times_small.begin(), times_small.end());
    std::vector<double> g((l + 3) / 4 * 4 * width, 0.0);
    t.gram_block(yd.data(), rows, width, l, g.data());
    for (size_t i = 0; i < l; ++i)
      for (size_t j = i; j < l; ++j) out.push_back(static_cast<float>(g[i * width + j]));
    return out;
  };
  const std::vector<float> expected = products(portable);
  for (Isa isa : simd_levels())
    expect_close(expected, products(count::svd_kernel_table(isa)), label(isa) + " svd");

  // The half-precision product: the same sums of the rounded X in float at every SIMD level
  // (exactly: one fused multiply-add per entry and lane, in entry order), and close to double.
  const size_t half_width = 144;  // 128 + 16: a full AVX-512 sweep and a remainder
  std::vector<float> x = uniform(cols * half_width, 1.0f, 45);
  std::vector<uint16_t> xh(x.size());
  floats_to_halves(x.data(), xh.data(), x.size());
  std::vector<float> first;
  for (Isa isa : simd_levels()) {
    std::vector<float> out(rows * half_width);
    count::sparse_times_half(count::svd_kernel_table(isa), a.starts.data(), a.columns.data(),
                             a.values.data(), xh.data(), half_width, out.data(), half_width, 0,
                             rows);
    for (size_t r = 0; r < rows; ++r)
      for (size_t c = 0; c < half_width; ++c) {
        double sum = 0;
        for (uint64_t e = a.starts[r]; e < a.starts[r + 1]; ++e)
          sum += double(a.values[e]) * half_to_float(xh[a.columns[e] * half_width + c]);
        ASSERT_NEAR(out[r * half_width + c], sum, kTolerance * (1 + std::fabs(sum)))
            << r << " " << c;
      }
    if (first.empty()) first = out;
    EXPECT_EQ(out, first) << label(isa);
  }
}

TEST(KernelLevels, TsneRowsAgree) {
  const size_t n = 517;
  const std::vector<float> p = uniform(n, 0.01f, 51), xs = uniform(n, 5, 52),
                           ys = uniform(n, 5, 53);
  auto rows = [&](const tsne_detail::TsneKernelTable& t) {
    std::vector<float> out;
    for (size_t i = 0; i < 10; ++i) {
      tsne_detail::RowSums s = t.exact_row(p.data(), xs.data(), ys.data(), xs[i], ys[i], n);
      out.insert(out.end(), {s.z, s.ax, s.ay, s.rx, s.ry});
    }
    return out;
  };
  const std::vector<float> expected = rows(tsne_detail::tsne_kernel_table(Isa::Generic));
  for (Isa isa : simd_levels())
    expect_close(expected, rows(tsne_detail::tsne_kernel_table(isa)), label(isa) + " t-SNE");
}

}  // namespace
}  // namespace embkit
