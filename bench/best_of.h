// Timing shared by the benchmarks: warm, then the best of N wall-clock runs.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>

namespace entsig::bench {

// Best wall time (seconds) of `runs` calls of `fn`, after one warm-up call.
inline double best_of(int runs, const std::function<void()>& fn) {
  using Clock = std::chrono::steady_clock;
  fn();
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

}  // namespace entsig::bench
