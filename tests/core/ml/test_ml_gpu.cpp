// CDNet on an NVIDIA GPU (issue 15): prediction equals the CPU's (float32 and bf16 autocast),
// checkpoints written on the GPU load on the CPU and back, TorchScript exports load and run on the
// GPU, training reaches the CPU's loss curve shape, and a real out-of-memory makes the Predictor
// shrink batch and tile and still give the output of a run that fits.
//
// Qt-free (a plain main), so that the ML-only build (CDNET_ML_ONLY, packaging/gpu-check.sh) builds
// and runs it on a bare GPU machine. Without a CUDA device it exits 77 (skipped; the one entry of
// tests/skip-allowlist.txt). `--on-cpu` runs every case with the CPU standing in for the GPU (the
// out-of-memory then simulated through PredictOptions::simulatedDevicePixels): a test of this
// test where there is no GPU, not a GPU result. `--only NAME` runs one case.
#include "GpuMemoryCap.h"
#include "MlTestData.h"
#include "ModelTestUtil.h"
#include "support/Skip.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

using namespace core::ml;
using namespace mltest;
namespace fs = std::filesystem;

namespace {

bool g_onCpu = false;
fs::path g_dir;

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class... T> std::string str(const T&... parts) {
  std::ostringstream os;
  (os << ... << parts);
  return os.str();
}

#define CHECK(cond, ...)                                                                                               \
  do {                                                                                                                 \
    if (!(cond)) throw Failure(str(__FILE__, ":", __LINE__, ": ", #cond, ": ", __VA_ARGS__));                       \
  } while (0)

// Tolerances of GPU against CPU output (probabilities in [0, 1]). float32 on the GPU with
// TensorFloat-32 convolutions off differs from the CPU by summation order only; bf16 autocast
// keeps about 3 significant digits through about 20 layers.
constexpr double kFp32Tolerance = 2e-4;
constexpr double kBf16Tolerance = 0.05;

Device cpu() { return resolveDevice(DeviceRequest::Cpu); }
DeviceRequest gpuRequest() { return g_onCpu ? DeviceRequest::Cpu : DeviceRequest::Cuda; }
// The GPU with or without bf16 autocast (bf16 only where it has it).
Device gpu(bool mixed) {
  Device d = resolveDevice(gpuRequest());
  d.mixedPrecision = d.mixedPrecision && mixed;
  return d;
}
bool gpuHasBf16() { return resolveDevice(gpuRequest()).mixedPrecision; }
std::string file(const std::string& name) { return (g_dir / name).string(); }

std::vector<float> predictAll(const Model& m, const std::vector<float>& in, int n, int h, int w) {
  std::vector<float> out(std::size_t(n) * h * w);
  m.predict(in.data(), n, h, w, out.data());
  return out;
}

void gpuPredictsWhatTheCpuPredicts() {
  CHECK(g_onCpu || cudaStartError().empty(), "CUDA fails to start: ", cudaStartError());
  CHECK(g_onCpu || resolveDevice(DeviceRequest::Auto).cuda, "device auto does not choose the GPU");
  const Device g = gpu(false);
  CHECK(g_onCpu || g.cuda, "the GPU device is not CUDA: ", g.describe());
  setStrictFloat32OnGpu(true);
  const int n = 2, h = 96, w = 80;
  const auto in = randomImage(n * h * w, 3);
  const Model onCpu = Model::create(ModelOptions::paper(8), cpu(), 5);
  const Model onGpu = Model::create(ModelOptions::paper(8), g, 5);
  CHECK(onGpu.weights() == onCpu.weights(), "the same seed gave other weights on the GPU");
  const double fp32 = maxDiff(predictAll(onCpu, in, n, h, w), predictAll(onGpu, in, n, h, w));
  std::printf("  float32: largest difference GPU - CPU %.3g (tolerance %.0e)\n", fp32, kFp32Tolerance);
  CHECK(fp32 < kFp32Tolerance, "float32 on the GPU differs from the CPU by ", fp32);
  // bf16: the CPU's checkpoint loaded on the GPU with the default device (bf16 autocast there).
  onCpu.saveCheckpoint(file("cpu.pt"));
  const Model loaded = Model::load(file("cpu.pt"), {gpuRequest()});
  CHECK(g_onCpu || loaded.device().cuda, "the checkpoint did not load on the GPU");
  if (!gpuHasBf16()) {
    std::printf("  NOTE: this device runs no bf16 autocast; bf16 not compared\n");
    return;
  }
  CHECK(loaded.device().mixedPrecision, "the GPU's default device does not use bf16 autocast");
  const double bf16 = maxDiff(predictAll(onCpu, in, n, h, w), predictAll(loaded, in, n, h, w));
  std::printf("  bf16 autocast: largest difference GPU - CPU %.3g (tolerance %.2g)\n", bf16, kBf16Tolerance);
  CHECK(bf16 < kBf16Tolerance, "bf16 on the GPU differs from the CPU by ", bf16);
}

void checkpointsCrossBetweenGpuAndCpu() {
  const Model m = Model::create(ModelOptions::paper(8), gpu(true), 7);
  m.saveCheckpoint(file("gpu.pt"));
  const Model onCpu = Model::load(file("gpu.pt"), {DeviceRequest::Cpu});
  CHECK(!onCpu.device().cuda, "loaded on the wrong device");
  CHECK(onCpu.weights() == m.weights(), "the GPU's checkpoint read on the CPU has other weights");
  onCpu.saveCheckpoint(file("back.pt"));
  const Model back = Model::load(file("back.pt"), {gpuRequest()});
  CHECK(g_onCpu || back.device().cuda, "the CPU's checkpoint did not load on the GPU");
  CHECK(back.weights() == m.weights(), "GPU -> CPU -> GPU changed the weights");
  const auto in = randomImage(64 * 96, 11);
  const double d = maxDiff(predictAll(m, in, 1, 64, 96), predictAll(back, in, 1, 64, 96));
  std::printf("  GPU -> CPU -> GPU: largest difference of the predictions %.3g\n", d);
  CHECK(d < 1e-5, "the round trip predicts differently: ", d);
}

void torchScriptExportsRunOnTheGpu() {
  const Model native = Model::create(ModelOptions::paper(8), gpu(true), 9);
  native.exportTorchScript(file("model.ts"));
  const Model script = Model::load(file("model.ts"), {gpuRequest()});
  CHECK(script.kind() == ModelKind::TorchScript, "the export did not load as TorchScript");
  CHECK(g_onCpu || script.device().cuda, "the TorchScript model did not load on the GPU");
  const Model scriptOnCpu = Model::load(file("model.ts"), {DeviceRequest::Cpu});
  const int h = 70, w = 100; // not multiples of 32: the script pads inside
  const auto in = randomImage(h * w, 13);
  const auto reference = predictAll(scriptOnCpu, in, 1, h, w);
  const double vsNative = maxDiff(predictAll(native, in, 1, h, w), reference);
  const double vsCpu = maxDiff(predictAll(script, in, 1, h, w), reference);
  const double tolerance = script.device().mixedPrecision ? kBf16Tolerance : kFp32Tolerance;
  std::printf("  TorchScript on the GPU vs on the CPU %.3g, native GPU vs script CPU %.3g (tolerance %.2g)\n", vsCpu,
              vsNative, tolerance);
  CHECK(vsCpu < tolerance, "TorchScript on the GPU differs from the CPU by ", vsCpu);
  CHECK(vsNative < tolerance, "the native model differs from its export by ", vsNative);
}

// Losses of the first 60 steps of a small model on synthetic cracks (the same seed and data).
std::vector<double> lossCurve(DeviceRequest device) {
  static const auto data = [] {
    auto [img, lab] = crackVolume(128, 128, 6, 21, 4);
    return TrainingData::fromVolumes(img, lab, {true});
  }();
  TrainOptions o;
  o.model = ModelOptions::paper(8);
  o.model.dropout = 0; // dropout masks come from different generators on CPU and GPU
  o.device = device;
  o.epochs = 1;
  o.iterationsPerEpoch = 60;
  o.batch = 4;
  o.crop = 64;
  o.learningRate = 1e-3;
  o.valFraction = 0;
  o.seed = 3;
  std::vector<double> losses;
  TrainCallbacks cb;
  cb.onIteration = [&](const IterationMetrics& m) { losses.push_back(m.loss); };
  Trainer(o, cb).run(data);
  return losses;
}

double meanOf(const std::vector<double>& v, std::size_t from, std::size_t to) {
  return std::accumulate(v.begin() + long(from), v.begin() + long(to), 0.0) / double(to - from);
}

void trainingOnTheGpuFollowsTheCpuCurve() {
  const auto c = lossCurve(DeviceRequest::Cpu), g = lossCurve(gpuRequest());
  CHECK(c.size() == 60 && g.size() == 60, "steps: ", c.size(), " and ", g.size());
  // The same start (same weights, same crops), then the same shape: both fall, by about as much,
  // and the smoothed curves stay close.
  const double c0 = meanOf(c, 0, 5), g0 = meanOf(g, 0, 5), c1 = meanOf(c, 50, 60), g1 = meanOf(g, 50, 60);
  double worst = 0;
  for (std::size_t i = 0; i + 10 <= 60; i += 10)
    worst = std::max(worst, std::abs(meanOf(c, i, i + 10) - meanOf(g, i, i + 10)) / meanOf(c, i, i + 10));
  std::printf("  loss, first 5 / last 10 steps: CPU %.4f -> %.4f, GPU %.4f -> %.4f; largest relative gap of "
              "10-step means %.3f\n",
              c0, c1, g0, g1, worst);
  CHECK(std::abs(c.front() - g.front()) < 0.05 * c.front(), "first step: CPU ", c.front(), ", GPU ", g.front());
  CHECK(c1 < 0.8 * c0, "the CPU's loss did not fall: ", c0, " -> ", c1);
  CHECK(g1 < 0.8 * g0, "the GPU's loss did not fall: ", g0, " -> ", g1);
  CHECK(worst < 0.25, "the curves part: 10-step means differ by up to ", worst * 100, "%");
}

void outOfMemoryShrinksBatchAndTileToTheSameOutput() {
  // A slice of 2048 x 2048 in 1024-pixel tiles, 4 per batch, base 16; the CPU stand-in uses
  // 512 x 512 in 256-pixel tiles and simulates the limit. float32 (without TensorFloat-32): cuDNN
  // may choose other algorithms under the limit, and bf16 would turn that into differences of
  // about 1e-3 that say nothing about the fallback.
  const int side = g_onCpu ? 512 : 2048, tile = side / 2, base = g_onCpu ? 4 : 16;
  setStrictFloat32OnGpu(true);
  const Model m = Model::create(ModelOptions::paper(base), gpu(false), 17);
  const auto image = randomImage(side * side, 19);
  PredictOptions big;
  big.tile = tile;
  big.batch = 4;
  big.overlap = std::min(big.overlap, tile / 2);
  auto run = [&](const PredictOptions& o, PredictOptions* used) {
    Predictor p(m, o);
    std::vector<float> out(std::size_t(side) * side);
    p.predictNormalised(image.data(), side, side, out.data());
    if (used) *used = p.options();
    return out;
  };
  PredictOptions shrunk;
  std::vector<float> capped;
  {
    PredictOptions o = big;
    std::unique_ptr<GpuMemoryCap> cap;
    if (g_onCpu) {
      o.simulatedDevicePixels = std::int64_t(tile) * tile / 2;
    } else {
      // A budget in which one 256 x 256 tile fits and one of 1024 x 1024 does not: the batch
      // shrinks to 1, then the tile.
      cap = GpuMemoryCap::between([&] { (void)predictAll(m, randomImage(256 * 256, 1), 1, 256, 256); },
                                  [&] { (void)predictAll(m, randomImage(tile * tile, 1), 1, tile, tile); });
      std::printf("  GPU memory limited: %s\n", cap->describe().c_str());
    }
    capped = run(o, &shrunk);
  }
  std::printf("  after out-of-memory: tile %d (from %d), batch %d (from %d), overlap %d\n", shrunk.tile, big.tile,
              shrunk.batch, big.batch, shrunk.overlap);
  CHECK(shrunk.batch < big.batch, "the batch did not shrink (no out-of-memory?)");
  CHECK(shrunk.tile < big.tile, "the tile did not shrink");
  // The same tiles without a limit: the output must be the same.
  PredictOptions same;
  same.tile = shrunk.tile;
  same.batch = shrunk.batch;
  same.overlap = shrunk.overlap;
  PredictOptions usedThen;
  const auto fits = run(same, &usedThen);
  CHECK(usedThen.tile == shrunk.tile && usedThen.batch == shrunk.batch, "the run without a limit shrank too");
  const double d = maxDiff(capped, fits);
  std::printf("  largest difference to a run with those tiles that fits: %.3g\n", d);
  CHECK(d < 1e-4, "the output after the fallback differs from a run that fits by ", d);
}

struct Case {
  const char* name;
  void (*run)();
};

const Case kCases[] = {
    {"gpuPredictsWhatTheCpuPredicts", gpuPredictsWhatTheCpuPredicts},
    {"checkpointsCrossBetweenGpuAndCpu", checkpointsCrossBetweenGpuAndCpu},
    {"torchScriptExportsRunOnTheGpu", torchScriptExportsRunOnTheGpu},
    {"trainingOnTheGpuFollowsTheCpuCurve", trainingOnTheGpuFollowsTheCpuCurve},
    {"outOfMemoryShrinksBatchAndTileToTheSameOutput", outOfMemoryShrinksBatchAndTileToTheSameOutput},
};

} // namespace

int main(int argc, char** argv) {
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--on-cpu") g_onCpu = true;
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else {
      std::fprintf(stderr, "usage: test_ml_gpu [--on-cpu] [--only CASE]\n");
      return 2;
    }
  }
  if (!g_onCpu && !cudaAvailable()) testsupport::skipTestBinary("needs an NVIDIA GPU (LibTorch sees no CUDA device)");
  std::printf("test_ml_gpu on %s%s\n", resolveDevice(gpuRequest()).describe().c_str(),
              g_onCpu ? " (--on-cpu: the CPU stands in for the GPU; not a GPU result)" : "");
  g_dir = fs::temp_directory_path() / ("cdnet-test-ml-gpu-" + std::to_string(::getpid()));
  fs::create_directories(g_dir);
  int failed = 0, ran = 0;
  for (const Case& c : kCases) {
    if (!only.empty() && only != c.name) continue;
    ++ran;
    std::printf("RUN  %s\n", c.name);
    std::fflush(stdout);
    const auto t0 = std::chrono::steady_clock::now();
    try {
      c.run();
      std::printf("PASS %s (%.1f s)\n", c.name,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    } catch (const std::exception& e) {
      ++failed;
      std::printf("FAIL %s: %s\n", c.name, e.what());
    }
    std::fflush(stdout);
  }
  std::error_code ec;
  fs::remove_all(g_dir, ec);
  if (ran == 0) {
    std::fprintf(stderr, "test_ml_gpu: no case named '%s'\n", only.c_str());
    return 2;
  }
  std::printf("%d of %d cases passed\n", ran - failed, ran);
  return failed == 0 ? 0 : 1;
}
