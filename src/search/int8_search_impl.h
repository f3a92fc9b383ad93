// Internal entry point of int8 search that takes the kernel table explicitly, so tests can run it
// at every level the machine supports; embkit/int8_search.h calls it with active_int8_kernels().
#pragma once

#include <vector>

#include "embkit/int8_search.h"
#include "kernels/int8_kernel_table.h"

namespace embkit::int8_search {

std::vector<std::vector<Hit>> top_k(const kernels::Int8KernelTable& kernels, const Int8Index& index,
                                    const Matrix& queries, const Int8SearchOptions& options,
                                    const Matrix* float_base);

}  // namespace embkit::int8_search
