#include "core/ml/InferenceBench.h"

#include "core/ml/Metrics.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <random>
#include <sys/resource.h>
#include <utility>
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

namespace {
// Max |b - a| and the crack Dice of each at p >= 0.5 against \p cracks.
void compareWithTruth(const volume::Volume& pa, const volume::Volume& pb, const volume::Volume& cracks, double& maxDiff,
                      double& diceA, double& diceB) {
  Confusion c[2];
  const float *a = pa.as<float>(), *b = pb.as<float>();
  std::vector<std::uint8_t> truth(std::size_t(cracks.voxelCount()));
  volume::dispatch(cracks.type(), [&](auto t) {
    using T = decltype(t);
    const T* v = cracks.as<T>();
    for (std::int64_t i = 0; i < cracks.voxelCount(); ++i) truth[std::size_t(i)] = v[i] != T(0);
  });
  maxDiff = 0;
  for (std::int64_t i = 0; i < pa.voxelCount(); ++i) {
    maxDiff = std::max(maxDiff, double(std::fabs(a[i] - b[i])));
    c[0].add(a[i] >= 0.5f, truth[std::size_t(i)] != 0);
    c[1].add(b[i] >= 0.5f, truth[std::size_t(i)] != 0);
  }
  diceA = c[0].dice();
  diceB = c[1].dice();
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
} // namespace

PrecisionAccuracy comparePrecisions(const Model& model, const volume::Volume& image, const volume::Volume& cracks,
                                    PredictOptions options) {
  if (cracks.size() != image.size()) throw std::invalid_argument("comparePrecisions: image and truth differ in size");
  PrecisionAccuracy r;
  volume::Volume p[2];
  for (int i = 0; i < 2; ++i) {
    options.precision = i == 0 ? Precision::Fp32 : Precision::Bf16;
    const auto t0 = std::chrono::steady_clock::now();
    p[i] = Predictor(model, options).predict(image, 0, image.size().z);
    (i == 0 ? r.secondsFp32 : r.secondsBf16) = secondsSince(t0);
  }
  compareWithTruth(p[0], p[1], cracks, r.maxProbDiff, r.diceFp32, r.diceBf16);
  return r;
}

namespace {
// Eager fp32, then the fused path (its Winograd variant when \p winograd); the model's own
// settings are restored afterwards.
FusedAccuracy compareEagerWith(Model model, const volume::Volume& image, const volume::Volume& cracks,
                               PredictOptions options, bool winograd) {
  if (cracks.size() != image.size()) throw std::invalid_argument("compareFusedFp32: image and truth differ in size");
  FusedAccuracy r;
  volume::Volume p[2];
  options.precision = Precision::Fp32;
  const bool was = model.fusedFp32(), wasWinograd = model.winogradFp32();
  for (int i = 0; i < 2; ++i) {
    model.setFusedFp32(i == 1);
    model.setWinogradFp32(i == 1 && winograd);
    const auto t0 = std::chrono::steady_clock::now();
    p[i] = Predictor(model, options).predict(image, 0, image.size().z);
    (i == 0 ? r.secondsEager : r.secondsFused) = secondsSince(t0);
  }
  model.setFusedFp32(was);
  model.setWinogradFp32(wasWinograd);
  compareWithTruth(p[0], p[1], cracks, r.maxProbDiff, r.diceEager, r.diceFused);
  return r;
}
} // namespace

FusedAccuracy compareFusedFp32(Model model, const volume::Volume& image, const volume::Volume& cracks,
                               PredictOptions options) {
  return compareEagerWith(std::move(model), image, cracks, std::move(options), false);
}

FusedAccuracy compareWinogradFp32(Model model, const volume::Volume& image, const volume::Volume& cracks,
                                  PredictOptions options) {
  return compareEagerWith(std::move(model), image, cracks, std::move(options), true);
}

std::uint64_t peakResidentBytes() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return std::uint64_t(r.ru_maxrss) * 1024u;
}

} // namespace core::ml
