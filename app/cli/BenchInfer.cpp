// cdnet bench infer: CDNet inference speed at base widths 64 and 16 on 512 x 512 slices, against
// the same network and weights run by Python's torch (eager) on the same threads in the same run;
// on a CUDA GPU also bf16 mixed-precision throughput and its share of the GPU's peak.
#include "Command.h"
#include "NumberChecks.h"
#include "MlCommon.h"
#include "PythonRunner.h"

#include "core/ml/InferenceBench.h"
#include "core/ml/Model.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
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

path, size, threads, reps, xin, yref = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
torch.set_num_threads(threads)
ts = torch.jit.load(path)
m = CDNet(int(ts.cdnet_base_width))
m.load_state_dict(ts.state_dict())
m.eval()
x = torch.from_file(xin, size=size * size, dtype=torch.float32).reshape(1, 1, size, size)
ref = torch.from_file(yref, size=size * size, dtype=torch.float32).reshape(1, 1, size, size)
with torch.inference_mode():
    diff = (m(x) - ref).abs().max().item()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        m(x)
        times.append(time.perf_counter() - t)
times.sort()
print("PY %.6f %.3g %d" % (times[len(times) // 2], diff, torch.get_num_threads()))
)PY";

struct BenchInferArgs {
  int size = 512, reps = 3, threads = 0, gpuBatch = 8;
  std::vector<int> widths{64, 16};
  bool noPython = false;
  double peakTflops = 989.0;
};

void writeFloats(const fs::path& p, const std::vector<float>& v) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * 4));
}

void runBenchInfer(const BenchInferArgs& a) {
  const Device cpu = resolveDevice(DeviceRequest::Cpu, a.threads);
  const bool python = !a.noPython && pythonHasTorch();
  std::printf("CDNet inference of one %d x %d slice on the CPU, %d threads; reference: the same network and weights "
              "in Python's torch (eager, %s), same threads, same allocator settings\n",
              a.size, a.size, cpuThreads(), python ? pythonInterpreter().c_str() : "not available");
  std::printf("%-5s %10s %12s %9s %9s %12s %10s %12s\n", "base", "params", "C++ s/slice", "slices/s", "GFLOP/s",
              "Python s/sl", "C++/Py", "max |diff|");
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
    const InferenceTiming t = timeInference(model, a.size, 1, a.reps);
    std::string pyText = "-", ratioText = "-", diffText = "-";
    if (python) {
      std::vector<float> x(std::size_t(a.size) * a.size), y(x.size());
      std::mt19937 rng(7);
      std::normal_distribution<float> nd;
      for (auto& v : x) v = nd(rng);
      model.predict(x.data(), 1, a.size, a.size, y.data());
      writeFloats(dir / "x.f32", x);
      writeFloats(dir / "y.f32", y);
      model.exportTorchScript((dir / "model.pt").string());
      const std::string tn = std::to_string(cpuThreads());
      const std::string out = runPython(
          kPythonBench,
          {(dir / "model.pt").string(), std::to_string(a.size), tn, std::to_string(a.reps), (dir / "x.f32").string(),
           (dir / "y.f32").string()},
          {"OMP_NUM_THREADS=" + tn, "GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736"});
      const auto pos = out.rfind("PY ");
      if (pos == std::string::npos) throw std::runtime_error("unexpected Python output:\n" + out);
      std::istringstream in(out.substr(pos + 3));
      double pySeconds = 0, diff = 0;
      in >> pySeconds >> diff;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3f", pySeconds);
      pyText = buf;
      std::snprintf(buf, sizeof buf, "%.2f", pySeconds / t.secondsPerSlice);
      ratioText = buf;
      std::snprintf(buf, sizeof buf, "%.1e", diff);
      diffText = buf;
    }
    std::printf("%-5d %9.2fM %12.3f %9.3f %9.1f %12s %10s %12s\n", width, double(model.parameterCount()) / 1e6,
                t.secondsPerSlice, t.slicesPerSecond, t.gflops, pyText.c_str(), ratioText.c_str(), diffText.c_str());
    std::fflush(stdout);
  }
  std::printf("C++/Py is Python's time over ours: 1 or more means the C++ path is not slower. Load average %s.\n",
              loadAverage().c_str());
  if (cudaAvailable()) {
    const Device gpu = resolveDevice(DeviceRequest::Cuda);
    const Model model = Model::create(ModelOptions::paper(64), gpu, 1);
    const InferenceTiming t = timeInference(model, a.size, a.gpuBatch, std::max(5, a.reps));
    std::printf("GPU %s, base 64, batch %d of %d x %d: %.1f slices/s, %.1f TFLOP/s = %.1f%% of a %.0f TFLOP/s bf16 peak\n",
                gpu.describe().c_str(), a.gpuBatch, a.size, a.size, t.slicesPerSecond, t.gflops / 1e3,
                100.0 * t.gflops / 1e3 / a.peakTflops, a.peakTflops);
  } else {
    std::printf("no CUDA GPU here: mixed-precision GPU throughput not measured\n");
  }
}

void setupBenchInfer(CLI::App& cmd) {
  auto a = std::make_shared<BenchInferArgs>();
  cmd.add_option("--size", a->size, "Slice side in pixels")->capture_default_str()->check(wholeIn(32, 16384));
  cmd.add_option("--widths", a->widths, "Base widths to measure")->delimiter(',')->capture_default_str()->check(wholeIn(1, 256));
  cmd.add_option("--reps", a->reps, "Timed passes per width (the median counts)")->capture_default_str()->check(wholeIn(1, 10000));
  cmd.add_option("--threads", a->threads, "CPU threads (default: every core)")->check(wholeIn(1, kMaxThreads));
  cmd.add_option("--gpu-batch", a->gpuBatch, "Slices per forward pass on a GPU")->capture_default_str()->check(wholeIn(1, 1024));
  cmd.add_option("--peak-tflops", a->peakTflops, "The GPU's dense bf16 peak (H100/H200 SXM: 989)")
      ->capture_default_str()
      ->check(numberIn(0, 1e6, true));
  cmd.add_flag("--no-python", a->noPython, "Skip the Python reference");
  cmd.callback([a] { runBenchInfer(*a); });
}

} // namespace

CDNET_BENCH(infer, "CDNet inference speed (base 64 and 16) against Python's torch on the same threads", setupBenchInfer)

} // namespace cli
