#include "embkit/kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/isa.h"
#include "kernels/kernel_table.h"

namespace embkit::kernels {
namespace {

std::vector<Isa> supported_levels() {
  std::vector<Isa> levels;
  for (Isa isa : {Isa::Generic, Isa::Avx2, Isa::Avx512})
    if (isa_supported(isa)) levels.push_back(isa);
  return levels;
}

std::vector<size_t> lengths() {
  std::vector<size_t> n;
  for (size_t i = 1; i <= 67; ++i) n.push_back(i);
  for (size_t i : {128, 300, 1000}) n.push_back(i);
  return n;
}

// Values at [1, 1 + n) of a buffer whose neighbours are NaN: an out-of-range read shows up as NaN,
// and the odd offset makes every load unaligned.
struct Guarded {
  std::vector<float> buffer;
  Guarded(size_t n, std::mt19937& rng) : buffer(n + 2, std::numeric_limits<float>::quiet_NaN()) {
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (size_t i = 1; i <= n; ++i) buffer[i] = uniform(rng);
  }
  float* data() { return buffer.data() + 1; }
};

TEST(KernelsIsa, ChoiceHonoursRequestOnlyDownwards) {
  EXPECT_EQ(choose_isa(Isa::Avx512, nullptr), Isa::Avx512);
  EXPECT_EQ(choose_isa(Isa::Avx512, "avx2"), Isa::Avx2);
  EXPECT_EQ(choose_isa(Isa::Avx512, "generic"), Isa::Generic);
  EXPECT_EQ(choose_isa(Isa::Avx2, "avx512"), Isa::Avx2);
  EXPECT_EQ(choose_isa(Isa::Generic, "avx2"), Isa::Generic);
  EXPECT_EQ(choose_isa(Isa::Avx2, "sse9"), Isa::Avx2);
  EXPECT_EQ(parse_isa("avx512"), Isa::Avx512);
  EXPECT_FALSE(parse_isa("AVX512").has_value());
}

TEST(KernelsIsa, NameReportsTheActiveLevel) {
  EXPECT_TRUE(isa_supported(Isa::Generic));
  EXPECT_TRUE(isa_supported(active_isa()));
  EXPECT_STREQ(isa_name(), isa_label(active_isa()));
  const char* requested = std::getenv("EMBKIT_ISA");
  EXPECT_EQ(active_isa(), choose_isa(best_supported_isa(), requested));
  EXPECT_EQ(active_kernels().isa, active_isa());
  for (Isa isa : supported_levels()) EXPECT_EQ(kernel_table(isa).isa, isa);
  if (requested != nullptr && std::string(requested) == "generic") {
    EXPECT_STREQ(isa_name(), "generic");
  }
}

TEST(KernelsIsa, EnvironmentVariableForcesALowerLevel) {
  // The choice is made once per process, so the forced level is checked in a child process.
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  std::string command = "EMBKIT_ISA=generic '" + self.string() +
                        "' --gtest_filter=KernelsIsa.NameReportsTheActiveLevel >/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
}

TEST(Kernels, DotSquaredL2AndSumSquaresMatchDoubleReference) {
  std::mt19937 rng(7);
  for (Isa isa : supported_levels()) {
    const KernelTable& k = kernel_table(isa);
    for (size_t n : lengths()) {
      SCOPED_TRACE(std::string(isa_label(isa)) + " n=" + std::to_string(n));
      Guarded a(n, rng), b(n, rng);
      double dot = 0, l2 = 0, squares = 0, magnitude = 0;
      for (size_t i = 0; i < n; ++i) {
        double x = a.data()[i], y = b.data()[i];
        dot += x * y;
        l2 += (x - y) * (x - y);
        squares += x * x;
        magnitude += std::abs(x * y);
      }
      // float accumulation: error bounded by a few ulps per term of the absolute sum
      double tolerance = 1e-6 * (magnitude + 1.0);
      EXPECT_NEAR(k.dot(a.data(), b.data(), n), dot, tolerance);
      EXPECT_NEAR(k.squared_l2(a.data(), b.data(), n), l2, 1e-6 * (l2 + 1.0));
      EXPECT_NEAR(k.sum_squares(a.data(), n), squares, 1e-12 * (squares + 1.0));
    }
  }
}

TEST(Kernels, ExactOnSmallIntegers) {
  for (Isa isa : supported_levels()) {
    const KernelTable& k = kernel_table(isa);
    std::vector<float> a(300), b(300);
    for (size_t i = 0; i < 300; ++i) {
      a[i] = float(int(i % 7) - 3);
      b[i] = float(int(i % 5) - 2);
    }
    // sum over i of (i%7-3)(i%5-2) for i < 300, and of the squares
    double dot = 0, l2 = 0, squares = 0;
    for (size_t i = 0; i < 300; ++i) {
      dot += a[i] * b[i];
      l2 += (a[i] - b[i]) * (a[i] - b[i]);
      squares += a[i] * a[i];
    }
    EXPECT_EQ(k.dot(a.data(), b.data(), 300), float(dot)) << isa_label(isa);
    EXPECT_EQ(k.squared_l2(a.data(), b.data(), 300), float(l2)) << isa_label(isa);
    EXPECT_EQ(k.sum_squares(a.data(), 300), squares) << isa_label(isa);
    EXPECT_EQ(squares, 1195.0);  // 42 periods of (i%7-3)^2 summing to 28, then 9+4+1+0+1+4
  }
}

TEST(Kernels, AxpyMatchesReferenceAndLeavesNeighboursAlone) {
  std::mt19937 rng(11);
  for (Isa isa : supported_levels()) {
    const KernelTable& k = kernel_table(isa);
    for (size_t n : lengths()) {
      SCOPED_TRACE(std::string(isa_label(isa)) + " n=" + std::to_string(n));
      Guarded x(n, rng), y(n, rng);
      std::vector<float> before(y.data(), y.data() + n);
      k.axpy(0.75f, x.data(), y.data(), n);
      for (size_t i = 0; i < n; ++i)
        ASSERT_NEAR(y.data()[i], before[i] + 0.75 * double(x.data()[i]), 1e-6) << "at " << i;
      EXPECT_TRUE(std::isnan(y.buffer.front()));
      EXPECT_TRUE(std::isnan(y.buffer.back()));
    }
  }
}

TEST(Kernels, DotRowsAgreesWithDotAndDoesNotDependOnGrouping) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (Isa isa : supported_levels()) {
    const KernelTable& k = kernel_table(isa);
    for (size_t dim : {1, 5, 16, 37, 300}) {
      size_t stride = dim + 3, count = 29;
      std::vector<float> rows(count * stride), query(dim);
      for (float& v : rows) v = uniform(rng);
      for (float& v : query) v = uniform(rng);
      std::vector<float> all(count);
      k.dot_rows(query.data(), rows.data(), stride, count, dim, all.data());
      for (size_t i = 0; i < count; ++i) {
        double reference = 0;
        for (size_t d = 0; d < dim; ++d) reference += double(query[d]) * rows[i * stride + d];
        EXPECT_NEAR(all[i], reference, 1e-5) << isa_label(isa) << " dim " << dim << " row " << i;
        float alone;
        k.dot_rows(query.data(), rows.data() + i * stride, stride, 1, dim, &alone);
        EXPECT_EQ(alone, all[i]) << "a row's score must not depend on its neighbours";
      }
    }
  }
}

TEST(Kernels, PublicEntryPointsUseTheActiveTable) {
  std::vector<float> a = {1, 2, 3, 4, 5}, b = {5, 4, 3, 2, 1};
  EXPECT_EQ(dot(a.data(), b.data(), 5), 35.0f);
  EXPECT_EQ(squared_l2(a.data(), b.data(), 5), 40.0f);
  EXPECT_EQ(sum_squares(a.data(), 5), 55.0);
  axpy(2.0f, a.data(), b.data(), 5);
  EXPECT_EQ(b, (std::vector<float>{7, 8, 9, 10, 11}));
  EXPECT_EQ(dot(a.data(), b.data(), 0), 0.0f);
}

}  // namespace
}  // namespace embkit::kernels
