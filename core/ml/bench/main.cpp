// cdnet-ml-bench: CDNet inference throughput on a bare LibTorch machine (no Qt, no CLI11), for
// GPU nodes. Plain argv:
//   cdnet-ml-bench [--size 512] [--reps 5] [--widths 64,16] [--threads N] [--gpu-batch 8]
//                  [--peak-tflops 989] [--no-cpu] [--json FILE]
// Prints slices/s and GFLOP/s on the CPU for each width; with a CUDA GPU also base 64 in float32
// and in bf16 mixed precision, and the share of the GPU's dense bf16 peak reached. Ends with a
// `result:` line (core/bench/BenchReport.h); --json FILE writes the same keys.
#include "core/bench/BenchReport.h"
#include "core/ml/InferenceBench.h"
#include "core/ml/Model.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <malloc.h>
#include <sstream>
#include <string>
#include <vector>

using namespace core::ml;

namespace {
void usage() {
  std::fprintf(stderr, "usage: cdnet-ml-bench [--size N] [--reps N] [--widths 64,16] [--threads N] [--gpu-batch N] "
                       "[--peak-tflops T] [--no-cpu] [--json FILE]\n");
  std::exit(2);
}
} // namespace

int main(int argc, char** argv) {
  mallopt(M_MMAP_MAX, 0); // keep large buffers between forward passes (platform facts)
  mallopt(M_TRIM_THRESHOLD, -1);
  int size = 512, reps = 5, threads = 0, gpuBatch = 8;
  double peak = 989.0;
  bool cpu = true;
  std::string json;
  std::vector<int> widths{64, 16};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (a == "--size") size = std::atoi(next().c_str());
    else if (a == "--reps") reps = std::atoi(next().c_str());
    else if (a == "--threads") threads = std::atoi(next().c_str());
    else if (a == "--gpu-batch") gpuBatch = std::atoi(next().c_str());
    else if (a == "--peak-tflops") peak = std::atof(next().c_str());
    else if (a == "--no-cpu") cpu = false;
    else if (a == "--json") json = next();
    else if (a == "--widths") {
      widths.clear();
      std::istringstream s(next());
      std::string w;
      while (std::getline(s, w, ',')) widths.push_back(std::atoi(w.c_str()));
    } else usage();
  }
  if (size < 32 || reps < 1 || gpuBatch < 1 || widths.empty()) usage();
  try {
    core::bench::Report report("ml");
    report.set("size", size);
    report.set("reps", reps);
    auto finish = [&] {
      std::fflush(stdout);
      std::printf("%s\n", report.finish(json).c_str());
      return 0;
    };
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
    }
    if (!cpu) std::printf("%s\n", report.conditionsLine().c_str());
    if (!cudaAvailable()) {
      std::printf("no CUDA GPU: GPU throughput not measured\n");
      report.set("gpu", "none");
      return finish();
    }
    Device gpu = resolveDevice(DeviceRequest::Cuda);
    const bool bf16 = gpu.mixedPrecision;
    std::printf("GPU %s, %d x %d slices, batch %d\n", gpu.describe().c_str(), size, size, gpuBatch);
    report.set("gpu", gpu.describe());
    report.set("gpu_batch", gpuBatch);
    for (bool mixed : {false, true}) {
      if (mixed && !bf16) {
        std::printf("  this GPU runs no bf16 convolutions: mixed precision not measured\n");
        break;
      }
      gpu.mixedPrecision = mixed;
      const Model m = Model::create(ModelOptions::paper(64), gpu, 1);
      const InferenceTiming t = timeInference(m, size, gpuBatch, reps);
      std::printf("  base  64 %-8s: %8.1f slices/s  %8.1f TFLOP/s  (%.1f%% of a %.0f TFLOP/s dense bf16 peak)\n",
                  mixed ? "bf16 AMP" : "float32", t.slicesPerSecond, t.gflops / 1e3, 100.0 * t.gflops / 1e3 / peak, peak);
      std::fflush(stdout);
      const std::string k = mixed ? "gpu_bf16_" : "gpu_fp32_";
      report.set(k + "slices_per_s", t.slicesPerSecond);
      report.set(k + "tflops", t.gflops / 1e3);
      report.set(k + "peak_share", t.gflops / 1e3 / peak);
    }
    return finish();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cdnet-ml-bench: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
