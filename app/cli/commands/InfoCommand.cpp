// cdnet info: what a volume file holds, and the statistics of its values, read slab by slab.
#include "app/cli/support/Command.h"
#include "app/cli/support/TerminalProgress.h"
#include "app/cli/support/VolumeOptions.h"

#include "core/volume/io/VolumeIO.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>

namespace cli {

namespace {

using namespace core::volume;

/// Statistics merged over slabs (Chan et al.'s pairwise update of mean and squared deviations).
struct RunningStats {
  double min = std::numeric_limits<double>::infinity(), max = -std::numeric_limits<double>::infinity();
  double mean = 0, m2 = 0;
  std::int64_t n = 0, nan = 0, inf = 0;
  void add(const ValueStats& s) {
    nan += s.nanCount;
    inf += s.infCount;
    if (s.finiteCount == 0) return;
    const double nb = double(s.finiteCount), na = double(n), total = na + nb;
    const double delta = s.mean - mean;
    mean += delta * nb / total;
    m2 += s.stddev * s.stddev * nb + delta * delta * na * nb / total;
    n += s.finiteCount;
    min = std::min(min, s.min);
    max = std::max(max, s.max);
  }
  double stddev() const { return n > 0 ? std::sqrt(m2 / double(n)) : 0.0; }
};

std::string formatBytes(std::uint64_t b) {
  char buf[64];
  if (b >= (1ull << 30)) std::snprintf(buf, sizeof buf, "%.2f GiB", double(b) / double(1ull << 30));
  else if (b >= (1ull << 20)) std::snprintf(buf, sizeof buf, "%.2f MiB", double(b) / double(1ull << 20));
  else if (b >= (1ull << 10)) std::snprintf(buf, sizeof buf, "%.2f KiB", double(b) / double(1ull << 10));
  else std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(b));
  return buf;
}

nlohmann::json vec(const Vec3& v) { return nlohmann::json::array({v.x, v.y, v.z}); }
nlohmann::json size(const Size3& s) { return nlohmann::json::array({s.x, s.y, s.z}); }

struct InfoArgs {
  std::string path;
  VolumeOptions volume;
  bool json = false, noStats = false;
};

void runInfo(const InfoArgs& a) {
  auto reader = openVolume(a.path, toOpenOptions(a.volume));
  const ReadOptions ro = toReadOptions(a.volume);
  const VolumeInfo file = reader->info();
  const VolumeInfo out = reader->outputInfo(ro);
  // Multiscale formats list their levels (others have one; opening them again would cost a read).
  const std::string format = reader->formatName();
  const std::vector<VolumeInfo> levels = format == "ome-zarr" || format == "hdf5"
                                             ? resolutionLevels(a.path, toOpenOptions(a.volume))
                                             : std::vector<VolumeInfo>{file};
  const bool partial = ro.crop || ro.downsample > 1;
  RunningStats st;
  if (!a.noStats) {
    TerminalProgress progress("info");
    forEachSlab(*reader, ro, std::uint64_t(256) << 20, [&](Volume& slab, std::int64_t) { st.add(computeStats(slab)); },
                progress);
    progress.done();
  }
  if (a.json) {
    nlohmann::json j;
    j["path"] = a.path;
    j["format"] = reader->formatName();
    j["size"] = size(file.size);
    j["type"] = toString(file.type);
    j["spacing"] = vec(file.spacing);
    j["origin"] = vec(file.origin);
    j["bytes"] = file.bytes();
    if (levels.size() > 1) {
      j["levels"] = nlohmann::json::array();
      for (const VolumeInfo& l : levels)
        j["levels"].push_back({{"size", size(l.size)}, {"spacing", vec(l.spacing)}, {"origin", vec(l.origin)}});
    }
    if (partial) j["read"] = {{"size", size(out.size)}, {"spacing", vec(out.spacing)}, {"origin", vec(out.origin)},
                              {"bytes", out.bytes()}};
    if (!a.noStats) {
      nlohmann::json s;
      s["min"] = st.n ? nlohmann::json(st.min) : nlohmann::json();
      s["max"] = st.n ? nlohmann::json(st.max) : nlohmann::json();
      s["mean"] = st.n ? nlohmann::json(st.mean) : nlohmann::json();
      s["stddev"] = st.n ? nlohmann::json(st.stddev()) : nlohmann::json();
      s["finite"] = st.n;
      s["nan"] = st.nan;
      s["inf"] = st.inf;
      j["stats"] = s;
    }
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("path     %s\n", a.path.c_str());
  std::printf("format   %s\n", reader->formatName().c_str());
  std::printf("size     %lld x %lld x %lld voxels (x, y, z)\n", static_cast<long long>(file.size.x),
              static_cast<long long>(file.size.y), static_cast<long long>(file.size.z));
  std::printf("type     %s\n", toString(file.type));
  std::printf("spacing  %g, %g, %g um\n", file.spacing.x, file.spacing.y, file.spacing.z);
  std::printf("origin   %g, %g, %g um\n", file.origin.x, file.origin.y, file.origin.z);
  std::printf("memory   %s (%llu bytes)\n", formatBytes(file.bytes()).c_str(),
              static_cast<unsigned long long>(file.bytes()));
  if (levels.size() > 1) {
    std::printf("levels   %zu\n", levels.size());
    for (std::size_t k = 0; k < levels.size(); ++k)
      std::printf("  level %zu  %lld x %lld x %lld voxels, spacing %g, %g, %g um, %s\n", k,
                  static_cast<long long>(levels[k].size.x), static_cast<long long>(levels[k].size.y),
                  static_cast<long long>(levels[k].size.z), levels[k].spacing.x, levels[k].spacing.y,
                  levels[k].spacing.z, formatBytes(levels[k].bytes()).c_str());
  }
  if (partial)
    std::printf("read as  %lld x %lld x %lld voxels, spacing %g, %g, %g um, %s\n", static_cast<long long>(out.size.x),
                static_cast<long long>(out.size.y), static_cast<long long>(out.size.z), out.spacing.x, out.spacing.y,
                out.spacing.z, formatBytes(out.bytes()).c_str());
  if (a.noStats) return;
  const char* of = partial ? " (of what is read)" : "";
  if (st.n) {
    std::printf("range    %.9g .. %.9g%s\n", st.min, st.max, of);
    std::printf("mean     %.9g (stddev %.9g)\n", st.mean, st.stddev());
  } else {
    std::printf("range    none: no finite values%s\n", of);
  }
  std::printf("NaN      %lld\n", static_cast<long long>(st.nan));
  std::printf("Inf      %lld\n", static_cast<long long>(st.inf));
}

void setupInfo(CLI::App& cmd) {
  auto args = std::make_shared<InfoArgs>();
  cmd.add_option("path", args->path, "Volume file or folder of slices")->required();
  cmd.add_flag("--json", args->json, "Print JSON instead of text");
  cmd.add_flag("--no-stats", args->noStats, "Header only: skip reading the voxels for the value statistics");
  addOpenOptions(cmd, args->volume);
  cmd.footer("Value statistics (range, mean, NaN and Inf counts) are computed slab by slab, so any size fits "
             "in memory. With --crop/--downsample they describe what is read.");
  cmd.callback([args] { runInfo(*args); });
}

} // namespace

CDNET_COMMAND(info, "Print format, dimensions, type, spacing, value range and memory size of a volume", setupInfo)

} // namespace cli
