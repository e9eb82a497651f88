// cdnet bench lazy: a lazily read OME-Zarr volume (issue 16, "views read what they show"): read
// throughput through the ChunkCache cold (every block decoded) and warm (every block cached)
// against the reader alone, the time of one full-resolution slice read cold and warm (p50, p95),
// and for an asynchronous slice request the time until the coarsest level is there to draw and
// until every full-resolution block has arrived. The files are written first, so the page cache
// is warm: the numbers are decode and copy costs, not disk.
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"

#include "core/bench/BenchReport.h"
#include "core/volume/io/VolumeIO.h"
#include "core/volume/lazy/LazyVolume.h"


#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cli {

namespace {

using namespace core::volume;
using Clock = std::chrono::steady_clock;

struct Args {
  std::int64_t x = 512, y = 512, z = 256;
  int chunk = 64, slices = 40, threads = 2;
  double budgetMiB = 64;
  std::string dir, json;
};

double seconds(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

using core::bench::quantileOf;

void runBench(const Args& a) {
  const std::string base = a.dir.empty() ? fs::temp_directory_path().string() : a.dir;
  const std::string folder = (fs::path(base) / ("cdnet-bench-lazy-" + std::to_string(::getpid()))).string();
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } cleanup{folder};
  fs::create_directories(folder);
  const std::string path = folder + "/v.zarr";
  {
    // Grey values with structure and noise (compresses like a tomogram, not like zeros).
    Volume v({a.x, a.y, a.z}, VoxelType::UInt16);
    auto* p = v.as<std::uint16_t>();
    std::mt19937 rng(5);
    for (std::int64_t i = 0; i < v.voxelCount(); ++i)
      p[i] = std::uint16_t(20000 + 8000 * ((i / 97) % 3) + (rng() & 1023));
    WriteOptions o;
    o.hdf5Chunk = {a.chunk, a.chunk, a.chunk};
    writeVolume(v, path, o);
  }
  core::bench::Report report("lazy");
  report.set("threads", a.threads);
  report.set("cache", "warm");
  std::printf("volume %lldx%lldx%lld uint16 as OME-Zarr (blosc lz4, chunks %d^3); page cache WARM (just written)\n",
              (long long)a.x, (long long)a.y, (long long)a.z, a.chunk);
  printConditions(report);
  const double mb = double(a.x * a.y * a.z * 2) / 1e6;
  const Region whole = Region::whole({a.x, a.y, a.z});

  auto t = Clock::now();
  (void)openVolume(path)->read();
  const double direct = mb / seconds(t);
  auto big = std::make_shared<ChunkCache>(std::uint64_t(mb * 1e6 * 2));
  LazyOptions lo;
  lo.threads = a.threads;
  auto lazy = LazyVolume::open(path, big, lo);
  t = Clock::now();
  (void)lazy->read(0, whole);
  const double cold = mb / seconds(t);
  t = Clock::now();
  (void)lazy->read(0, whole);
  const double warm = mb / seconds(t);
  std::printf("whole volume: reader alone %.0f MB/s, through the cache cold %.0f MB/s, warm %.0f MB/s\n", direct, cold,
              warm);
  report.set("levels", lazy->levels());
  report.set("direct_mb_s", direct);
  report.set("cold_mb_s", cold);
  report.set("warm_mb_s", warm);

  // Full-resolution XY slices: cold in a fresh cache of the budget, then warm (the same slices again).
  std::mt19937 rng(9);
  std::vector<std::int64_t> zs;
  for (int i = 0; i < a.slices; ++i) zs.push_back(std::int64_t(rng() % std::uint32_t(a.z)));
  auto small = std::make_shared<ChunkCache>(std::uint64_t(a.budgetMiB * 1048576.0));
  auto sliced = LazyVolume::open(path, small, lo);
  std::vector<double> coldMs, warmMs;
  for (std::int64_t z : zs) {
    small->clear();
    t = Clock::now();
    (void)sliced->read(0, {{0, 0, z}, {a.x, a.y, 1}});
    coldMs.push_back(1e3 * seconds(t));
    t = Clock::now();
    (void)sliced->read(0, {{0, 0, z}, {a.x, a.y, 1}});
    warmMs.push_back(1e3 * seconds(t));
  }
  std::printf("one %lldx%lld slice: cold p50 %.1f ms p95 %.1f ms; warm p50 %.2f ms p95 %.2f ms (budget %.0f MiB)\n",
              (long long)a.x, (long long)a.y, quantileOf(coldMs, 0.5), quantileOf(coldMs, 0.95), quantileOf(warmMs, 0.5),
              quantileOf(warmMs, 0.95), a.budgetMiB);
  report.set("budget_mib", a.budgetMiB);
  report.set("slice_cold_p50_ms", quantileOf(coldMs, 0.5));
  report.set("slice_cold_p95_ms", quantileOf(coldMs, 0.95));
  report.set("slice_warm_p50_ms", quantileOf(warmMs, 0.5));
  report.set("slice_warm_p95_ms", quantileOf(warmMs, 0.95));

  // Asynchronous: a slice asked for with the coarsest level first, in a cold cache.
  std::vector<double> coarseMs, fullMs;
  for (std::int64_t z : zs) {
    small->clear();
    std::atomic<std::size_t> arrived{0};
    const Region slice{{0, 0, z}, {a.x, a.y, 1}};
    t = Clock::now();
    const LazyAnswer ans = sliced->request(1, 0, slice, [&](const BlockEvent&) { ++arrived; }, true);
    bool coarse = false;
    while (arrived.load() < ans.missing.size()) {
      if (!coarse && sliced->bestAvailableLevel(0, slice) >= 0) {
        coarse = true;
        coarseMs.push_back(1e3 * seconds(t));
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (!coarse) coarseMs.push_back(1e3 * seconds(t));
    fullMs.push_back(1e3 * seconds(t));
  }
  std::printf("async slice (%d workers): something to draw after p50 %.1f ms, all full-resolution blocks after p50 "
              "%.1f ms p95 %.1f ms\n",
              a.threads, quantileOf(coarseMs, 0.5), quantileOf(fullMs, 0.5), quantileOf(fullMs, 0.95));
  report.set("async_first_p50_ms", quantileOf(coarseMs, 0.5));
  report.set("async_full_p50_ms", quantileOf(fullMs, 0.5));
  report.set("async_full_p95_ms", quantileOf(fullMs, 0.95));
  const CacheStats s = small->stats();
  std::printf("cache: %llu hits, %llu misses, %llu evictions, %.1f MiB resident of %.0f MiB\n",
              (unsigned long long)s.hits, (unsigned long long)s.misses, (unsigned long long)s.evictions,
              double(s.bytesResident) / 1048576.0, a.budgetMiB);
  report.set("resident_mib", double(s.bytesResident) / 1048576.0);
  printResult(report, a.json);
}

void setupBenchLazy(CLI::App& cmd) {
  auto a = std::make_shared<Args>();
  cmd.add_option("--x", a->x, "Volume width (default 512)")->check(cli::wholeIn(16, 65536));
  cmd.add_option("--y", a->y, "Volume height (default 512)")->check(cli::wholeIn(16, 65536));
  cmd.add_option("--z", a->z, "Volume depth (default 256)")->check(cli::wholeIn(16, 65536));
  cmd.add_option("--chunk", a->chunk, "Chunk side (default 64)")->check(cli::wholeIn(4, 1024));
  cmd.add_option("--slices", a->slices, "Slices timed (default 40)")->check(cli::wholeIn(1, 10000));
  cmd.add_option("--threads", a->threads, "Worker threads (default 2)")->check(cli::wholeIn(1, 64));
  cmd.add_option("--budget-mib", a->budgetMiB, "Cache budget of the slice runs (default 64)")->check(cli::numberIn(1, 1e6, true));
  cmd.add_option("--dir", a->dir, "Folder for the temporary files (default the system temp folder)");
  addJsonOption(cmd, a->json);
  cmd.callback([a] { runBench(*a); });
}

} // namespace

CDNET_BENCH(lazy, "Chunk cache and lazy OME-Zarr volume: read throughput cold and warm, slice and asynchronous "
                  "request times",
            setupBenchLazy)

} // namespace cli
