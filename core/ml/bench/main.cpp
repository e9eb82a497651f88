// cdnet-ml-bench: CDNet throughput on a bare LibTorch machine (no Qt, no CLI11), for GPU nodes
// (issue 15; packaging/gpu-check.sh runs it). Plain argv, see usage(). Sections:
//  - CPU: slices/s and GFLOP/s of base widths --widths on --size slices (skip with --no-cpu);
//  - device (a CUDA GPU, or the CPU with --gpu-on-cpu at tiny sizes, to test the benchmark itself):
//    the dense matrix-product peak of this run (bf16 on a GPU); model-only inference (batches made
//    and kept on the device) of base widths --gpu-widths over tiles --tiles and batches --batches
//    with bf16 autocast, channels-last and cuDNN autotuning, as TFLOP/s and share of that peak,
//    after a comparison of those settings at base 64 (tile 1024, batch 8); Model::predict with its
//    host copies at the Predictor's GPU default (tile 1024, batch 4); Trainer steps per second
//    (base --train-width, batch --train-batch of --train-crop crops) and the projected time for
//    64 slices of 512 x 512 over 100 epochs; the projected time of the paper's volume.
// Ends with a `result:` line (core/bench/BenchReport.h); --json FILE writes the same keys.
// The HDF5 end-to-end volume measurement of issue 15 needs core/volume/io (HDF5), which the
// ML-only build does not have; it is not measured here.
#include "core/bench/BenchReport.h"
#include "core/ml/GpuBench.h"
#include "core/ml/InferenceBench.h"
#include "core/ml/Model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <malloc.h>
#include <sstream>
#include <string>
#include <vector>

using namespace core::ml;

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: cdnet-ml-bench [--size N] [--reps N] [--widths 64,16] [--threads N] [--no-cpu]\n"
               "                      [--gpu-on-cpu] [--gpu-widths 64,16] [--tiles 512,1024,1536,2048]\n"
               "                      [--batches 1,4,16] [--max-batch-pixels N] [--gpu-reps N] [--matmul N]\n"
               "                      [--train-width 64] [--train-batch 8] [--train-crop 256] [--train-steps 30]\n"
               "                      [--time-limit SECONDS] [--json FILE]\n");
  std::exit(2);
}

std::vector<int> intList(const std::string& text) {
  std::vector<int> v;
  std::istringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) v.push_back(std::atoi(item.c_str()));
  if (v.empty() || *std::min_element(v.begin(), v.end()) < 1) usage();
  return v;
}

struct DeviceOptions {
  bool onCpu = false;
  std::vector<int> widths{64, 16}, tiles{512, 1024, 1536, 2048}, batches{1, 4, 16};
  long long maxBatchPixels = 8ll * 2048 * 2048;
  int reps = 3, matmul = 8192, trainWidth = 64, trainBatch = 8, trainCrop = 256, trainSteps = 30;
  double timeLimit = 0; ///< seconds; grid points after it are left out (the training still runs)
};

// The paper's volume (CDNET.md): 5200 x 3114 x 3078 voxels.
constexpr double kPaperVoxels = 5200.0 * 3114.0 * 3078.0;
// The Predictor's default tile overlap: a tile of side t yields about (t - 192)^2 new pixels.
constexpr int kOverlap = 192;

std::string key(const std::string& prefix, int width, int tile, int batch) {
  return prefix + "_b" + std::to_string(width) + "_t" + std::to_string(tile) + "_n" + std::to_string(batch);
}

void deviceSections(Device dev, const DeviceOptions& o, core::bench::Report& report) {
  const auto started = std::chrono::steady_clock::now();
  auto outOfTime = [&] {
    return o.timeLimit > 0 &&
           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() > o.timeLimit;
  };
  int leftOut = 0;
  const bool bf16 = dev.mixedPrecision;
  report.set("device", dev.describe());
  // 1. The dense peak of this device, measured now (bf16 on a GPU).
  const double peak = measureMatmulTflops(dev, o.matmul, dev.cuda ? 10 : 2);
  std::printf("dense %s matrix product %d^3: %.1f TFLOP/s (the peak the shares below refer to)\n",
              dev.cuda ? "bf16" : "float32", o.matmul, peak);
  report.set("peak_matmul_tflops", peak);
  std::fflush(stdout);
  auto line = [&](const char* what, int w, int tile, int batch, const InferenceTiming& t) {
    std::printf("  %-26s base %3d tile %4d batch %2d: %9.2f tiles/s %9.1f Mpx/s %8.2f TFLOP/s %5.1f%% of peak\n", what, w,
                tile, batch, t.slicesPerSecond, t.slicesPerSecond * tile * tile / 1e6, t.gflops / 1e3,
                100.0 * t.gflops / 1e3 / peak);
    std::fflush(stdout);
  };
  // 2. What each setting brings, at base 64 (or the first width), tile 1024, batch 8, before
  // cuDNN autotuning is switched on for the rest of the run.
  const int w0 = o.widths.front(), t0 = std::min(1024, o.tiles.back()), n0 = std::min(8, o.batches.back());
  std::printf("settings at base %d, tile %d, batch %d:\n", w0, t0, n0);
  struct Variant {
    const char* name;
    bool mixed, channelsLast, autotune;
  };
  const Variant variants[] = {{"float32", false, false, false},
                              {"bf16", true, false, false},
                              {"bf16 channels-last", true, true, false},
                              {"bf16 channels-last autotune", true, true, true}};
  for (const Variant& v : variants) {
    if (v.mixed && !bf16) continue;
    Device d = dev;
    d.mixedPrecision = v.mixed;
    d.channelsLast = v.channelsLast;
    setCudnnAutotune(v.autotune);
    try {
      const InferenceTiming t = timeDeviceForward(Model::create(ModelOptions::paper(w0), d, 1), t0, n0, o.reps);
      line(v.name, w0, t0, n0, t);
      std::string k = v.name;
      std::replace(k.begin(), k.end(), ' ', '_');
      std::replace(k.begin(), k.end(), '-', '_');
      report.set("setting_" + k + "_tflops", t.gflops / 1e3);
    } catch (const DeviceOutOfMemory& e) {
      std::printf("  %s: out of memory (%s)\n", v.name, e.what());
    }
  }
  // 3. The grid, with every setting on.
  setCudnnAutotune(true);
  dev.channelsLast = true;
  std::printf("model-only inference (%s), tiles x batches:\n", dev.describe().c_str());
  for (int w : o.widths) {
    const Model m = Model::create(ModelOptions::paper(w), dev, 1);
    double best = 0, bestTflops = 0;
    int bestTile = 0, bestBatch = 0;
    for (int tile : o.tiles)
      for (int batch : o.batches) {
        if (static_cast<long long>(tile) * tile * batch > o.maxBatchPixels) continue;
        if (outOfTime()) {
          ++leftOut;
          continue;
        }
        try {
          const InferenceTiming t = timeDeviceForward(m, tile, batch, o.reps);
          line("model only", w, tile, batch, t);
          report.set(key("tflops", w, tile, batch), t.gflops / 1e3);
          // Useful pixels per second after the Predictor's overlap.
          const double useful = t.slicesPerSecond * std::pow(tile - std::min(kOverlap, tile / 2), 2);
          if (t.gflops > bestTflops) bestTflops = t.gflops;
          if (useful > best) {
            best = useful;
            bestTile = tile;
            bestBatch = batch;
          }
        } catch (const DeviceOutOfMemory& e) {
          std::printf("  base %3d tile %4d batch %2d: out of memory\n", w, tile, batch);
        }
      }
    const std::string b = "b" + std::to_string(w);
    report.set(b + "_best_tflops", bestTflops / 1e3);
    report.set(b + "_best_peak_share", bestTflops / 1e3 / peak);
    report.set(b + "_best_useful_mpx_s", best / 1e6);
    report.set(b + "_best_tile", bestTile);
    report.set(b + "_best_batch", bestBatch);
    if (best > 0) {
      const double hours = kPaperVoxels / best / 3600.0;
      std::printf("  base %d best: %.2f TFLOP/s (%.1f%% of peak); %.1f Mpx/s after the %d-pixel overlap at tile %d "
                  "batch %d: the paper's volume (%.3g voxels) in %.2f h on one device\n",
                  w, bestTflops / 1e3, 100.0 * bestTflops / 1e3 / peak, best / 1e6, kOverlap, bestTile, bestBatch,
                  kPaperVoxels, hours);
      report.set(b + "_paper_volume_hours", hours);
    }
    // Model::predict with its host copies, at the Predictor's GPU default.
    const int tp = std::min(1024, o.tiles.back()), np = std::min(4, o.batches.back());
    try {
      const InferenceTiming t = timeInference(m, tp, np, o.reps);
      line("predict (host copies)", w, tp, np, t);
      report.set(b + "_predict_t" + std::to_string(tp) + "_n" + std::to_string(np) + "_tflops", t.gflops / 1e3);
    } catch (const DeviceOutOfMemory& e) {
      std::printf("  predict base %d tile %d batch %d: out of memory\n", w, tp, np);
    }
  }
  if (leftOut > 0) std::printf("  %d grid points left out: --time-limit %.0f s reached\n", leftOut, o.timeLimit);
  report.set("grid_left_out", leftOut);
  // 4. Training: the Trainer's own steps (crops and augmentation on the CPU included).
  const TrainingTiming tr = timeTrainingSteps(ModelOptions::paper(o.trainWidth), dev.cuda ? DeviceRequest::Cuda
                                                                                          : DeviceRequest::Cpu,
                                              o.trainBatch, o.trainCrop, o.trainSteps, 5);
  // 64 slices of 512 x 512 (the paper's training set) cover ceil(64 * 512^2 / (batch * crop^2))
  // batches per epoch (the Trainer's default), 100 epochs, validation not counted.
  const double perEpoch = std::ceil(64.0 * 512 * 512 / (double(o.trainBatch) * o.trainCrop * o.trainCrop));
  const double minutes = 100.0 * perEpoch / tr.stepsPerSecond / 60.0;
  std::printf("training %s: base %d, batch %d of %d x %d crops: %.2f steps/s (%.1f TFLOP/s); 64 slices of 512 x 512 "
              "x 100 epochs (%.0f steps each): %.1f min\n",
              tr.device.c_str(), o.trainWidth, tr.batch, tr.crop, tr.crop, tr.stepsPerSecond, tr.tflops, perEpoch,
              minutes);
  report.set("train_width", o.trainWidth);
  report.set("train_batch", tr.batch);
  report.set("train_crop", tr.crop);
  report.set("train_steps_per_s", tr.stepsPerSecond);
  report.set("train_tflops", tr.tflops);
  report.set("train_64x512_100ep_min", minutes);
}

} // namespace

int main(int argc, char** argv) {
  mallopt(M_MMAP_MAX, 0); // keep large buffers between forward passes (platform facts)
  mallopt(M_TRIM_THRESHOLD, -1);
  int size = 512, reps = 5, threads = 0;
  bool cpu = true, tinyDefaults = true;
  std::string json;
  std::vector<int> widths{64, 16};
  DeviceOptions dev;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    auto nextInt = [&] { return std::atoi(next().c_str()); };
    if (a == "--size") size = nextInt();
    else if (a == "--reps") reps = nextInt();
    else if (a == "--threads") threads = nextInt();
    else if (a == "--no-cpu") cpu = false;
    else if (a == "--json") json = next();
    else if (a == "--widths") widths = intList(next());
    else if (a == "--gpu-on-cpu") dev.onCpu = true;
    else if (a == "--gpu-widths") dev.widths = intList(next()), tinyDefaults = false;
    else if (a == "--tiles") dev.tiles = intList(next()), tinyDefaults = false;
    else if (a == "--batches") dev.batches = intList(next()), tinyDefaults = false;
    else if (a == "--max-batch-pixels") dev.maxBatchPixels = std::atoll(next().c_str());
    else if (a == "--gpu-reps") dev.reps = nextInt();
    else if (a == "--matmul") dev.matmul = nextInt();
    else if (a == "--train-width") dev.trainWidth = nextInt();
    else if (a == "--train-batch") dev.trainBatch = nextInt();
    else if (a == "--train-crop") dev.trainCrop = nextInt();
    else if (a == "--train-steps") dev.trainSteps = nextInt();
    else if (a == "--time-limit") dev.timeLimit = std::atof(next().c_str());
    else usage();
  }
  if (size < 32 || reps < 1 || dev.reps < 1 || dev.matmul < 1 || dev.trainSteps < 1 || dev.trainBatch < 1 ||
      dev.trainCrop < 64)
    usage();
  if (dev.onCpu && tinyDefaults) {
    // Tiny sizes that run the device sections on the CPU in seconds (a test of the benchmark).
    dev.widths = {8, 4};
    dev.tiles = {64, 128};
    dev.batches = {1, 2};
    dev.reps = 1;
    dev.matmul = 256;
    dev.trainWidth = 8;
    dev.trainBatch = 2;
    dev.trainCrop = 64;
    dev.trainSteps = 3;
  }
  try {
    core::bench::Report report("ml");
    report.set("size", size);
    report.set("reps", reps);
    if (cpu) {
      const Device d = resolveDevice(DeviceRequest::Cpu, threads);
      report.set("threads", cpuThreads());
      std::printf("CPU, %d threads, %d x %d slices, batch 1\n", cpuThreads(), size, size);
      std::printf("%s\n", report.conditionsLine().c_str());
      for (int w : widths) {
        const Model m = Model::create(ModelOptions::paper(w), d, 1);
        const InferenceTiming t = timeInference(m, size, 1, reps);
        std::printf("  base %3d: %8.3f s/slice  %8.2f slices/s  %8.1f GFLOP/s\n", w, t.secondsPerSlice,
                    t.slicesPerSecond, t.gflops);
        report.set("cpu_b" + std::to_string(w) + "_s", t.secondsPerSlice);
        report.set("cpu_b" + std::to_string(w) + "_gflops", t.gflops);
        std::fflush(stdout);
      }
    } else {
      std::printf("%s\n", report.conditionsLine().c_str());
    }
    if (dev.onCpu) {
      std::printf("device sections on the CPU (--gpu-on-cpu: a test of the benchmark, not a measurement)\n");
      report.set("gpu", "cpu-dry-run");
      deviceSections(resolveDevice(DeviceRequest::Cpu, threads), dev, report);
    } else if (!cudaAvailable()) {
      std::printf("no CUDA GPU: GPU throughput not measured\n");
      report.set("gpu", "none");
    } else {
      const Device gpu = resolveDevice(DeviceRequest::Cuda);
      std::printf("GPU %s\n", gpu.describe().c_str());
      report.set("gpu", gpu.describe());
      deviceSections(gpu, dev, report);
    }
    std::fflush(stdout);
    std::printf("%s\n", report.finish(json).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cdnet-ml-bench: error: %s\n", e.what());
    return 1;
  }
}
