// cdnet bench tiles: whole-volume prediction of a realistic phantom inside an empty border (a share
// of every slice outside the sample, constant as a reconstruction outside the field of view):
// voxels per second with empty-tile skipping and measured tiles (--tile auto) against the former
// default (every tile run, 512-pixel tiles, overlap 192), and with skipping alone; the three
// interleaved, the order rotating, median of the repeats.
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/commands/BioimageioExport.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/MlCommon.h"
#include "app/cli/support/NumberChecks.h"

#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/ml/StarterModel.h"
#include "core/ml/TileTuner.h"
#include "core/phantom/Phantom.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>

namespace cli {

namespace {

using namespace core::ml;
using core::volume::Volume;
using core::volume::VoxelType;

struct BenchTilesArgs {
  int size = 1024, slices = 4, reps = 5, threads = 0;
  double emptyBorder = 0.3, budget = 30;
  std::string model, precision = "auto", json;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// A realistic phantom of side s = size * sqrt(1 - border) in the middle of size x size slices of
// its darkest grey value.
Volume phantomInBorder(const BenchTilesArgs& a, int& side) {
  side = std::max(64, int(std::lround(a.size * std::sqrt(1.0 - a.emptyBorder))));
  core::phantom::PhantomOptions po;
  po.size = {side, side, a.slices};
  po.seed = 21;
  const core::phantom::Phantom ph = core::phantom::generatePhantom(po);
  const Volume& img = ph.image;
  if (img.type() != VoxelType::UInt16) throw std::logic_error("bench tiles: the phantom is not uint16");
  const std::uint16_t* src = img.as<std::uint16_t>();
  const std::uint16_t lo = *std::min_element(src, src + img.voxelCount());
  Volume canvas({a.size, a.size, a.slices}, VoxelType::UInt16, img.spacing(), img.origin());
  std::uint16_t* dst = canvas.as<std::uint16_t>();
  std::fill(dst, dst + canvas.voxelCount(), lo);
  const int off = (a.size - side) / 2;
  for (int z = 0; z < a.slices; ++z)
    for (int y = 0; y < side; ++y)
      std::memcpy(dst + (std::size_t(z) * a.size + std::size_t(y + off)) * a.size + off,
                  src + (std::size_t(z) * side + y) * side, 2 * std::size_t(side));
  return canvas;
}

void runBenchTiles(const BenchTilesArgs& a) {
  const std::string path = a.model.empty() ? findStarterModel() : a.model;
  if (path.empty())
    throw std::invalid_argument("no starter model at " + starterModelSearchPath() + "; pass --model");
  resolveDevice(DeviceRequest::Cpu, a.threads);
  LoadOptions lo;
  lo.device = DeviceRequest::Cpu;
  lo.cpuThreads = a.threads;
  const Model model = loadModelOrPackage(path, lo);
  int side = 0;
  const Volume volume = phantomInBorder(a, side);
  const double voxels = double(volume.voxelCount());
  const double emptyShare = 1.0 - double(side) * side / (double(a.size) * a.size);

  core::bench::Report report("tiles");
  report.set("threads", cpuThreads());
  report.set("size", a.size);
  report.set("slices", a.slices);
  report.set("empty_border", emptyShare);
  report.set("reps", a.reps);
  std::printf("whole-volume prediction of a realistic phantom of %d x %d x %d in the middle of %d x %d slices (%.0f%% of "
              "the voxels outside the sample, constant); model %s (base %d), %d threads, precision %s; %d timed runs "
              "of each configuration, interleaved (the order rotating), after one untimed run of each\n",
              side, side, a.slices, a.size, a.size, 100.0 * emptyShare, path.c_str(), model.options().baseWidth,
              cpuThreads(), a.precision.c_str(), a.reps);
  printConditions(report);

  struct Config {
    const char* name;
    int tile;
    bool skip;
    std::vector<double> seconds;
    std::int64_t run = 0, skipped = 0;
    Volume out;
  };
  Config configs[3] = {{"today (every tile, 512 / 192)", 0, false, {}, 0, 0, {}},
                       {"skip empty tiles, 512 / 192", 0, true, {}, 0, 0, {}},
                       {"skip empty tiles, --tile auto", kAutoTile, true, {}, 0, 0, {}}};
  TileChoice choice;
  choice.tile = 0;
  auto runOnce = [&](Config& c, bool timed) {
    PredictOptions po;
    po.tile = c.tile;
    po.skipEmptyTiles = c.skip;
    po.precision = parsePrecision(a.precision);
    po.tileTuning.budgetSeconds = a.budget;
    Predictor p(model, po);
    p.tuneTiles(volume, a.slices / 2); // auto: the first call measures, the later ones are remembered
    if (p.tileChoice() && !p.tileChoice()->fromCache && choice.tile == 0) choice = *p.tileChoice(); // the first
    const auto t0 = std::chrono::steady_clock::now();
    c.out = p.predict(volume, 0, a.slices);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (timed) c.seconds.push_back(s);
    c.run = p.tilesRun();
    c.skipped = p.tilesSkipped();
    std::this_thread::sleep_for(std::chrono::milliseconds(50)); // let the OpenMP threads settle
  };
  clearTileCache(); // measured in this run, not taken from an earlier one
  for (auto& c : configs) runOnce(c, false);
  std::printf("%s\n", choice.describe().c_str());
  for (const auto& t : choice.tried)
    std::printf("  candidate tile %4d overlap %3d: %3lld tiles per slice, about %.3f s per slice, seam error %s\n",
                t.tile, t.overlap, static_cast<long long>(t.tilesPerSlice), t.secondsPerSlice,
                t.seamError < 0 ? "not checked" : std::to_string(t.seamError).c_str());
  for (int r = 0; r < a.reps; ++r)
    for (int k = 0; k < 3; ++k) runOnce(configs[(r + k) % 3], true);

  // Probability differences against today's output inside the sample.
  auto maxDiffInside = [&](const Volume& p) {
    double m = 0;
    const int off = (a.size - side) / 2;
    const float *x = p.as<float>(), *y = configs[0].out.as<float>();
    for (int z = 0; z < a.slices; ++z)
      for (int yy = off; yy < off + side; ++yy)
        for (int xx = off; xx < off + side; ++xx) {
          const std::size_t i = (std::size_t(z) * a.size + yy) * a.size + xx;
          m = std::max(m, double(std::fabs(x[i] - y[i])));
        }
    return m;
  };
  std::printf("%-32s %10s %10s %10s %14s %9s %9s %12s\n", "configuration", "min s", "median s", "max s",
              "voxels/s (med)", "tiles run", "skipped", "max|dp| in");
  const double base = voxels / median(configs[0].seconds);
  const char* keys[3] = {"today", "skip", "skip_auto"};
  for (int i = 0; i < 3; ++i) {
    Config& c = configs[i];
    const double med = median(c.seconds), vps = voxels / med;
    const double d = maxDiffInside(c.out);
    std::printf("%-32s %10.3f %10.3f %10.3f %14.3g %9lld %9lld %12.4f\n", c.name,
                *std::min_element(c.seconds.begin(), c.seconds.end()), med,
                *std::max_element(c.seconds.begin(), c.seconds.end()), vps, static_cast<long long>(c.run),
                static_cast<long long>(c.skipped), d);
    report.set(std::string(keys[i]) + "_s_median", med);
    report.set(std::string(keys[i]) + "_voxels_per_s", vps);
    report.set(std::string(keys[i]) + "_tiles_skipped", c.skipped);
    if (i > 0) report.set(std::string(keys[i]) + "_max_diff_inside", d);
  }
  std::printf("ratios are voxels per second over today's (median over median); the tile choice took %.1f s once "
              "(remembered afterwards per model, threads, precision and slice size) and is not in the timings\n",
              choice.tuningSeconds);
  report.set("auto_tile", choice.tile);
  report.set("auto_overlap", choice.overlap);
  report.set("auto_seam_error", choice.seamError);
  report.set("tuning_s", choice.tuningSeconds);
  report.set("ratio_skip", voxels / median(configs[1].seconds) / base);
  report.set("ratio", voxels / median(configs[2].seconds) / base);
  printResult(report, a.json);
}

void setupBenchTiles(CLI::App& cmd) {
  auto a = std::make_shared<BenchTilesArgs>();
  cmd.add_option("--size", a->size, "Slice side in pixels")->capture_default_str()->check(wholeIn(128, 8192));
  cmd.add_option("--slices", a->slices, "Slices of the volume")->capture_default_str()->check(wholeIn(1, 1024));
  cmd.add_option("--empty-border", a->emptyBorder,
                 "Share of every slice outside the sample (a centred square phantom; the rest constant)")
      ->capture_default_str()
      ->check(numberIn(0, 0.95, false, true));
  cmd.add_option("--reps", a->reps, "Timed runs of each configuration, interleaved")
      ->capture_default_str()
      ->check(wholeIn(1, 1000));
  cmd.add_option("--threads", a->threads, "CPU threads (default: every core)")->check(wholeIn(1, kMaxThreads));
  cmd.add_option("--model", a->model, "Model (default: the starter model)");
  cmd.add_option("--precision", a->precision, "auto, fp32 or bf16 (the same for every configuration)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "fp32", "bf16"}));
  cmd.add_option("--tile-budget", a->budget, "Seconds the tile choice may take")
      ->capture_default_str()
      ->check(numberIn(1, 3600));
  addJsonOption(cmd, a->json);
  cmd.callback([a] { runBenchTiles(*a); });
}

} // namespace

CDNET_BENCH(tiles, "Whole-volume prediction with an empty border: empty-tile skipping and --tile auto against every tile",
            setupBenchTiles)

} // namespace cli
