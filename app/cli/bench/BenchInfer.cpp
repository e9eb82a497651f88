// cdnet bench infer: CDNet inference speed at base widths 64 and 16 on 512 x 512 slices, in eager
// fp32, fused fp32 (oneDNN, Model::fusedFp32), its Winograd variant (Model::winogradFp32) and (on a CPU with AVX512_BF16 or AMX-BF16) in bf16, against the same network and weights run by
// Python's torch (eager fp32) on the same threads in the same run, the passes of all interleaved
// (min, median, max of each; the ratios are median over median); the bf16 - fp32, fused - eager and winograd - eager
// probability differences and Dice changes of the starter model on a realistic phantom; on a CUDA GPU also bf16
// mixed-precision throughput and its share of the GPU's peak.
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/MlCommon.h"
#include "app/cli/bench/PythonRunner.h"

#include "core/ml/InferenceBench.h"
#include "core/ml/Model.h"
#include "core/ml/ModelOptions.h"
#include "core/ml/StarterModel.h"
#include "core/phantom/Phantom.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>
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
        t, c = time.perf_counter(), time.process_time()
        m(x)
        print("T %.6f %.6f" % (time.perf_counter() - t, time.process_time() - c), flush=True)
)PY";

struct BenchInferArgs {
  int size = 512, reps = 7, threads = 0, gpuBatch = 8, accuracySlices = 4;
  std::string accuracyModel; // default: the starter model
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

// The starter model (or --accuracy-model) and the realistic phantom the accuracy lines use.
struct AccuracyInputs {
  std::string path;
  Model model;
  core::phantom::Phantom phantom;
};

std::optional<AccuracyInputs> loadAccuracyInputs(const BenchInferArgs& a) {
  const std::string path = a.accuracyModel.empty() ? findStarterModel() : a.accuracyModel;
  if (path.empty()) {
    std::printf("accuracy: no starter model at %s; pass --accuracy-model\n", starterModelSearchPath().c_str());
    return std::nullopt;
  }
  LoadOptions lo;
  lo.device = DeviceRequest::Cpu;
  core::phantom::PhantomOptions po;
  po.size = {a.size, a.size, a.accuracySlices};
  po.seed = 21;
  return AccuracyInputs{path, Model::load(path, lo), core::phantom::generatePhantom(po)};
}

// The bf16 - fp32 comparison on a realistic phantom: max probability difference and Dice change.
void benchAccuracy(const BenchInferArgs& a, const AccuracyInputs& in, core::bench::Report& report) {
  const PrecisionAccuracy acc = comparePrecisions(in.model, in.phantom.image, in.phantom.cracks);
  std::printf("accuracy, %s (base %d) on a realistic phantom of %d x %d x %d, default tiles: max |p_bf16 - p_fp32| = "
              "%.4f; crack Dice fp32 %.4f, bf16 %.4f (change %+.4f); whole prediction %.2f s fp32, %.2f s bf16\n",
              in.path.c_str(), in.model.options().baseWidth, a.size, a.size, a.accuracySlices, acc.maxProbDiff,
              acc.diceFp32, acc.diceBf16, acc.diceBf16 - acc.diceFp32, acc.secondsFp32, acc.secondsBf16);
  report.set("accuracy_model", in.path);
  report.set("max_prob_diff", acc.maxProbDiff);
  report.set("dice_fp32", acc.diceFp32);
  report.set("dice_bf16", acc.diceBf16);
  report.set("dice_change", acc.diceBf16 - acc.diceFp32);
}

// The fused - eager and Winograd - eager fp32 comparisons on the same phantom (every CPU).
void benchFusedAccuracy(const AccuracyInputs& in, core::bench::Report& report) {
  const Model& model = in.model;
  const FusedAccuracy acc = compareFusedFp32(model, in.phantom.image, in.phantom.cracks);
  std::printf("accuracy, %s (base %d), same phantom: max |p_fused - p_eager| = %.2e; crack Dice eager %.4f, fused "
              "%.4f (change %+.4f); whole prediction %.2f s eager, %.2f s fused\n",
              in.path.c_str(), model.options().baseWidth, acc.maxProbDiff, acc.diceEager, acc.diceFused,
              acc.diceFused - acc.diceEager, acc.secondsEager, acc.secondsFused);
  report.set("fused_max_prob_diff", acc.maxProbDiff);
  report.set("dice_fused_change", acc.diceFused - acc.diceEager);
  Model wino = model; // the same handle: switched back below
  wino.setWinogradFp32(true);
  const bool hasWino = wino.winogradFp32();
  wino.setWinogradFp32(false);
  if (!hasWino) return;
  const FusedAccuracy w = compareWinogradFp32(model, in.phantom.image, in.phantom.cracks);
  std::printf("accuracy, same model and phantom: max |p_winograd - p_eager| = %.2e; crack Dice eager %.4f, winograd "
              "%.4f (change %+.4f); whole prediction %.2f s eager, %.2f s winograd\n",
              w.maxProbDiff, w.diceEager, w.diceFused, w.diceFused - w.diceEager, w.secondsEager, w.secondsFused);
  report.set("wino_max_prob_diff", w.maxProbDiff);
  report.set("dice_wino_change", w.diceFused - w.diceEager);
}

void runBenchInfer(const BenchInferArgs& a) {
  const Device cpu = resolveDevice(DeviceRequest::Cpu, a.threads);
  const bool python = !a.noPython && pythonHasTorch();
  const bool bf16 = cpuBf16Support().any();
  core::bench::Report report("infer");
  report.set("threads", cpuThreads());
  report.set("size", a.size);
  report.set("reps", a.reps);
  report.set("cpu_bf16", cpuBf16Support().describe());
  std::printf("CDNet inference of one %d x %d slice on the CPU, %d threads, fp32 (eager LibTorch, and fused: oneDNN "
              "with weights reordered once, activations in its layout, exact rewrites of upsampling and concatenation; "
              "winograd: the same on raw oneDNN primitives, 3x3 convolutions after the first through Winograd: "
              "oneDNN's F(4x4, 3x3) with AVX-512, our own F(2x2, 3x3) with AVX2) "
              "and %s; reference: the same network "
              "and weights in Python's torch (eager fp32, %s), same threads, same allocator settings; %d timed passes "
              "of each, interleaved (the order rotating), after one untimed warm-up pass of each\n",
              a.size, a.size, cpuThreads(),
              bf16 ? ("bf16 (this CPU has " + cpuBf16Support().describe() + ")").c_str()
                   : "no bf16 (this CPU has neither AVX512_BF16 nor AMX-BF16)",
              python ? pythonInterpreter().c_str() : "not available", a.reps);
  printConditions(report);
  std::printf("%-5s %9s %-23s %-23s %-23s %-23s %-23s %7s %8s %7s %7s %10s %11s %10s %10s\n", "base", "params",
              "C++ fp32 s min/med/max", "C++ fused s min/med/max", "C++ winograd s min/med/max",
              "C++ bf16 s min/med/max", "Python s min/med/max", "fp32/Py", "fused/Py", "wino/Py", "bf16/Py",
              "|fp32-Py|", "|fused-fp32|", "|wino-fp32|", "|bf16-fp32|");
  double fusedDiffAll = 0, winoDiffAll = 0;
  std::vector<std::pair<int, double>> fusedRatios, winoRatios; // in the order of --widths
  std::string cpuLines;
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
    Model model = Model::create(ModelOptions::paper(width), cpu, 1);
    model.setWinogradFp32(false); // timed as its own column below, whatever CDNET_WINOGRAD says
    std::vector<float> x(std::size_t(a.size) * std::size_t(a.size)), y(x.size()), yb(x.size()), yf(x.size()),
        yw(x.size());
    std::mt19937 rng(7);
    std::normal_distribution<float> nd;
    for (auto& v : x) v = nd(rng);
    model.setFusedFp32(false);
    model.predict(x.data(), 1, a.size, a.size, y.data()); // warm-up: allocator, kernels (eager: Python's reference)
    model.setFusedFp32(true);
    const bool fused = model.fusedFp32();
    double fusedDiff = 0;
    if (fused) {
      model.predict(x.data(), 1, a.size, a.size, yf.data()); // warm-up, and the reordered weights
      for (std::size_t i = 0; i < y.size(); ++i) fusedDiff = std::max(fusedDiff, double(std::fabs(y[i] - yf[i])));
      fusedDiffAll = std::max(fusedDiffAll, fusedDiff);
    }
    // The fused path's Winograd variant (Model::winogradFp32), where this build has it.
    model.setWinogradFp32(true);
    const bool wino = fused && model.winogradFp32();
    double winoDiff = 0;
    if (wino) {
      model.predict(x.data(), 1, a.size, a.size, yw.data()); // warm-up, primitives and weights
      for (std::size_t i = 0; i < y.size(); ++i) winoDiff = std::max(winoDiff, double(std::fabs(y[i] - yw[i])));
      winoDiffAll = std::max(winoDiffAll, winoDiff);
    }
    model.setWinogradFp32(false);
    double bf16Diff = 0;
    if (bf16) {
      model.predict(x.data(), 1, a.size, a.size, yb.data(), Precision::Bf16); // warm-up, and the bf16 copy
      for (std::size_t i = 0; i < y.size(); ++i) bf16Diff = std::max(bf16Diff, double(std::fabs(y[i] - yb[i])));
    }
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
    // Interleaved, the order rotating, with a pause after each pass so that the other side's
    // OpenMP threads have stopped spinning before a timed pass starts.
    std::vector<double> ours, oursFused, oursWino, oursBf16, theirs;
    // Also the process's CPU seconds (all threads) of each pass: on a loaded machine, with waiting
    // threads passive (OMP_WAIT_POLICY=PASSIVE), a steadier figure of the work than wall time.
    std::vector<double> cpuOurs, cpuFused, cpuWino, cpuTheirs;
    auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(50)); };
    // path: 0 eager, 1 fused, 2 fused with Winograd (fp32 only).
    auto runOurs = [&](Precision p, int path, std::vector<double>& times) {
      if ((p == Precision::Bf16 && !bf16) || (path == 1 && !fused) || (path == 2 && !wino)) return;
      model.setFusedFp32(path > 0);
      model.setWinogradFp32(path == 2);
      const auto t0 = std::chrono::steady_clock::now();
      const std::clock_t c0 = std::clock();
      float* out = p == Precision::Bf16 ? yb.data() : path == 2 ? yw.data() : path == 1 ? yf.data() : y.data();
      model.predict(x.data(), 1, a.size, a.size, out, p);
      times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      const double cpuSeconds = double(std::clock() - c0) / CLOCKS_PER_SEC;
      if (p == Precision::Fp32) (path == 2 ? cpuWino : path == 1 ? cpuFused : cpuOurs).push_back(cpuSeconds);
      model.setWinogradFp32(false);
      pause();
    };
    auto runTheirs = [&] {
      if (!py) return;
      std::istringstream line(py->ask("run", "T "));
      double wall = 0, cpuSeconds = 0;
      line >> wall >> cpuSeconds;
      theirs.push_back(wall);
      cpuTheirs.push_back(cpuSeconds);
      pause();
    };
    for (int r = 0; r < a.reps; ++r)
      for (int k = 0; k < 5; ++k) switch ((r + k) % 5) {
        case 0: runOurs(Precision::Fp32, 0, ours); break;
        case 1: runOurs(Precision::Fp32, 1, oursFused); break;
        case 2: runOurs(Precision::Fp32, 2, oursWino); break;
        case 3: runOurs(Precision::Bf16, 0, oursBf16); break;
        default: runTheirs();
        }
    model.setFusedFp32(true);
    py.reset();
    const Spread c(ours);
    const double gflops = forwardFlops(model.options(), a.size, a.size) / c.median / 1e9;
    const std::string b = "b" + std::to_string(width) + "_";
    report.set(b + "cpp_s_min", c.min);
    report.set(b + "cpp_s_median", c.median);
    report.set(b + "cpp_s_max", c.max);
    report.set(b + "gflops", gflops);
    std::string bfText = "-", pyText = "-", ratioText = "-", ratioBfText = "-", diffText = "-", bfDiffText = "-";
    std::string fuText = "-", ratioFuText = "-", fuDiffText = "-", wiText = "-", ratioWiText = "-", wiDiffText = "-";
    char buf[64];
    // One C++ column beside eager fp32: its spread, its max difference on random input, and keys.
    auto column = [&](const std::vector<double>& samples, const std::string& key, double maxDiff, std::string& text,
                      std::string& diffText) -> std::unique_ptr<Spread> {
      if (samples.empty()) return nullptr;
      auto s = std::make_unique<Spread>(samples);
      text = s->text();
      std::snprintf(buf, sizeof buf, "%.1e", maxDiff);
      diffText = buf;
      report.set(b + key + "_s_min", s->min);
      report.set(b + key + "_s_median", s->median);
      report.set(b + key + "_s_max", s->max);
      report.set(b + key + "_speedup", c.median / s->median);
      report.set(b + key + "_max_diff_random", maxDiff);
      return s;
    };
    const std::unique_ptr<Spread> cw = column(oursWino, "wino", winoDiff, wiText, wiDiffText);
    if (cw) {
      report.set(b + "wino_layers", model.winogradLayers());
      if (!oursFused.empty()) report.set(b + "wino_over_fused", Spread(oursFused).median / cw->median);
    }
    const std::unique_ptr<Spread> cf = column(oursFused, "fused", fusedDiff, fuText, fuDiffText);
    const std::unique_ptr<Spread> cb = column(oursBf16, "bf16", bf16Diff, bfText, bfDiffText);
    if (!theirs.empty()) {
      const Spread p(theirs);
      pyText = p.text();
      std::snprintf(buf, sizeof buf, "%.2f", p.median / c.median);
      ratioText = buf;
      std::snprintf(buf, sizeof buf, "%.1e", diff);
      diffText = buf;
      report.set(b + "py_s_min", p.min);
      report.set(b + "py_s_median", p.median);
      report.set(b + "py_s_max", p.max);
      report.set(b + "ratio", p.median / c.median); // C++ fp32 over Python, as before
      report.set(b + "max_diff", diff);
      if (cf) {
        fusedRatios.emplace_back(width, p.median / cf->median);
        std::snprintf(buf, sizeof buf, "%.2f", fusedRatios.back().second);
        ratioFuText = buf;
      }
      if (cw) {
        winoRatios.emplace_back(width, p.median / cw->median);
        std::snprintf(buf, sizeof buf, "%.2f", winoRatios.back().second);
        ratioWiText = buf;
      }
      // The headline ratio: the path prediction runs here (bf16 where the CPU has it, else the
      // Winograd variant where the CPU has Winograd, else fused fp32 where oneDNN is present) over
      // Python's eager fp32.
      const double ratio = p.median / (cb ? cb->median : cw ? cw->median : cf ? cf->median : c.median);
      if (cb) {
        std::snprintf(buf, sizeof buf, "%.2f", ratio);
        ratioBfText = buf;
      }
      report.set("ratio_" + b.substr(0, b.size() - 1), ratio);
    }
    if (!cpuFused.empty() && !cpuTheirs.empty()) {
      const double e = Spread(cpuOurs).median, f = Spread(cpuFused).median, q = Spread(cpuTheirs).median;
      report.set(b + "cpu_s_median", e);
      report.set(b + "fused_cpu_s_median", f);
      report.set(b + "py_cpu_s_median", q);
      report.set(b + "fused_cpu_ratio", q / f);
      cpuLines += "  base " + std::to_string(width) + ": CPU s median eager " + std::to_string(e) + ", fused " +
                  std::to_string(f) + ", Python " + std::to_string(q) + "; fused/Py " + std::to_string(q / f) + "\n";
      if (!cpuWino.empty()) {
        const double w = Spread(cpuWino).median;
        report.set(b + "wino_cpu_s_median", w);
        report.set(b + "wino_cpu_ratio", q / w);
        cpuLines += "  base " + std::to_string(width) + ": CPU s median winograd " + std::to_string(w) + "; wino/Py " +
                    std::to_string(q / w) + "\n";
      }
    }
    std::printf("%-5d %8.2fM %-23s %-23s %-23s %-23s %-23s %7s %8s %7s %7s %10s %11s %10s %10s\n", width,
                double(model.parameterCount()) / 1e6, c.text().c_str(), fuText.c_str(), wiText.c_str(), bfText.c_str(),
                pyText.c_str(), ratioText.c_str(), ratioFuText.c_str(), ratioWiText.c_str(), ratioBfText.c_str(),
                diffText.c_str(), fuDiffText.c_str(), wiDiffText.c_str(), bfDiffText.c_str());
    std::fflush(stdout);
  }
  std::printf("fp32/Py, fused/Py, wino/Py, bf16/Py = Python's median time over ours: 1 or more means the C++ path is not slower; compare "
              "them with the spread of each side before reading anything into them. |fused-fp32| and |bf16-fp32| are "
              "on random input with random weights (against eager fp32); the accuracy lines below use a trained model.\n");
  if (!cpuLines.empty())
    std::printf("process CPU seconds per pass (all threads; steadier than wall time on a loaded machine when waiting "
                "threads are passive, OMP_WAIT_POLICY=PASSIVE):\n%s", cpuLines.c_str());
  if (a.accuracySlices > 0 && (bf16 || !fusedRatios.empty())) {
    if (const std::optional<AccuracyInputs> in = loadAccuracyInputs(a)) {
      if (bf16) benchAccuracy(a, *in, report);
      if (!fusedRatios.empty()) benchFusedAccuracy(*in, report);
    }
  }
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
  // Last (issue 21's fusion target): fused fp32 over Python's eager fp32, median over median.
  for (const auto& [width, ratio] : fusedRatios) report.set("ratio_fp32fused_b" + std::to_string(width), ratio);
  if (!fusedRatios.empty()) report.set("fused_max_diff", fusedDiffAll);
  // The fused path's Winograd variant over Python's eager fp32 (the fp32 default where the CPU has it).
  for (const auto& [width, ratio] : winoRatios) report.set("ratio_fp32wino_b" + std::to_string(width), ratio);
  if (!winoRatios.empty()) report.set("wino_max_diff", winoDiffAll);
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
  cmd.add_option("--accuracy-slices", a->accuracySlices,
                 "Slices of the realistic phantom (of --size) for the bf16 and fused accuracy checks; 0 = none")
      ->capture_default_str()
      ->check(wholeIn(0, 64));
  cmd.add_option("--accuracy-model", a->accuracyModel, "Model for the accuracy check (default: the starter model)");
  addJsonOption(cmd, a->json);
  cmd.callback([a] { runBenchInfer(*a); });
}

} // namespace

CDNET_BENCH(infer, "CDNet inference speed, fp32 (eager, fused) and bf16 (base 64, 16) against Python's torch, interleaved",
            setupBenchInfer)

} // namespace cli
