// Correlation coefficients with scipy.stats' conventions: pearsonr on the centred data, spearmanr
// as the Pearson correlation of the ranks where tied values share the average of their ranks.
// Accumulation is in double; fewer than two points or a constant input give NaN.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "embkit/error.h"
#include "embkit/correlation.h"

namespace embkit {
namespace {

void check_same_length(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size())
    throw UsageError(fmt::format("correlation of sequences of different lengths ({} and {})",
                                 x.size(), y.size()));
}

// Ranks 1..n; a run of equal values gets the mean of the ranks it spans.
std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    while (end < order.size() && values[order[end]] == values[order[start]]) ++end;
    const double shared_rank = (double(start + 1) + double(end)) / 2.0;
    for (size_t i = start; i < end; ++i) ranks[order[i]] = shared_rank;
    start = end;
  }
  return ranks;
}

}  // namespace

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  check_same_length(x, y);
  const size_t n = x.size();
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  const double mean_x = std::accumulate(x.begin(), x.end(), 0.0) / double(n);
  const double mean_y = std::accumulate(y.begin(), y.end(), 0.0) / double(n);
  double xy = 0, xx = 0, yy = 0;
  for (size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mean_x, dy = y[i] - mean_y;
    xy += dx * dy;
    xx += dx * dx;
    yy += dy * dy;
  }
  if (xx == 0 || yy == 0) return std::numeric_limits<double>::quiet_NaN();
  return std::clamp(xy / (std::sqrt(xx) * std::sqrt(yy)), -1.0, 1.0);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  check_same_length(x, y);
  auto has_nan = [](const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [](double value) { return std::isnan(value); });
  };
  if (has_nan(x) || has_nan(y)) return std::numeric_limits<double>::quiet_NaN();
  return pearson(average_ranks(x), average_ranks(y));
}

}  // namespace embkit
