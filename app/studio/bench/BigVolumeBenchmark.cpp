// cdnet-studio --bench-bigvolume: the issue 16 targets measured in the real window on a volume
// read lazily (LazyBrowser, the Studio's ChunkCache with the budget set), once from chunked HDF5
// and once from OME-Zarr. "Cold" drops the data files' pages from the page cache
// (posix_fadvise DONTNEED on every file; they were synced after writing) and clears the chunk
// cache before each slice change; "warm" repeats the same changes after an untimed pass over them
// has brought their bytes into the page cache, with the chunk cache cleared (so reading and
// decoding the blocks is in it, not only drawing). A time runs from the change (or the open) to
// the end of the window frame that shows the complete picture: what a person waits for. Each warm
// jump is also timed without FrameHold (interleaved), the studio before it held frames back.
#include "app/studio/bench/BigVolumeBenchmark.h"
#include "app/studio/bench/SparseLabelBenchmark.h"

#include "app/studio/bench/BenchWindow.h"
#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"
#include "core/volume/lazy/LazyVolume.h"
#include "ui/MainWindow.h"
#include "ui/Studio.h"
#include "ui/model/CursorModel.h"
#include "ui/views/FrameHold.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/SliceView.h"
#include "ui/views/VolumeView3D.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>
#include <QWindow>

#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

namespace ui {

namespace vol = core::volume;
namespace fs = std::filesystem;

BigVolumeOptions::BigVolumeOptions(QCommandLineParser& parser) {
  for (QCommandLineOption* o : {&run, &size, &dir, &budget, &cleanup}) {
    o->setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(*o);
  }
}

std::optional<BigVolumeSettings> BigVolumeOptions::settings(const QCommandLineParser& parser) const {
  BigVolumeSettings s;
  if (parser.isSet(size)) {
    const auto m = QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)x(\\d+)$")).match(parser.value(size));
    const qint64 x = m.hasMatch() ? m.captured(1).toLongLong() : 0, y = m.hasMatch() ? m.captured(2).toLongLong() : 0,
                 z = m.hasMatch() ? m.captured(3).toLongLong() : 0;
    if (x < 16 || y < 16 || z < 16 || x > 65536 || y > 65536 || z > 65536) {
      std::fprintf(stderr, "cdnet-studio: --bench-size must be XxYxZ with each from 16 to 65536, not '%s'\n",
                   qPrintable(parser.value(size)));
      return std::nullopt;
    }
    s.x = x;
    s.y = y;
    s.z = z;
  }
  if (parser.isSet(budget)) {
    bool ok = false;
    const qulonglong b = parser.value(budget).toULongLong(&ok);
    if (!ok || b < 1 || b > (1u << 20)) {
      std::fprintf(stderr, "cdnet-studio: --bench-budget-mib must be a whole number from 1 to 1048576, not '%s'\n",
                   qPrintable(parser.value(budget)));
      return std::nullopt;
    }
    s.budgetMiB = b;
  }
  s.dir = parser.value(dir);
  s.keep = !parser.isSet(cleanup);
  return s;
}

namespace {

constexpr double kMiB = 1048576.0;
constexpr int kJumps = 20;          ///< random full-resolution slice changes, cold and warm
constexpr int kSteps = 60;          ///< slice-by-slice steps (caches as they come)
constexpr std::int64_t kBlockX = 512, kBlockY = 512, kBlockZ = 256; ///< the generated phantom block

double msSince(const QElapsedTimer& t) { return double(t.nsecsElapsed()) / 1e6; }

/// Drops every file under \p path from the page cache; returns how many files it dropped.
std::size_t dropFromPageCache(const std::string& path) {
  std::size_t n = 0;
  auto drop = [&](const std::string& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    if (::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0) ++n;
    ::close(fd);
  };
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    drop(path);
    return n;
  }
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) drop(it->path().string());
  return n;
}

std::int64_t mirrored(std::int64_t i, std::int64_t n) {
  const std::int64_t m = i % (2 * n);
  return m < n ? m : 2 * n - 1 - m;
}

/// True when \p path holds a pyramid whose level 0 is \p size of uint16.
bool present(const std::string& path, const vol::Size3& size) {
  try {
    const auto levels = vol::resolutionLevels(path);
    return levels.size() > 1 && levels[0].size == size && levels[0].type == vol::VoxelType::UInt16;
  } catch (const std::exception&) {
    return false;
  }
}

/// Writes the missing files of \p paths (HDF5 and OME-Zarr at once, slab by slab, with their
/// pyramids): a realistic phantom block of at most kBlock voxels tiled with mirroring.
void generate(const BigVolumeSettings& s, const std::vector<std::string>& paths, QTextStream& out) {
  core::phantom::PhantomOptions po;
  po.size = {std::min(s.x, kBlockX), std::min(s.y, kBlockY), std::min(s.z, kBlockZ)};
  po.seed = 1;
  po.imageType = vol::VoxelType::UInt16;
  QElapsedTimer t;
  t.start();
  const vol::Volume block = std::move(core::phantom::generatePhantom(po).image);
  out << "generated a realistic phantom block of " << po.size.x << " x " << po.size.y << " x " << po.size.z << " in "
      << QString::number(msSince(t) / 1e3, 'f', 1) << " s; tiling it with mirroring to " << s.x << " x " << s.y << " x "
      << s.z << "\n";
  out.flush();
  vol::VolumeInfo info;
  info.size = {s.x, s.y, s.z};
  info.type = vol::VoxelType::UInt16;
  info.spacing = po.spacing;
  vol::WriteOptions o; // chunks 64^3, OME-Zarr blosc (lz4, shuffle), HDF5 uncompressed
  // The automatic pyramid (halved until the longest side is at most 256), at least 3 levels.
  o.pyramidLevels = 1;
  for (std::int64_t longest = std::max({s.x, s.y, s.z}); longest > 256 && o.pyramidLevels < 10; longest = (longest + 1) / 2)
    ++o.pyramidLevels;
  o.pyramidLevels = std::max(o.pyramidLevels, 3);
  std::vector<std::unique_ptr<vol::VolumeWriter>> writers;
  for (const std::string& p : paths) writers.push_back(vol::createWriter(p, info, o));
  std::vector<std::int64_t> mx(std::size_t(s.x)), my(std::size_t(s.y));
  for (std::int64_t i = 0; i < s.x; ++i) mx[std::size_t(i)] = mirrored(i, po.size.x);
  for (std::int64_t i = 0; i < s.y; ++i) my[std::size_t(i)] = mirrored(i, po.size.y);
  constexpr std::int64_t kDepth = 16;
  const std::uint16_t* src = block.as<std::uint16_t>();
  int shown = 0;
  for (std::int64_t z0 = 0; z0 < s.z; z0 += kDepth) {
    const std::int64_t n = std::min(kDepth, s.z - z0);
    vol::Volume slab({s.x, s.y, n}, vol::VoxelType::UInt16, po.spacing);
    std::uint16_t* dst = slab.as<std::uint16_t>();
    for (std::int64_t z = 0; z < n; ++z)
      for (std::int64_t y = 0; y < s.y; ++y) {
        const std::uint16_t* row = src + block.index(0, my[std::size_t(y)], mirrored(z0 + z, po.size.z));
        std::uint16_t* d = dst + slab.index(0, y, z);
        for (std::int64_t x = 0; x < s.x; ++x) d[x] = row[mx[std::size_t(x)]];
      }
    for (auto& w : writers) w->writeSlab(slab, z0);
    const int percent = int(100 * (z0 + n) / s.z);
    if (percent / 10 > shown / 10) {
      shown = percent;
      out << "  written " << percent << "% after " << QString::number(msSince(t) / 1e3, 'f', 0) << " s\n";
      out.flush();
    }
  }
  for (auto& w : writers) w->finish();
  ::sync(); // clean pages, so that posix_fadvise can drop them
  out << "data written in " << QString::number(msSince(t) / 1e3, 'f', 1) << " s\n";
}

std::uint64_t bytesUnder(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return fs::file_size(path, ec);
  std::uint64_t n = 0;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) n += it->file_size(ec);
  return n;
}

/// CPU ticks (all CPUs) since boot from /proc/stat: total and stolen by the hypervisor (a virtual
/// machine whose host is busy runs slower, which shows as stolen time); zeros when unreadable.
struct CpuTicks {
  unsigned long long total = 0, steal = 0;
  static CpuTicks now() {
    CpuTicks t;
    if (FILE* f = std::fopen("/proc/stat", "r")) {
      unsigned long long v[8] = {};
      if (std::fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                      &v[6], &v[7]) == 8) {
        for (unsigned long long x : v) t.total += x;
        t.steal = v[7];
      }
      std::fclose(f);
    }
    return t;
  }
  /// Percentage of the CPU time between \p a and \p b that was stolen.
  static double stolenPercent(const CpuTicks& a, const CpuTicks& b) {
    return b.total > a.total ? 100.0 * double(b.steal - a.steal) / double(b.total - a.total) : 0.0;
  }
};

/// The largest resident set size seen.
struct RssMeter {
  std::uint64_t max = 0;
  void sample() { max = std::max(max, residentBytes()); }
};

/// Processes events until \p views show their full picture: no block of the volume pending, then a
/// render of each view that finds every block it needs. False after 10 minutes.
bool waitForFullPicture(const vol::LazyVolume& lazy, const std::vector<SliceView*>& views, RssMeter& rss) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 600000) {
    QApplication::processEvents(QEventLoop::AllEvents, 2);
    rss.sample();
    if (lazy.pendingBlocks() > 0) {
      QThread::usleep(300);
      continue;
    }
    bool complete = true;
    for (SliceView* v : views) {
      v->renderNow();
      complete = complete && v->pendingBlocks() == 0;
    }
    if (complete) return true;
  }
  return false;
}

/// Counts the window's frames (UpdateRequest events of the top-level widget: paint, GL
/// composition, present) and the time spent in them.
class FrameMeter : public QObject {
public:
  explicit FrameMeter(QWidget* window) {
    window->installEventFilter(this);
    if (window->windowHandle()) window->windowHandle()->installEventFilter(this);
  }
  void reset() {
    frames = 0;
    ms = 0;
  }
  int frames = 0;
  double ms = 0;
  std::chrono::steady_clock::time_point lastEnd; ///< when the last frame was done

protected:
  bool eventFilter(QObject* o, QEvent* e) override {
    if (e->type() != QEvent::UpdateRequest || m_inside) return false;
    m_inside = true;
    QElapsedTimer t;
    t.start();
    const bool handled = o->event(e);
    ms += double(t.nsecsElapsed()) / 1e6;
    lastEnd = std::chrono::steady_clock::now();
    ++frames;
    m_inside = false;
    return handled;
  }

private:
  bool m_inside = false;
};

/// Processes events (sleeping while none come) from \p start until the window has drawn a frame
/// in which every view of \p views shows its complete picture of the current slice: the time a
/// person waits to see it, frame included. Milliseconds from \p start to the end of that frame.
/// Throws std::runtime_error when that has not happened after 2 minutes.
double waitUntilShown(const std::vector<SliceView*>& views, FrameMeter& frames, RssMeter& rss,
                      std::chrono::steady_clock::time_point start) {
  QTimer wake; // a periodic event, so that waiting for events cannot wait for ever
  wake.start(20);
  int seen = frames.frames;
  while (std::chrono::steady_clock::now() - start < std::chrono::minutes(2)) {
    QApplication::processEvents(QEventLoop::WaitForMoreEvents);
    rss.sample();
    if (frames.frames == seen) continue;
    seen = frames.frames;
    if (std::all_of(views.begin(), views.end(), [](SliceView* v) { return v->showsCompletePicture(); }))
      return std::chrono::duration<double, std::milli>(frames.lastEnd - start).count();
  }
  throw std::runtime_error("no frame showed the complete picture within 2 minutes");
}

/// Moves the centre of \p v to plane point (u, v) in micrometres.
void centreOn(SliceView& view, double u, double v) {
  const SliceTransform& t = view.transform();
  const double px = t.scale * view.devicePixelRatioF();
  view.panBy({(t.centreU - u) / px, (t.centreV - v) / ((t.vDown ? 1 : -1) * px)});
}

struct FormatResult {
  double openS = 0, open3dS = 0, coldP50 = 0, coldP95 = 0, warmP50 = 0, warmP95 = 0, stepP95 = 0, scrollS = 0,
         panS = 0, warmFrames = 0, warmFramesMax = 0, warmFrameMs = 0, warmNoHoldP50 = 0, warmNoHoldP95 = 0,
         warmStealPct = 0;
  int panSteps = 0;
  std::uint64_t maxRss = 0, evictions = 0;
};

/// Opens \p path lazily in \p w and measures; throws std::runtime_error when it cannot.
FormatResult measure(MainWindow& w, FrameMeter& frames, const std::string& path, const BigVolumeSettings& s,
                     QTextStream& out) {
  FormatResult r;
  RssMeter rss;
  auto cache = w.studio().chunkCache();
  cache->clear();
  cache->resetCounters();
  std::vector<SliceView*> all;
  for (int i = 0; i < 3; ++i) all.push_back(w.sliceView(SliceOrientation(i)));
  SliceView* xy = w.sliceView(SliceOrientation::XY);

  using Clock = std::chrono::steady_clock;
  dropFromPageCache(path);
  QElapsedTimer t;
  t.start();
  const auto openStart = Clock::now();
  w.lazyBrowser()->open(path);
  const vol::LazyVolume& lazy = *w.lazyBrowser()->volume();
  r.openS = waitUntilShown(all, frames, rss, openStart) / 1e3;
  while (w.view3D()->isBusy() && t.elapsed() < 600000) {
    QApplication::processEvents(QEventLoop::AllEvents, 5);
    rss.sample();
  }
  w.view3D()->renderNow();
  r.open3dS = msSince(t) / 1e3;
  out << "  open (page cache cold) to the first full picture of the three slice views: "
      << QString::number(r.openS, 'f', 3) << " s; 3D view (level "
      << VolumeView3D::lazyLevelFor(lazy, VolumeView3D::maxDimensionFor(w.view3D()->isSoftwareRenderer())) << " of "
      << lazy.levels() << ") ready after " << QString::number(r.open3dS, 'f', 3) << " s\n";
  out.flush();

  // With software OpenGL a 3D frame takes a large part of a second, and the 3D view redraws its
  // slice planes when a slice change waits for blocks: hidden while slice changes are timed.
  const bool hide3D = w.view3D()->isSoftwareRenderer();
  if (hide3D) {
    w.view3D()->hide();
    out << "  (the 3D view is hidden from here on: software OpenGL)\n";
  }
  // Full resolution in the XY view: one voxel per device pixel.
  const vol::VolumeInfo full = lazy.levelInfo(0);
  xy->zoomBy(xy->transform().scale / full.spacing.x, QPointF(xy->width() / 2.0, xy->height() / 2.0));
  if (!waitForFullPicture(lazy, {xy}, rss)) throw std::runtime_error("the full-resolution picture never completed");

  std::mt19937 rng(7);
  std::vector<std::int64_t> zs;
  for (int i = 0; i < kJumps; ++i) zs.push_back(std::int64_t(rng() % std::uint32_t(s.z)));
  std::vector<double> cold, warm, warmNoHold, step;
  FrameHold* hold = FrameHold::of(&w);
  const int holdMs = hold->maxHoldMs();
  for (std::int64_t z : zs) {
    cache->clear();
    dropFromPageCache(path);
    const auto start = Clock::now();
    w.cursor().setAlong(2, z);
    cold.push_back(waitUntilShown({xy}, frames, rss, start));
  }
  // The cold pass dropped the pages before each jump: one untimed pass over the same slices brings
  // their bytes into the page cache, so that "warm" is warm.
  for (std::int64_t z : zs) {
    cache->clear();
    w.cursor().setAlong(2, z);
    waitForFullPicture(lazy, {xy}, rss);
  }
  // Each warm jump twice, interleaved: without holding the frame back for the blocks (the
  // reference: a coarse frame at once, refined when they arrive) and as the studio does it.
  std::vector<double> warmFrames, frameMs;
  const bool trace = qEnvironmentVariableIsSet("CDNET_BENCH_TRACE");
  const std::int64_t home = s.z / 2;
  const CpuTicks warmStart = CpuTicks::now();
  for (std::int64_t z : zs) {
    for (const bool held : {false, true}) {
      w.cursor().setAlong(2, z == home ? home + 1 : home); // the same jump each time
      waitUntilShown({xy}, frames, rss, Clock::now());
      hold->setMaxHoldMs(held ? holdMs : 0);
      cache->clear();
      frames.reset();
      const auto start = Clock::now();
      w.cursor().setAlong(2, z);
      const double ms = waitUntilShown({xy}, frames, rss, start);
      (held ? warm : warmNoHold).push_back(ms);
      if (held) {
        warmFrames.push_back(frames.frames);
        if (frames.frames > 0) frameMs.push_back(frames.ms / frames.frames);
      }
      if (trace)
        out << "    warm jump to " << z << (held ? " (held)" : " (no hold)") << ": " << QString::number(ms, 'f', 1)
            << " ms, " << frames.frames << " window frames (" << QString::number(frames.ms, 'f', 1) << " ms)\n";
    }
  }
  hold->setMaxHoldMs(holdMs);
  r.warmStealPct = CpuTicks::stolenPercent(warmStart, CpuTicks::now());
  r.warmFrames = quantileOf(warmFrames, 0.5);
  r.warmFramesMax = *std::max_element(warmFrames.begin(), warmFrames.end());
  r.warmFrameMs = frameMs.empty() ? 0.0 : quantileOf(frameMs, 0.5);
  r.warmNoHoldP50 = quantileOf(warmNoHold, 0.5);
  r.warmNoHoldP95 = quantileOf(warmNoHold, 0.95);
  w.cursor().setAlong(2, s.z / 2);
  waitForFullPicture(lazy, {xy}, rss);
  for (int i = 0; i < kSteps; ++i) {
    const auto start = Clock::now();
    w.cursor().moveAlong(2, (i / 20) % 2 == 0 ? 1 : -1);
    step.push_back(waitUntilShown({xy}, frames, rss, start));
  }
  r.coldP50 = quantileOf(cold, 0.5);
  r.coldP95 = quantileOf(cold, 0.95);
  r.warmP50 = quantileOf(warm, 0.5);
  r.warmP95 = quantileOf(warm, 0.95);
  r.stepP95 = quantileOf(step, 0.95);
  out << "  full-resolution slice change in a " << xy->transform().width << " x " << xy->transform().height
      << " px view, " << kJumps << " random jumps until a frame shows the complete picture: cold (page and chunk cache empty) p50 "
      << QString::number(r.coldP50, 'f', 1) << " ms p95 " << QString::number(r.coldP95, 'f', 1)
      << " ms; warm (page cache warm, chunk cache empty) p50 " << QString::number(r.warmP50, 'f', 1) << " ms p95 "
      << QString::number(r.warmP95, 'f', 1) << " ms; " << kSteps << " steps of one slice p95 "
      << QString::number(r.stepP95, 'f', 1) << " ms\n";
  out << "  warm jumps drew " << r.warmFrames << " window frames (median; at most " << r.warmFramesMax
      << ") of " << QString::number(r.warmFrameMs, 'f', 1) << " ms each (median); the same jumps interleaved "
      << "without holding the frame for the blocks (FrameHold off): p50 " << QString::number(r.warmNoHoldP50, 'f', 1)
      << " ms p95 " << QString::number(r.warmNoHoldP95, 'f', 1) << " ms; CPU time stolen by the hypervisor meanwhile "
      << QString::number(r.warmStealPct, 'f', 1) << "%\n";
  out.flush();

  // Every slice, then whole slices panned across, at full resolution, sampling the memory.
  t.restart();
  for (std::int64_t z = 0; z < s.z; ++z) {
    w.cursor().setAlong(2, z);
    waitForFullPicture(lazy, {xy}, rss);
  }
  r.scrollS = msSince(t) / 1e3;
  t.restart();
  const double extentU = double(full.size.x) * full.spacing.x, extentV = double(full.size.y) * full.spacing.y;
  const double viewU = xy->transform().width * xy->transform().scale, viewV = xy->transform().height * xy->transform().scale;
  const int cols = std::max(1, int(std::ceil(extentU / viewU))), rows = std::max(1, int(std::ceil(extentV / viewV)));
  for (std::int64_t z : {s.z / 4, s.z / 2, 3 * s.z / 4}) {
    w.cursor().setAlong(2, z);
    for (int row = 0; row < rows; ++row)
      for (int col = 0; col < cols; ++col) {
        const int c = row % 2 == 0 ? col : cols - 1 - col; // back and forth, as a person pans
        centreOn(*xy, (c + 0.5) * extentU / cols - 0.5 * full.spacing.x, (row + 0.5) * extentV / rows - 0.5 * full.spacing.y);
        waitForFullPicture(lazy, {xy}, rss);
        ++r.panSteps;
      }
  }
  r.panS = msSince(t) / 1e3;
  if (hide3D) w.view3D()->show();
  r.maxRss = rss.max;
  r.evictions = cache->stats().evictions;
  out << "  scrolled through all " << s.z << " slices in " << QString::number(r.scrollS, 'f', 1) << " s; panned across 3 whole slices ("
      << r.panSteps << " views) in " << QString::number(r.panS, 'f', 1) << " s; resident memory max "
      << QString::number(double(r.maxRss) / kMiB, 'f', 0) << " MiB (budget " << s.budgetMiB << " MiB, "
      << r.evictions << " blocks evicted)\n";
  out.flush();
  return r;
}

/// Brush strokes on 10 slices of the OME-Zarr volume against unchanged frames, and the bytes
/// that saving those labels writes (into a scratch folder, removed after).
int measureLabels(MainWindow& window, const std::string& zarr, const QString& dir, core::bench::Report& report,
                  QTextStream& out) {
  const std::string labels = QDir(dir).filePath(QStringLiteral("bench-labels.zarr")).toStdString();
  std::error_code ec;
  fs::remove_all(labels, ec);
  out << "\nlabels on the OME-Zarr volume: 3 brush strokes of 40 dabs on each of 10 slices, then a save\n";
  try {
    window.lazyBrowser()->open(zarr);
    const SparseStrokeMeasurement m = measureSparseStrokes(window, 3, 10, labels);
    window.lazyBrowser()->close();
    fs::remove_all(labels, ec);
    out << "  a dab (label write, overlay, render) p50 " << QString::number(m.dabMedianMs, 'f', 1) << " ms p95 "
        << QString::number(m.dabP95Ms, 'f', 1) << " ms; an unchanged frame p50 " << QString::number(m.frameMedianMs, 'f', 1)
        << " ms p95 " << QString::number(m.frameP95Ms, 'f', 1) << " ms: ratio " << QString::number(m.strokeRatio, 'f', 2)
        << " (target <= 1.5)\n  the save wrote " << m.chunksWritten << " chunk files (" << m.chunksTouched
        << " chunks touched of " << m.chunksInGrid << "), " << m.bytesWritten << " bytes, in "
        << QString::number(m.saveMs, 'f', 0) << " ms\n";
    report.set("stroke_ratio", m.strokeRatio);
    report.set("label_bytes_written", double(m.bytesWritten));
    report.set("label_chunks_written", double(m.chunksWritten));
    report.set("label_chunks_touched", double(m.chunksTouched));
    return m.chunksWritten == m.chunksTouched ? 0 : 1;
  } catch (const std::exception& e) {
    window.lazyBrowser()->close();
    fs::remove_all(labels, ec);
    out << "  failed: " << e.what() << "\n";
    return 1;
  }
}

} // namespace

int runBigVolumeBenchmark(QTextStream& out, const BigVolumeSettings& s, const QString& jsonPath) {
  const QString dir = s.dir.isEmpty() ? QDir::temp().filePath(QStringLiteral("cdnet-bench-bigvolume")) : s.dir;
  const QString name = QStringLiteral("phantom-%1x%2x%3").arg(s.x).arg(s.y).arg(s.z);
  const std::string h5 = QDir(dir).filePath(name + ".h5").toStdString();
  const std::string zarr = QDir(dir).filePath(name + ".zarr").toStdString();
  const vol::Size3 size{s.x, s.y, s.z};
  const double gib = double(size.count()) * 2 / (kMiB * 1024);
  out << "cdnet-studio --bench-bigvolume: " << s.x << " x " << s.y << " x " << s.z << " uint16 ("
      << QString::number(gib, 'f', 2) << " GiB) read lazily from chunked HDF5 and OME-Zarr with a "
      << s.budgetMiB << " MiB chunk cache, in the window (1280 x 800, 2 x 2 views)\n";
  try {
    std::error_code ec;
    fs::create_directories(dir.toStdString(), ec);
    std::vector<std::string> missing;
    for (const std::string& p : {h5, zarr}) {
      if (present(p, size)) out << "reusing " << QString::fromStdString(p) << "\n";
      else missing.push_back(p);
    }
    if (!missing.empty()) generate(s, missing, out);
    else
      out << "(the data is a realistic phantom block of at most " << kBlockX << " x " << kBlockY << " x " << kBlockZ
          << " tiled with mirroring)\n";
  } catch (const std::exception& e) {
    out << "cannot write the data: " << e.what() << "\n";
    return 1;
  }
  out << "on disk: HDF5 " << QString::number(double(bytesUnder(h5)) / (kMiB * 1024), 'f', 2) << " GiB, OME-Zarr "
      << QString::number(double(bytesUnder(zarr)) / (kMiB * 1024), 'f', 2)
      << " GiB (chunks 64^3, 2x pyramids; HDF5 uncompressed, OME-Zarr blosc lz4)\n";
  ::malloc_trim(0); // the generator's memory is not the viewer's

  int status = 0;
  core::bench::Report report("studio-bigvolume");
  {
    MainWindow window;
    if (!showForBenchmark(window, out)) return 1;
    window.studio().chunkCache()->setBudget(s.budgetMiB << 20);
    // The meter first: FrameHold's filter, installed after it, runs before it and holds frames
    // back before the meter counts them.
    FrameMeter frames(&window);
    FrameHold::of(&window);
    SliceView* xy = window.sliceView(SliceOrientation::XY);
    xy->renderNow();
    window.view3D()->renderNow();
    report.set("threads", 2);
    report.set("cache", "cold and warm");
    setRenderer(report, *xy);
    out << "OpenGL renderer (GL_RENDERER): " << describeRenderer(*xy) << "\n";
    out << "CPU: " << QString::fromStdString(core::bench::cpuModel()) << ", " << core::bench::coreCount() << " cores\n";
    printConditions(out, report);
    const std::uint64_t baseline = residentBytes();
    out << "resident memory of the window before opening: " << QString::number(double(baseline) / kMiB, 'f', 0)
        << " MiB\n";
    report.set("size", (std::to_string(s.x) + "x" + std::to_string(s.y) + "x" + std::to_string(s.z)));
    report.set("budget_mib", s.budgetMiB);
    report.set("rss_baseline_mib", double(baseline) / kMiB);
    // The headline keys first (the worse of the two formats), filled in below.
    for (const char* k : {"open_s", "p95_cold_ms", "p95_warm_ms", "rss_over_budget_mib"}) report.set(k, "n/a");
    // Labels on big volumes (measureSparseStrokes): filled in after the formats.
    report.set("stroke_ratio", "n/a");
    report.set("label_bytes_written", "n/a");
    FormatResult worst;
    for (const auto& [key, path] : {std::pair<std::string, std::string>{"h5", h5}, {"zarr", zarr}}) {
      out << "\n" << (key == "h5" ? "chunked HDF5" : "OME-Zarr") << ": " << QString::fromStdString(path) << "\n";
      FormatResult r;
      try {
        r = measure(window, frames, path, s, out);
      } catch (const std::exception& e) {
        out << "  failed: " << e.what() << "\n";
        status = 1;
        window.lazyBrowser()->close();
        continue;
      }
      window.lazyBrowser()->close();
      report.set(key + "_open_s", r.openS);
      report.set(key + "_open_3d_s", r.open3dS);
      report.set(key + "_p50_cold_ms", r.coldP50);
      report.set(key + "_p95_cold_ms", r.coldP95);
      report.set(key + "_p50_warm_ms", r.warmP50);
      report.set(key + "_p95_warm_ms", r.warmP95);
      report.set(key + "_p95_step_ms", r.stepP95);
      report.set(key + "_warm_frames", r.warmFrames);
      report.set(key + "_frame_ms", r.warmFrameMs);
      report.set(key + "_p95_warm_nohold_ms", r.warmNoHoldP95);
      report.set(key + "_warm_steal_pct", r.warmStealPct);
      report.set(key + "_scroll_s", r.scrollS);
      report.set(key + "_pan_views", r.panSteps);
      report.set(key + "_max_rss_mib", double(r.maxRss) / kMiB);
      report.set(key + "_evictions", r.evictions);
      worst.openS = std::max(worst.openS, r.openS);
      worst.coldP95 = std::max(worst.coldP95, r.coldP95);
      worst.warmP95 = std::max(worst.warmP95, r.warmP95);
      worst.maxRss = std::max(worst.maxRss, r.maxRss);
    }
    if (status == 0) status = measureLabels(window, zarr, dir, report, out);
    if (status == 0) {
      report.set("open_s", worst.openS);
      report.set("p95_cold_ms", worst.coldP95);
      report.set("p95_warm_ms", worst.warmP95);
      report.set("rss_over_budget_mib", double(worst.maxRss) / kMiB - double(s.budgetMiB));
      // What opening and browsing added to the window's own memory, over the budget.
      report.set("rss_growth_over_budget_mib", double(worst.maxRss - std::min(worst.maxRss, baseline)) / kMiB -
                                                   double(s.budgetMiB));
      out << "\nthe worse of the two formats: open " << QString::number(worst.openS, 'f', 3) << " s (target <= 1 s), p95 cold "
          << QString::number(worst.coldP95, 'f', 1) << " ms (target <= 100), p95 warm "
          << QString::number(worst.warmP95, 'f', 1) << " ms (target <= 30), resident memory "
          << QString::number(double(worst.maxRss) / kMiB - double(s.budgetMiB), 'f', 0)
          << " MiB over the budget (target < 400; the window used "
          << QString::number(double(baseline) / kMiB, 'f', 0) << " MiB before opening)\n";
    }
  }
  if (!s.keep) {
    std::error_code ec;
    fs::remove_all(h5, ec);
    fs::remove_all(zarr, ec);
    out << "deleted the data (--bench-cleanup)\n";
  }
  return std::max(status, printResult(out, report, jsonPath));
}

} // namespace ui
