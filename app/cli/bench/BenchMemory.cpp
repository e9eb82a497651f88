// cdnet bench memory: peak resident memory of predicting one large slice (4096 x 4096 by default)
// at base width 64 in tiles, against the size of the slice's own buffers.
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/MlCommon.h"
#include "app/cli/support/TerminalProgress.h"

#include "core/ml/InferenceBench.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

namespace cli {

namespace {

using namespace core::ml;

struct BenchMemoryArgs {
  int size = 4096, baseWidth = 64, tile = 0, overlap = 192, threads = 0;
  double targetGiB = 4.0;
  std::string json;
};

void setupBenchMemory(CLI::App& cmd) {
  auto a = std::make_shared<BenchMemoryArgs>();
  cmd.add_option("--size", a->size, "Slice side in pixels")->capture_default_str()->check(wholeIn(32, 16384));
  cmd.add_option("--base-width", a->baseWidth, "Base width of the network")->capture_default_str()->check(wholeIn(1, 256));
  cmd.add_option("--tile", a->tile, "Tile side (default as cdnet predict: 512 on a CPU)")->check(wholeIn(64, 16384));
  cmd.add_option("--overlap", a->overlap, "Tile overlap (memory does not depend on it, time does)")
      ->capture_default_str()
      ->check(wholeIn(0, 8192));
  cmd.add_option("--threads", a->threads, "CPU threads (default: every core)")->check(wholeIn(1, kMaxThreads));
  addJsonOption(cmd, a->json);
  cmd.callback([a] {
    const double gib = double(1ull << 30);
    const Device cpu = resolveDevice(DeviceRequest::Cpu, a->threads);
    core::bench::Report report("memory");
    report.set("threads", cpuThreads());
    const Model model = Model::create(ModelOptions::paper(a->baseWidth), cpu, 1);
    PredictOptions po;
    po.tile = a->tile;
    po.overlap = a->overlap;
    Predictor predictor(model, po);
    const std::size_t n = std::size_t(a->size) * std::size_t(a->size);
    std::vector<float> image(n), out(n);
    std::mt19937 rng(3);
    std::normal_distribution<float> nd;
    for (auto& v : image) v = nd(rng);
    const double before = double(peakResidentBytes()) / gib;
    std::printf("predicting one %d x %d slice at base width %d on %s: tiles %d, overlap %d (slice buffers %.2f GiB, "
                "peak before %.2f GiB)\n",
                a->size, a->size, a->baseWidth, cpu.describe().c_str(), predictor.options().tile,
                predictor.options().overlap, double(2 * n * sizeof(float)) / gib, before);
    printConditions(report);
    const auto t0 = std::chrono::steady_clock::now();
    TerminalProgress progress("memory");
    predictor.predictNormalised(image.data(), a->size, a->size, out.data(), progress);
    progress.done();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double peak = double(peakResidentBytes()) / gib;
    std::printf("peak resident memory %.2f GiB (target < %.0f GiB: %s) in %s\n", peak, a->targetGiB,
                peak < a->targetGiB ? "met" : "NOT met", formatDuration(s).c_str());
    report.set("size", a->size);
    report.set("base_width", a->baseWidth);
    report.set("tile", predictor.options().tile);
    report.set("overlap", predictor.options().overlap);
    report.set("peak_gib", peak);
    report.set("target_gib", a->targetGiB);
    report.set("seconds", s);
    printResult(report, a->json);
  });
}

} // namespace

CDNET_BENCH(memory, "Peak memory of predicting one 4096 x 4096 slice at base width 64", setupBenchMemory)

} // namespace cli
