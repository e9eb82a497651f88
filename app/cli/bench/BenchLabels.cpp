// cdnet bench labels: the label write path. Undo/redo of a 100-million-voxel change against a
// plain memset of the same bytes, as a uniform fill (best case) and as 1-voxel stripes (worst
// case), brush dab latency on a big label volume, undo memory of many strokes, and the autosave
// encoding against a plain memcpy of the labels.
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"

#include "core/bench/BenchReport.h"
#include "core/labels/Brush.h"
#include "core/labels/LabelVolume.h"
#include "core/project/RecoveryStore.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

using core::bench::quantileOf;

struct FillCase {
  const char* name;
  const char* key;
  bool striped;
};

/// Undo / redo of one edit over 512 x 512 x 400 voxels: a uniform fill (one run: the best case of
/// the run-length undo) or 1-voxel stripes of crack / not crack (a run per voxel: the worst
/// case), against memset of the same bytes; and the autosave encoding of the result.
void measureFill(const FillCase& c, core::bench::Report& report) {
  using namespace core::labels;
  using core::volume::Region;
  core::volume::VolumeInfo info;
  info.size = {512, 512, 400};
  LabelVolume labels(info);
  auto t0 = Clock::now();
  const auto s = labels.edit("Fill", [&](LabelEdit& e) {
    if (!c.striped) return void(e.fill(Region::whole(e.volume().size()), kCrack));
    e.modifyRows(Region::whole(e.volume().size()), [](std::int64_t y, std::int64_t z, std::uint8_t* row) {
      for (std::int64_t x = 0; x < 512; ++x) row[x] = ((x + y + z) & 1) ? kCrack : kNotCrack;
    });
  });
  const double edit = msSince(t0);
  t0 = Clock::now();
  labels.undo();
  const double undo = msSince(t0);
  t0 = Clock::now();
  labels.redo();
  const double redo = msSince(t0);
  std::vector<std::uint8_t> plain(std::size_t(info.size.count()));
  t0 = Clock::now();
  std::memset(plain.data(), 1, plain.size());
  std::memset(plain.data(), 2, plain.size());
  const double memsetMs = msSince(t0) / 2;
  t0 = Clock::now();
  const std::string enc = RecoveryStore::encodeLabels(labels.volume());
  const double encMs = msSince(t0);
  std::printf("%s, 512x512x400 (%.1f M voxels changed): edit %.1f ms, undo %.1f ms, redo %.1f ms; undo step %.1f MiB "
              "(%.2f bytes per voxel)\n",
              c.name, double(s.changedVoxels) / 1e6, edit, undo, redo, double(s.bytes) / 1048576.0,
              double(s.bytes) / double(info.size.count()));
  std::printf("  reference memset of the same bytes: %.1f ms; undo/memset ratio %.2f; autosave encoding %.1f ms, "
              "%.2f MiB\n",
              memsetMs, undo / memsetMs, encMs, double(enc.size()) / 1048576.0);
  const std::string k = c.key;
  report.set(k + "_edit_ms", edit);
  report.set(k + "_undo_ms", undo);
  report.set(k + "_redo_ms", redo);
  report.set(k + "_memset_ms", memsetMs);
  report.set(k + "_undo_memset_ratio", undo / memsetMs);
  report.set(k + "_step_mib", double(s.bytes) / 1048576.0);
  report.set(k + "_autosave_mib", double(enc.size()) / 1048576.0);
}

void run(int size, int strokes, const std::string& json) {
  using namespace core::labels;
  using core::volume::Region;
  core::bench::Report report("labels");
  report.set("threads", 1);
  report.set("size", size);
  report.set("strokes", strokes);
  std::printf("cdnet bench labels: the label write path on one thread\n");
  cli::printConditions(report);

  // 1. Undo / redo of 105 M voxels, best and worst case.
  measureFill({"uniform fill (best case: one run)", "fill", false}, report);
  measureFill({"1-voxel stripes (worst case: a run per voxel)", "stripes", true}, report);

  // 2. Dabs and strokes on a size^3 label volume.
  core::volume::VolumeInfo info;
  info.size = {size, size, size};
  LabelVolume labels(info);
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> pos(20, size - 20);
  BrushSettings brush;
  brush.size = 9;
  std::vector<double> dabUs;
  std::size_t bytes = 0;
  std::int64_t changed = 0;
  for (int k = 0; k < strokes; ++k) {
    BrushStroke stroke(labels, brush);
    const double z = std::floor(pos(rng));
    double x = pos(rng), y = pos(rng);
    for (int i = 0; i < 20; ++i) {
      x = std::clamp(x + (rng() % 21) - 10.0, 10.0, size - 10.0);
      y = std::clamp(y + (rng() % 21) - 10.0, 10.0, size - 10.0);
      const auto t0 = Clock::now();
      stroke.moveTo({x, y, z});
      dabUs.push_back(msSince(t0) * 1000.0);
    }
    const auto s = stroke.finish();
    bytes += s.bytes;
    changed += s.changedVoxels;
  }
  std::printf("%d strokes of 20 mouse moves, brush 9, on %d^3 labels: per move median %.1f us, p95 %.1f us\n", strokes,
              size, quantileOf(dabUs, 0.5), quantileOf(dabUs, 0.95));
  std::printf("  undo memory: %.2f MiB for %zu kept steps (%.0f bytes per stroke, %.2f bytes per changed voxel)\n",
              double(labels.undoStack().bytesUsed()) / 1048576.0, labels.undoStack().undoCount(),
              double(bytes) / strokes, double(bytes) / double(std::max<std::int64_t>(changed, 1)));

  // 3. Autosave encoding of the labels.
  auto t0 = Clock::now();
  const std::string enc = RecoveryStore::encodeLabels(labels.volume());
  const double encMs = msSince(t0);
  std::vector<std::uint8_t> copy(std::size_t(labels.volume().bytes()));
  t0 = Clock::now();
  std::memcpy(copy.data(), labels.volume().data(), copy.size());
  const double copyMs = msSince(t0);
  std::printf("autosave encoding of %d^3 labels: %.1f ms, %.2f MiB; memcpy of the labels %.1f ms; ratio %.2f\n", size,
              encMs, double(enc.size()) / 1048576.0, copyMs, encMs / copyMs);
  report.set("dab_median_us", quantileOf(dabUs, 0.5));
  report.set("dab_p95_us", quantileOf(dabUs, 0.95));
  report.set("undo_bytes_per_stroke", double(bytes) / strokes);
  report.set("autosave_ms", encMs);
  report.set("autosave_memcpy_ratio", encMs / copyMs);
  cli::printResult(report, json);
}

void setupBenchLabels(CLI::App& cmd) {
  auto size = std::make_shared<int>(1024);
  auto strokes = std::make_shared<int>(1000);
  auto json = std::make_shared<std::string>();
  cmd.add_option("--size", *size, "Edge of the cubic label volume for the brush part, voxels")
      ->capture_default_str()
      ->check(cli::wholeIn(64, 2048));
  cmd.add_option("--strokes", *strokes, "Number of brush strokes")->capture_default_str()->check(cli::wholeIn(1, 100000));
  cli::addJsonOption(cmd, *json);
  cmd.callback([size, strokes, json] { run(*size, *strokes, *json); });
}

} // namespace

CDNET_BENCH(labels, "Label editing: undo of 100 M voxels (best and worst case), brush dab latency, undo memory, "
                    "autosave encoding",
            setupBenchLabels)
