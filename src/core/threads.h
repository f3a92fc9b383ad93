// The number of threads a `threads` option asks for: itself when positive, else one per core.
#pragma once

#include <algorithm>
#include <thread>

namespace embkit {

inline int resolve_threads(int threads) {
  return threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace embkit
