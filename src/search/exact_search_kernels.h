// Internal entry points of exact search that take the kernel table explicitly, so tests can run the
// search at every instruction-set level the machine supports. The public functions in
// embkit/exact_search.h call these with kernels::active_kernels().
#pragma once

#include <span>
#include <vector>

#include "embkit/exact_search.h"
#include "kernels/kernel_table.h"

namespace embkit::exact_search {

std::vector<Hit> top_k_inner_product(const kernels::KernelTable& kernels, const Matrix& base,
                                     std::span<const float> query, const SearchOptions& options);
std::vector<std::vector<Hit>> top_k_inner_product(const kernels::KernelTable& kernels,
                                                  const Matrix& base, const Matrix& queries,
                                                  const SearchOptions& options);
std::vector<Hit> top_k_scaled_inner_product(const kernels::KernelTable& kernels, const Matrix& base,
                                            std::span<const float> query,
                                            std::span<const float> row_scales,
                                            const SearchOptions& options);
std::vector<std::vector<Hit>> top_k_l2(const kernels::KernelTable& kernels, const Matrix& base,
                                       const Matrix& queries, const SearchOptions& options);

}  // namespace embkit::exact_search
