#include "core/ml/InferenceBench.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <sys/resource.h>
#include <vector>

namespace core::ml {

InferenceTiming timeInference(const Model& model, int size, int batch, int repetitions) {
  InferenceTiming t;
  t.size = size;
  t.batch = std::max(1, batch);
  t.repetitions = std::max(1, repetitions);
  const std::size_t n = std::size_t(t.batch) * size * size;
  std::vector<float> in(n * std::size_t(model.options().channels())), out(n); // 2.5D: 2k+1 planes per image
  std::mt19937 rng(1);
  std::normal_distribution<float> d;
  for (auto& v : in) v = d(rng);
  model.predict(in.data(), t.batch, size, size, out.data()); // warm-up: allocator, kernels
  std::vector<double> times;
  for (int r = 0; r < t.repetitions; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    model.predict(in.data(), t.batch, size, size, out.data());
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  const double median = times[times.size() / 2];
  t.secondsPerSlice = median / t.batch;
  t.slicesPerSecond = 1.0 / t.secondsPerSlice;
  if (model.options().baseWidth > 0) t.gflops = forwardFlops(model.options(), size, size) / t.secondsPerSlice / 1e9;
  return t;
}

std::uint64_t peakResidentBytes() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return std::uint64_t(r.ru_maxrss) * 1024u;
}

} // namespace core::ml
