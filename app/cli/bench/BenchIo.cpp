// cdnet bench io: read throughput of our readers against plain read() of the same bytes (the
// physical limit of the machine), for a TIFF slice folder and a raw file, and the peak memory of
// a read over the volume size (target <= 1.1). The page cache is cold when the files can be dropped
// from it (checked with mincore), else warm, and the output says which.
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"

#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <malloc.h>
#include <memory>
#include <new>
#include <stdexcept>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace cli {

namespace {

using namespace core::volume;
using Clock = std::chrono::steady_clock;

/// Removes the bench folder however the bench ends.
struct TempDir {
  std::string path;
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

void readWhole(const std::string& path, std::uint8_t* dst, std::size_t n) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path);
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::read(fd, dst + done, std::min<std::size_t>(n - done, std::size_t(1) << 30));
    if (got <= 0) break;
    done += std::size_t(got);
  }
  ::close(fd);
}

void dropFromCache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

/// Pages of \p files in the page cache, and all their pages (mincore on a mapping of each).
std::pair<std::uint64_t, std::uint64_t> residentPages(const std::vector<std::string>& files) {
  const std::uint64_t page = std::uint64_t(::sysconf(_SC_PAGESIZE));
  std::uint64_t resident = 0, total = 0;
  std::vector<unsigned char> vec;
  for (const auto& f : files) {
    const std::uint64_t size = fs::file_size(f);
    if (size == 0) continue;
    const std::uint64_t pages = (size + page - 1) / page;
    total += pages;
    const int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) continue;
    vec.assign(pages, 0);
    if (::mincore(map, size, vec.data()) == 0)
      for (unsigned char v : vec) resident += v & 1;
    ::munmap(map, size);
  }
  return {resident, total};
}

double residentFraction(const std::vector<std::string>& files) {
  const auto [resident, total] = residentPages(files);
  return total ? double(resident) / double(total) : 0;
}

/// Makes \p files cold: posix_fadvise(DONTNEED) on each (only our files), and when pages stay
/// cached and we are root, sync + drop_caches (the whole machine's cache). Returns the method
/// that left at most 1% of the pages cached, or "" when none did (tmpfs, not root).
std::string makeCold(const std::vector<std::string>& files) {
  for (const auto& f : files) dropFromCache(f);
  if (residentFraction(files) <= 0.01) return "posix_fadvise";
  if (::geteuid() != 0) return "";
  ::sync();
  std::ofstream("/proc/sys/vm/drop_caches") << "3\n";
  return residentFraction(files) <= 0.01 ? "drop_caches" : "";
}

/// The same pseudo-random voxels as a TIFF slice folder and as a raw file, written slab by slab.
void writeBenchFiles(const VolumeInfo& info, const std::string& folder, const std::string& raw) {
  const std::int64_t nx = info.size.x, ny = info.size.y, nz = info.size.z;
  auto writer = createWriter(folder, info);
  const int fd = ::open(raw.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + raw);
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  for (std::int64_t z0 = 0; z0 < nz; z0 += 32) {
    const std::int64_t n = std::min<std::int64_t>(32, nz - z0);
    Volume slab({nx, ny, n}, VoxelType::UInt16);
    auto* p = slab.as<std::uint16_t>();
    for (std::int64_t i = 0; i < slab.voxelCount(); ++i) {
      state ^= state << 13, state ^= state >> 7, state ^= state << 17;
      p[i] = std::uint16_t(state >> 40);
    }
    writer->writeSlab(slab, z0);
    if (::write(fd, slab.data(), slab.bytes()) != ssize_t(slab.bytes())) {
      ::close(fd);
      throw std::runtime_error("cannot write " + raw + " (disk full?)");
    }
  }
  ::fsync(fd);
  ::close(fd);
  writer->finish();
}

/// How the page cache is set before each timed read: cold (with the method that makes it so) when
/// the files can be dropped from it and --cache is not warm, else warm (and why).
struct CachePolicy {
  bool cold = false;
  std::string method; ///< posix_fadvise, drop_caches, or read (warm)
  std::string warmWhy;
};

CachePolicy choosePageCache(const std::string& cache, const std::vector<std::string>& files, const std::string& dir) {
  CachePolicy p;
  p.method = cache == "warm" ? "" : makeCold(files);
  const std::string cannot = ::geteuid() == 0 ? "posix_fadvise DONTNEED and drop_caches left the files cached (tmpfs?)"
                                               : "posix_fadvise DONTNEED left the files cached (tmpfs?) and drop_caches "
                                                 "needs root";
  if (cache == "cold" && p.method.empty())
    throw std::runtime_error("cannot make the page cache cold for " + dir + ": " + cannot +
                             "; use --dir on a disk, or --cache warm");
  p.cold = !p.method.empty();
  if (!p.cold) {
    p.method = "read";
    p.warmWhy = cache == "warm" ? "as asked (--cache warm)" : "it cannot be cold: " + cannot;
  }
  return p;
}

/// Drops \p files from the page cache (cold) or reads every byte once (warm) before a timed read;
/// returns the share of their pages then cached (mincore).
double setPageCache(const std::vector<std::string>& files, const CachePolicy& policy) {
  if (policy.cold) {
    for (const auto& f : files) dropFromCache(f);
    if (policy.method == "drop_caches") {
      ::sync();
      std::ofstream("/proc/sys/vm/drop_caches") << "3\n";
    }
  } else {
    std::vector<std::uint8_t> sink(std::size_t(16) << 20);
    for (const auto& f : files) {
      const int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
      while (fd >= 0 && ::read(fd, sink.data(), sink.size()) > 0) {}
      if (fd >= 0) ::close(fd);
    }
  }
  return residentFraction(files);
}

/// The physical limit: each file read whole with read() into page-aligned memory (a slot per
/// file, rounded up to a page), not zeroed first. Returns the bytes read.
std::uint64_t readPlain(const std::vector<std::string>& files) {
  auto slot = [](std::uint64_t n) { return (n + 4095) / 4096 * 4096; };
  std::uint64_t total = 0, slots = 0;
  for (const auto& f : files) {
    total += fs::file_size(f);
    slots += slot(fs::file_size(f));
  }
  std::unique_ptr<std::uint8_t, void (*)(void*)> buffer(static_cast<std::uint8_t*>(std::aligned_alloc(4096, slots)),
                                                         std::free);
  if (!buffer) throw std::bad_alloc();
  std::uint64_t at = 0;
  for (const auto& f : files) {
    const std::uint64_t n = fs::file_size(f);
    readWhole(f, buffer.get() + at, std::size_t(n));
    at += slot(n);
  }
  return total;
}

struct Measure {
  double seconds = 1e30;
  double peakRatio = 0;
};

struct Args {
  double sizeGiB = 1.0;
  std::string dir, cache = "auto", json;
  int runs = 3;
};

void runBench(const Args& a) {
  // Big buffers as fresh mmaps, returned on free: each run starts from the same state, and the
  // peak RSS of one read is not hidden by memory the previous one freed (main keeps the heap).
  mallopt(M_MMAP_MAX, 65536);
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 20);

  if (!(a.sizeGiB > 0) || a.sizeGiB > 64) throw std::invalid_argument("--size-gib must be in (0, 64]");
  const std::int64_t nx = 1024, ny = 1024;
  const std::uint64_t slice = std::uint64_t(nx * ny) * 2;
  const std::int64_t nz = std::max<std::int64_t>(1, std::int64_t(a.sizeGiB * double(1ull << 30) / double(slice)));
  const VolumeInfo info{{nx, ny, nz}, VoxelType::UInt16, {1, 1, 1}, {0, 0, 0}};
  const std::string base = a.dir.empty() ? fs::temp_directory_path().string() : a.dir;
  std::string pattern = (fs::path(base) / "cdnet-bench-io-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a folder in " + base);
  TempDir tmp{pattern};
  const std::string folder = tmp.path + "/slices", raw = tmp.path + "/volume.raw";

  std::printf("cdnet bench io: %.2f GiB volume (%lld x %lld x %lld uint16) in %s\n", double(info.bytes()) / double(1ull << 30),
              static_cast<long long>(nx), static_cast<long long>(ny), static_cast<long long>(nz), tmp.path.c_str());
  std::fflush(stdout);
  writeBenchFiles(info, folder, raw);
  std::vector<std::string> sliceFiles;
  for (const auto& e : fs::directory_iterator(folder)) sliceFiles.push_back(e.path().string());
  std::sort(sliceFiles.begin(), sliceFiles.end());
  auto filesOf = [&](bool tiff) { return tiff ? sliceFiles : std::vector<std::string>{raw}; };
  // The page cache: cold when it can be made cold (and --cache is not warm), else warm; checked
  // with mincore before every timed read, for ours and plain read() alike.
  const std::vector<std::string> allFiles = [&] {
    std::vector<std::string> v = sliceFiles;
    v.push_back(raw);
    return v;
  }();
  const CachePolicy policy = choosePageCache(a.cache, allFiles, tmp.path);
  const bool cold = policy.cold;
  const std::string& method = policy.method;
  double residentMin = 1, residentMax = 0;
  auto prepare = [&](bool tiff) {
    const double r = setPageCache(filesOf(tiff), policy);
    residentMin = std::min(residentMin, r);
    residentMax = std::max(residentMax, r);
  };
  auto measure = [&](bool tiff, bool ours, Measure& m) {
    prepare(tiff);
    malloc_trim(0);
    const std::uint64_t before = core::bench::procStatusBytes("VmRSS:");
    const bool peakOk = core::bench::resetPeakRss();
    const auto t0 = Clock::now();
    std::uint64_t bytes = 0;
    if (ours) {
      OpenOptions o;
      if (!tiff) o.raw = RawParams{info.size, VoxelType::UInt16, false, 0, {1, 1, 1}};
      Volume v = readVolume(tiff ? folder : raw, o);
      bytes = v.bytes();
      m.seconds = std::min(m.seconds, std::chrono::duration<double>(Clock::now() - t0).count());
    } else {
      bytes = readPlain(filesOf(tiff));
      m.seconds = std::min(m.seconds, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    if (peakOk) m.peakRatio = double(core::bench::procStatusBytes("VmHWM:") - std::min(before, core::bench::procStatusBytes("VmHWM:"))) / double(bytes);
  };

  core::bench::Report report("io");
  report.set("threads", 1);
  report.set("cache", cold ? "cold" : "warm");
  report.set("cache_method", method);
  report.set("size_gib", double(info.bytes()) / double(1ull << 30));
  report.set("runs", a.runs);
  if (cold)
    std::printf("page cache: COLD for both ours and plain read(): the files dropped before every run with %s\n",
                method == "posix_fadvise" ? "posix_fadvise(POSIX_FADV_DONTNEED) on each file"
                                          : "sync + /proc/sys/vm/drop_caches (posix_fadvise left pages cached)");
  else
    std::printf("page cache: WARM for both ours and plain read() (every file read once before every run): %s\n",
                policy.warmWhy.c_str());
  std::printf("best of %d runs; MB = 1e6 bytes; one reading thread\n", a.runs);
  printConditions(report);
  std::printf("%-20s %12s %16s %8s %14s %14s\n", "", "ours MB/s", "plain read MB/s", "ratio", "ours peak/vol",
              "plain peak/vol");
  const double mb = double(info.bytes()) / 1e6;
  for (bool tiff : {true, false}) {
    Measure ours, plain;
    for (int r = 0; r < a.runs; ++r) {
      measure(tiff, false, plain);
      measure(tiff, true, ours);
    }
    std::printf("%-20s %12.0f %16.0f %8.2f %14.3f %14.3f\n", tiff ? "TIFF slice folder" : "raw file", mb / ours.seconds,
                mb / plain.seconds, plain.seconds / ours.seconds, ours.peakRatio, plain.peakRatio);
    std::fflush(stdout);
    const std::string k = tiff ? "tiff_" : "raw_";
    report.set(k + "mb_s", mb / ours.seconds);
    report.set(k + "plain_mb_s", mb / plain.seconds);
    report.set(k + "ratio", plain.seconds / ours.seconds);
    report.set(k + "peak_ratio", ours.peakRatio);
  }
  std::printf("plain read = each file read whole with read() into page-aligned memory (the physical limit)\n");
  std::printf("ratio = ours / plain read() throughput; peak/vol = peak resident memory during the read over the "
              "volume size (target <= 1.10)\n");
  std::printf("pages of the files in the page cache before the timed reads (mincore): %.1f%% to %.1f%%\n",
              100 * residentMin, 100 * residentMax);
  report.set("cached_before_min", residentMin);
  report.set("cached_before_max", residentMax);
  printResult(report, a.json);
}

void setupBenchIo(CLI::App& cmd) {
  auto args = std::make_shared<Args>();
  cmd.add_option("--size-gib", args->sizeGiB, "Volume size in GiB (default 1)")->check(cli::numberIn(0, 4096, true));
  cmd.add_option("--dir", args->dir, "Folder for the temporary files (default the system temp folder)");
  cmd.add_option("--cache", args->cache,
                 "Page cache before each run: auto (cold when the files can be dropped from it: posix_fadvise, or "
                 "drop_caches as root; else warm), cold (fail when it cannot), warm (read once before)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "cold", "warm"}));
  cmd.add_option("--runs", args->runs, "Runs per measurement; the best is reported (default 3)")->check(cli::wholeIn(1, 100));
  addJsonOption(cmd, args->json);
  cmd.callback([args] { runBench(*args); });
}

} // namespace

CDNET_BENCH(io, "Read throughput of a TIFF slice folder and a raw file against plain read() of the same bytes, cold "
                "page cache when possible",
            setupBenchIo)

} // namespace cli
