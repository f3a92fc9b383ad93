// Rank and linear correlation of two samples.
#pragma once

#include <vector>

namespace embkit {

// Spearman rank correlation with average ranks for ties, and Pearson correlation.
double spearman(const std::vector<double>& x, const std::vector<double>& y);
double pearson(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace embkit
