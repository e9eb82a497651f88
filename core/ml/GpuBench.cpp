// Device-side measurements of cdnet-ml-bench (GpuBench.h).
#include "core/ml/GpuBench.h"

#include "core/ml/Trainer.h"
#include "core/ml/detail/ModelImpl.h"

#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <stdexcept>
#include <vector>

namespace core::ml {

namespace {
using Clock = std::chrono::steady_clock;

void synchronize(const Device& d) {
  if (d.cuda) torch::cuda::synchronize(d.index);
}

// Median seconds of \p repetitions calls of \p f after one untimed call; \p f leaves its work
// queued, the clock stops after the device finished.
template <class F> double medianSeconds(const Device& d, int repetitions, F&& f) {
  f();
  synchronize(d);
  std::vector<double> times;
  for (int r = 0; r < std::max(1, repetitions); ++r) {
    const auto t0 = Clock::now();
    f();
    synchronize(d);
    times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

torch::Device torchDeviceOf(const Device& d) {
  return d.cuda ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(d.index)) : torch::Device(torch::kCPU);
}
} // namespace

double measureMatmulTflops(const Device& device, int n, int repetitions) {
  try {
    torch::InferenceMode inference;
    const auto opts = torch::TensorOptions().device(torchDeviceOf(device)).dtype(device.cuda ? torch::kBFloat16 : torch::kFloat);
    torch::manual_seed(1);
    const torch::Tensor a = torch::randn({n, n}, opts), b = torch::randn({n, n}, opts);
    torch::Tensor c;
    const double s = medianSeconds(device, repetitions, [&] { c = torch::mm(a, b); });
    return 2.0 * double(n) * n * n / s / 1e12;
  } catch (const c10::Error&) {
    detail::rethrowTorchError("matrix product");
  }
}

InferenceTiming timeDeviceForward(const Model& model, int size, int batch, int repetitions) {
  Model::Impl& m = model.impl();
  if (m.kind != ModelKind::Native) throw std::invalid_argument("timeDeviceForward needs a CDNet model");
  InferenceTiming t;
  t.size = size;
  t.batch = std::max(1, batch);
  t.repetitions = std::max(1, repetitions);
  try {
    torch::InferenceMode inference;
    m.net->eval();
    torch::manual_seed(1);
    torch::Tensor x = torch::randn({t.batch, m.options.channels(), size, size},
                                   torch::TensorOptions().device(m.torchDevice()).dtype(torch::kFloat));
    if (m.channelsLast()) x = x.contiguous(at::MemoryFormat::ChannelsLast);
    torch::Tensor y;
    const double s = medianSeconds(m.device, t.repetitions, [&] {
      detail::AutocastGuard autocast(m.device);
      y = m.net->forward(x);
    });
    t.secondsPerSlice = s / t.batch;
  } catch (const c10::Error&) {
    detail::rethrowTorchError("forward pass");
  }
  t.slicesPerSecond = 1.0 / t.secondsPerSlice;
  t.gflops = forwardFlops(m.options, size, size) / t.secondsPerSlice / 1e9;
  return t;
}

TrainingTiming timeTrainingSteps(const ModelOptions& model, DeviceRequest device, int batch, int crop, int steps,
                                 int warmup) {
  // Random slices, every pixel labelled (about 5% crack): the speed does not depend on content.
  constexpr int kSide = 512, kSlices = 8;
  TrainingData data;
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> uniform;
  for (int z = 0; z < kSlices; ++z) {
    TrainingSlice s;
    s.width = s.height = kSide;
    s.channels = model.channels();
    s.sourceZ = z;
    s.image.resize(std::size_t(s.channels) * kSide * kSide);
    for (auto& v : s.image) v = normal(rng);
    s.labels.resize(std::size_t(kSide) * kSide);
    for (auto& l : s.labels) {
      l = uniform(rng) < 0.05f ? 2 : 1;
      s.crackCount += l == 2;
    }
    s.labelledCount = std::int64_t(s.labels.size());
    data.slices.push_back(std::move(s));
  }
  TrainOptions o;
  o.model = model;
  o.device = device;
  o.epochs = 1;
  o.batch = batch;
  o.crop = crop;
  o.valFraction = 0;
  o.iterationsPerEpoch = warmup + steps;
  o.saveEveryMinutes = 0;
  o.checkpointEvery = 0;
  std::vector<Clock::time_point> at;
  TrainCallbacks cb;
  cb.onIteration = [&](const IterationMetrics&) { at.push_back(Clock::now()); }; // after loss.item(): synchronised
  const TrainResult r = Trainer(o, cb).run(data);
  TrainingTiming t;
  t.batch = batch;
  t.crop = crop;
  t.steps = steps;
  t.device = r.device;
  if (int(at.size()) != warmup + steps || steps < 1) throw std::logic_error("training ran a different number of steps");
  const double s = std::chrono::duration<double>(at.back() - at[std::size_t(std::max(0, warmup - 1))]).count();
  const double timed = warmup > 0 ? steps : steps - 1;
  t.stepsPerSecond = timed > 0 ? timed / s : 0;
  t.tflops = 3.0 * forwardFlops(model, crop, crop) * batch * t.stepsPerSecond / 1e12;
  return t;
}

} // namespace core::ml
