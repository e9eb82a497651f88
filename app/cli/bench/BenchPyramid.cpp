// cdnet bench pyramid: write throughput and compression ratio of each chunk compressor of the
// multiscale writers (OME-Zarr; HDF5 plain and deflate), the pyramid built while writing, on a
// realistic phantom held in memory (so only building the levels, compressing and writing count).
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/PyramidOptions.h"

#include "core/files/AtomicFile.h"
#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace fs = std::filesystem;

namespace cli {

namespace {

using namespace core::volume;

struct Args {
  std::vector<std::int64_t> size{256, 256, 256};
  int levels = 0, runs = 2;
  std::string dir, json;
};

void runBench(const Args& a) {
  if (a.size.size() != 1 && a.size.size() != 3) throw std::invalid_argument("--size needs N or X,Y,Z");
  auto o = core::phantom::presetOptions(core::phantom::PhantomPreset::Realistic);
  o.size = a.size.size() == 1 ? Size3{a.size[0], a.size[0], a.size[0]} : Size3{a.size[0], a.size[1], a.size[2]};
  o.imageType = VoxelType::UInt16;
  const Volume image = core::phantom::generatePhantom(o).image;
  // A scratch folder removed on every way out (never committed).
  const core::files::TemporaryPath scratch(
      (fs::path(a.dir.empty() ? fs::temp_directory_path().string() : a.dir) / "cdnet-bench-pyramid").string());
  const fs::path dir = scratch.path();
  fs::create_directories(dir);

  core::bench::Report report("pyramid");
  report.set("threads", 1);
  report.set("runs", a.runs);
  report.set("size", std::to_string(o.size.x) + "x" + std::to_string(o.size.y) + "x" + std::to_string(o.size.z));
  std::printf("realistic phantom %lld x %lld x %lld uint16 (%.1f MB) in memory, written with its pyramid (--levels %d, "
              "0 = auto), chunks 64^3, one thread, best of %d runs; MB = 1e6 bytes of full-resolution voxels; page cache warm (writes "
              "end in fsync)\n",
              static_cast<long long>(o.size.x), static_cast<long long>(o.size.y), static_cast<long long>(o.size.z),
              double(image.info().bytes()) / 1e6, a.levels, a.runs);
  printConditions(report);
  std::printf("%-12s %-8s %10s %12s %10s\n", "compressor", "format", "MB/s", "bytes", "ratio");
  struct Case {
    const char* key;
    const char* compressor;
    bool hdf5;
  };
  int n = 0;
  for (const Case& c : {Case{"zarr_none", "none", false}, Case{"zarr_blosc", "blosc", false},
                        Case{"zarr_blosc_zstd", "blosc-zstd", false}, Case{"zarr_zstd", "zstd", false},
                        Case{"zarr_zlib", "zlib", false}, Case{"h5_none", "none", true}, Case{"h5_deflate", "zlib", true}}) {
    WriteOptions wo;
    wo.pyramidLevels = a.levels == 0 ? WriteOptions::kAutoLevels : a.levels;
    wo.zarrCompressor = c.compressor;
    wo.compress = c.hdf5 && std::string(c.compressor) != "none";
    double s = 1e300;
    std::uint64_t raw = 0, written = 0;
    for (int r = 0; r < a.runs; ++r) { // best of the runs
      const fs::path out = dir / (std::to_string(++n) + (c.hdf5 ? ".h5" : ".zarr"));
      const auto t0 = std::chrono::steady_clock::now();
      writeVolume(image, out.string(), wo);
      s = std::min(s, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      raw = 0;
      for (const VolumeInfo& l : resolutionLevels(out.string())) raw += l.bytes();
      written = bytesOnDisk(out.string());
      fs::remove_all(out);
    }
    const double mbs = double(image.info().bytes()) / 1e6 / s, ratio = double(raw) / double(written);
    std::printf("%-12s %-8s %10.1f %12llu %10.2f\n", c.compressor, c.hdf5 ? "hdf5" : "ome-zarr", mbs,
                static_cast<unsigned long long>(written), ratio);
    std::fflush(stdout);
    report.set(std::string(c.key) + "_mb_s", mbs);
    report.set(std::string(c.key) + "_ratio", ratio);
  }
  std::printf("ratio = voxel bytes of all levels / bytes written (deflate and zlib are the same codec)\n");
  printResult(report, a.json);
}

void setupBenchPyramid(CLI::App& cmd) {
  auto args = std::make_shared<Args>();
  cmd.add_option("--size", args->size, "Phantom size N or X,Y,Z (default 256)")->delimiter(',')->check(wholeIn(8, 4096));
  cmd.add_option("--levels", args->levels, "Resolution levels (default 0 = auto)")->check(wholeIn(0, 20));
  cmd.add_option("--runs", args->runs, "Runs per compressor; the best is reported (default 2)")->check(wholeIn(1, 100));
  cmd.add_option("--dir", args->dir, "Folder for the temporary outputs (default the system temp folder)");
  addJsonOption(cmd, args->json);
  cmd.callback([args] { runBench(*args); });
}

} // namespace

CDNET_BENCH(pyramid, "Write throughput and compression ratio of each OME-Zarr and HDF5 chunk compressor, with the "
                     "pyramid, on a realistic phantom",
            setupBenchPyramid)

} // namespace cli
