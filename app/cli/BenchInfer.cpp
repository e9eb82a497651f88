// cdnet bench infer: CDNet inference speed at base widths 64 and 16 on 512 x 512 slices, against
// the same network and weights run by Python's torch (eager) on the same threads in the same run,
// the passes of each interleaved (min, median, max of each; the ratio is median over median);
// on a CUDA GPU also bf16 mixed-precision throughput and its share of the GPU's peak.
#include "BenchCommon.h"
#include "Command.h"
#include "NumberChecks.h"
#include "MlCommon.h"
#include "PythonRunner.h"

#include "core/ml/InferenceBench.h"
#include "core/ml/Model.h"
#include "core/ml/ModelOptions.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cli {

namespace {

using namespace core::ml;

// The CDNet U-Net in plain PyTorch, with the parameter names of the C++ module, weights taken
// from the exported TorchScript file.
const char* const kPythonBench = R"PY(
import sys, time, torch
import torch.nn as nn
import torch.nn.functional as F

class DoubleConv(nn.Module):
    def __init__(s, i, o):
        super().__init__()
        s.conv1 = nn.Conv2d(i, o, 3, padding=1)
        s.conv2 = nn.Conv2d(o, o, 3, padding=1)
    def forward(s, x):
        return F.relu(s.conv2(F.relu(s.conv1(x))))

class CDNet(nn.Module):
    def __init__(s, b):
        super().__init__()
        s.enc1, s.enc2, s.enc3 = DoubleConv(1, b), DoubleConv(b, 2 * b), DoubleConv(2 * b, 4 * b)
        s.enc4, s.bottom = DoubleConv(4 * b, 8 * b), DoubleConv(8 * b, 16 * b)
        s.up4, s.dec4 = nn.Conv2d(16 * b, 8 * b, 2), DoubleConv(16 * b, 8 * b)
        s.up3, s.dec3 = nn.Conv2d(8 * b, 4 * b, 2), DoubleConv(8 * b, 4 * b)
        s.up2, s.dec2 = nn.Conv2d(4 * b, 2 * b, 2), DoubleConv(4 * b, 2 * b)
        s.up1, s.dec1 = nn.Conv2d(2 * b, b, 2), DoubleConv(2 * b, b)
        s.head, s.out = nn.Conv2d(b, 2, 3, padding=1), nn.Conv2d(2, 1, 1)
    def up(s, conv, x):
        return F.relu(conv(F.pad(F.interpolate(x, scale_factor=2.0, mode='nearest'), (0, 1, 0, 1))))
    def forward(s, x):
        e1 = s.enc1(x)
        e2 = s.enc2(F.max_pool2d(e1, 2))
        e3 = s.enc3(F.max_pool2d(e2, 2))
        e4 = s.enc4(F.max_pool2d(e3, 2))
        bt = s.bottom(F.max_pool2d(e4, 2))
        d = s.dec4(torch.cat([e4, s.up(s.up4, bt)], 1))
        d = s.dec3(torch.cat([e3, s.up(s.up3, d)], 1))
        d = s.dec2(torch.cat([e2, s.up(s.up2, d)], 1))
        d = s.dec1(torch.cat([e1, s.up(s.up1, d)], 1))
        return torch.sigmoid(s.out(F.relu(s.head(d))))

path, size, threads, xin, yref = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
torch.set_num_threads(threads)
ts = torch.jit.load(path)
m = CDNet(int(ts.cdnet_base_width))
m.load_state_dict(ts.state_dict())
m.eval()
x = torch.from_file(xin, size=size * size, dtype=torch.float32).reshape(1, 1, size, size)
ref = torch.from_file(yref, size=size * size, dtype=torch.float32).reshape(1, 1, size, size)
with torch.inference_mode():
    diff = (m(x) - ref).abs().max().item()  # also the warm-up pass
    print("READY %.3g %d" % (diff, torch.get_num_threads()), flush=True)
    # One timed pass per line on stdin, so that the caller interleaves them with its own.
    for line in sys.stdin:
        t = time.perf_counter()
        m(x)
        print("T %.6f" % (time.perf_counter() - t), flush=True)
)PY";

struct BenchInferArgs {
  int size = 512, reps = 7, threads = 0, gpuBatch = 8;
  std::vector<int> widths{64, 16};
  bool noPython = false;
  double peakTflops = 989.0;
  std::string json;
};

void writeFloats(const fs::path& p, const std::vector<float>& v) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * 4));
}

/// Minimum, median and maximum of some seconds.
struct Spread {
  double min = 0, median = 0, max = 0;
  explicit Spread(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    min = v.front();
    max = v.back();
    median = v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
  }
  std::string text() const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f %.3f %.3f", min, median, max);
    return buf;
  }
};

void runBenchInfer(const BenchInferArgs& a) {
  const Device cpu = resolveDevice(DeviceRequest::Cpu, a.threads);
  const bool python = !a.noPython && pythonHasTorch();
  core::bench::Report report("infer");
  report.set("threads", cpuThreads());
  report.set("size", a.size);
  report.set("reps", a.reps);
  std::printf("CDNet inference of one %d x %d slice on the CPU, %d threads; reference: the same network and weights "
              "in Python's torch (eager, %s), same threads, same allocator settings; %d timed passes of each, "
              "interleaved (C++, Python, Python, C++, ...), after one untimed warm-up pass of each\n",
              a.size, a.size, cpuThreads(), python ? pythonInterpreter().c_str() : "not available", a.reps);
  printConditions(report);
  std::printf("%-5s %9s %-23s %9s %-23s %8s %10s\n", "base", "params", "C++ s min/median/max", "GFLOP/s",
              "Python s min/median/max", "C++/Py", "max |diff|");
  const fs::path dir = fs::temp_directory_path() / ("cdnet_bench_infer_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  struct Cleanup {
    fs::path d;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(d, ec);
    }
  } cleanup{dir};
  for (int width : a.widths) {
    const Model model = Model::create(ModelOptions::paper(width), cpu, 1);
    std::vector<float> x(std::size_t(a.size) * std::size_t(a.size)), y(x.size());
    std::mt19937 rng(7);
    std::normal_distribution<float> nd;
    for (auto& v : x) v = nd(rng);
    model.predict(x.data(), 1, a.size, a.size, y.data()); // warm-up: allocator, kernels
    std::unique_ptr<PythonSession> py;
    double diff = 0;
    if (python) {
      writeFloats(dir / "x.f32", x);
      writeFloats(dir / "y.f32", y);
      model.exportTorchScript((dir / "model.pt").string());
      const std::string tn = std::to_string(cpuThreads());
      py = std::make_unique<PythonSession>(
          kPythonBench,
          std::vector<std::string>{(dir / "model.pt").string(), std::to_string(a.size), tn, (dir / "x.f32").string(),
                                   (dir / "y.f32").string()},
          std::vector<std::string>{"OMP_NUM_THREADS=" + tn,
                                   "GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736"});
      std::istringstream ready(py->expect("READY "));
      int pyThreads = 0;
      ready >> diff >> pyThreads;
      if (pyThreads != cpuThreads())
        std::printf("WARNING: Python's torch runs on %d threads, ours on %d\n", pyThreads, cpuThreads());
    }
    // Interleaved, the order alternating, with a pause after each pass so that the other side's
    // OpenMP threads have stopped spinning before a timed pass starts.
    std::vector<double> ours, theirs;
    auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(50)); };
    auto runOurs = [&] {
      const auto t0 = std::chrono::steady_clock::now();
      model.predict(x.data(), 1, a.size, a.size, y.data());
      ours.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      pause();
    };
    auto runTheirs = [&] {
      if (!py) return;
      theirs.push_back(std::stod(py->ask("run", "T ")));
      pause();
    };
    for (int r = 0; r < a.reps; ++r) {
      if (r % 2 == 0) runOurs(), runTheirs();
      else runTheirs(), runOurs();
    }
    py.reset();
    const Spread c(ours);
    const double gflops = forwardFlops(model.options(), a.size, a.size) / c.median / 1e9;
    const std::string b = "b" + std::to_string(width) + "_";
    report.set(b + "cpp_s_min", c.min);
    report.set(b + "cpp_s_median", c.median);
    report.set(b + "cpp_s_max", c.max);
    report.set(b + "gflops", gflops);
    std::string pyText = "-", ratioText = "-", diffText = "-";
    if (!theirs.empty()) {
      const Spread p(theirs);
      pyText = p.text();
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f", p.median / c.median);
      ratioText = buf;
      std::snprintf(buf, sizeof buf, "%.1e", diff);
      diffText = buf;
      report.set(b + "py_s_min", p.min);
      report.set(b + "py_s_median", p.median);
      report.set(b + "py_s_max", p.max);
      report.set(b + "ratio", p.median / c.median);
      report.set(b + "max_diff", diff);
    }
    std::printf("%-5d %8.2fM %-23s %9.1f %-23s %8s %10s\n", width, double(model.parameterCount()) / 1e6,
                c.text().c_str(), gflops, pyText.c_str(), ratioText.c_str(), diffText.c_str());
    std::fflush(stdout);
  }
  std::printf("C++/Py = Python's median time over ours: 1 or more means the C++ path is not slower; compare it with "
              "the spread of each side before reading anything into it.\n");
  report.set("python", python);
  if (cudaAvailable()) {
    const Device gpu = resolveDevice(DeviceRequest::Cuda);
    const Model model = Model::create(ModelOptions::paper(64), gpu, 1);
    const InferenceTiming t = timeInference(model, a.size, a.gpuBatch, std::max(5, a.reps));
    std::printf("GPU %s, base 64, batch %d of %d x %d: %.1f slices/s, %.1f TFLOP/s = %.1f%% of a %.0f TFLOP/s bf16 peak\n",
                gpu.describe().c_str(), a.gpuBatch, a.size, a.size, t.slicesPerSecond, t.gflops / 1e3,
                100.0 * t.gflops / 1e3 / a.peakTflops, a.peakTflops);
    report.set("gpu", gpu.describe());
    report.set("gpu_b64_slices_per_s", t.slicesPerSecond);
    report.set("gpu_b64_tflops", t.gflops / 1e3);
  } else {
    std::printf("no CUDA GPU here: mixed-precision GPU throughput not measured\n");
    report.set("gpu", "none");
  }
  printResult(report, a.json);
}

void setupBenchInfer(CLI::App& cmd) {
  auto a = std::make_shared<BenchInferArgs>();
  cmd.add_option("--size", a->size, "Slice side in pixels")->capture_default_str()->check(wholeIn(32, 16384));
  cmd.add_option("--widths", a->widths, "Base widths to measure")->delimiter(',')->capture_default_str()->check(wholeIn(1, 256));
  cmd.add_option("--reps", a->reps, "Timed passes of C++ and of Python each, interleaved; min, median and max are "
                                    "printed, the ratio is median over median")
      ->capture_default_str()
      ->check(wholeIn(1, 1000));
  cmd.add_option("--threads", a->threads, "CPU threads (default: every core)")->check(wholeIn(1, kMaxThreads));
  cmd.add_option("--gpu-batch", a->gpuBatch, "Slices per forward pass on a GPU")->capture_default_str()->check(wholeIn(1, 1024));
  cmd.add_option("--peak-tflops", a->peakTflops, "The GPU's dense bf16 peak (H100/H200 SXM: 989)")
      ->capture_default_str()
      ->check(numberIn(0, 1e6, true));
  cmd.add_flag("--no-python", a->noPython, "Skip the Python reference");
  addJsonOption(cmd, a->json);
  cmd.callback([a] { runBenchInfer(*a); });
}

} // namespace

CDNET_BENCH(infer, "CDNet inference speed (base 64 and 16) against Python's torch on the same threads, interleaved",
            setupBenchInfer)

} // namespace cli
