#include "app/studio/bench/BenchWindow.h"

#include "core/labels/LabelConvention.h"
#include "core/phantom/Phantom.h"
#include "ui/MainWindow.h"
#include "ui/io/LoadRequest.h"
#include "ui/views/VtkHostWidget.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <QWindow>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace ui {

namespace vol = core::volume;

bool showForBenchmark(MainWindow& window, QTextStream& out) {
  window.setErrorDialogsEnabled(false);
  window.resize(1280, 800);
  window.show();
  QElapsedTimer shown;
  shown.start();
  while (!(window.windowHandle() && window.windowHandle()->isExposed()) && shown.elapsed() < 10000) {
    QApplication::processEvents(QEventLoop::AllEvents, 50);
    QThread::msleep(10);
  }
  if (!window.windowHandle() || !window.windowHandle()->isExposed()) {
    out << "cannot show the window\n";
    return false;
  }
  return true;
}

Dataset makePhantomDataset(int n, vol::VoxelType imageType, bool overlays) {
  constexpr int kGenerated = 256;
  const int g = std::min(n, kGenerated);
  core::phantom::PhantomOptions po;
  po.size = {g, g, g};
  po.seed = 1;
  po.imageType = imageType;
  const core::phantom::Phantom ph = core::phantom::generatePhantom(po);

  Dataset d;
  const vol::Size3 size{n, n, n};
  d.image = vol::Volume(size, imageType, po.spacing);
  if (overlays) {
    d.labels = vol::Volume(size, vol::VoxelType::UInt8, po.spacing);
    d.prediction = vol::Volume(size, vol::VoxelType::UInt8, po.spacing);
  }
  // Mirrored tiling: index i of the big volume reads index mirror[i] of the phantom.
  std::vector<std::int64_t> mirror(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int m = i % (2 * g);
    mirror[std::size_t(i)] = m < g ? m : 2 * g - 1 - m;
  }
  const std::uint8_t* cracks = ph.cracks.as<std::uint8_t>();
  const std::uint32_t* particles = ph.particles.as<std::uint32_t>();
  std::uint8_t* labels = overlays ? d.labels.as<std::uint8_t>() : nullptr;
  std::uint8_t* prediction = overlays ? d.prediction.as<std::uint8_t>() : nullptr;
  auto fill = [&](auto* dst, const auto* src) {
    for (std::int64_t z = 0; z < n; ++z)
      for (std::int64_t y = 0; y < n; ++y) {
        const std::int64_t from = ph.image.index(0, mirror[std::size_t(y)], mirror[std::size_t(z)]);
        const std::int64_t to = d.image.index(0, y, z);
        for (std::int64_t x = 0; x < n; ++x) {
          const std::int64_t s = from + mirror[std::size_t(x)];
          dst[to + x] = src[s];
          if (!overlays) continue;
          const bool crack = cracks[s] != 0;
          labels[to + x] = crack ? core::labels::kCrack : particles[s] ? core::labels::kNotCrack : core::labels::kUnlabelled;
          prediction[to + x] = crack ? 255 : 0;
        }
      }
  };
  if (imageType == vol::VoxelType::UInt8) fill(d.image.as<std::uint8_t>(), ph.image.as<std::uint8_t>());
  else if (imageType == vol::VoxelType::UInt16) fill(d.image.as<std::uint16_t>(), ph.image.as<std::uint16_t>());
  else throw std::invalid_argument("makePhantomDataset: uint8 or uint16 images only");
  d.name = n > g ? QStringLiteral("phantom %1^3 mirrored to %2^3").arg(g).arg(n) : QStringLiteral("phantom %1^3").arg(n);
  d.description = describeVolume(d.image.info());
  prepareDataset(d, 256);
  return d;
}

std::uint64_t residentBytes() {
  QFile f(QStringLiteral("/proc/self/status"));
  if (!f.open(QIODevice::ReadOnly)) return 0;
  for (const QByteArray& line : f.readAll().split('\n'))
    if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').first().toULongLong() * 1024;
  return 0;
}

QString describeRenderer(const VtkHostWidget& view) {
  const QString name = view.glRenderer().isEmpty() ? QStringLiteral("unknown") : view.glRenderer();
  return name + (view.isSoftwareRenderer() ? QStringLiteral(": software rendering on the CPU")
                                           : QStringLiteral(": a GPU driver"));
}

void setRenderer(core::bench::Report& report, const VtkHostWidget& view) {
  report.set("renderer", view.glRenderer().isEmpty() ? std::string("unknown") : view.glRenderer().toStdString());
  report.set("software_rendering", view.isSoftwareRenderer());
  if (view.isSoftwareRenderer()) {
    // llvmpipe renders on LP_NUM_THREADS threads, by default one per core.
    const char* lp = std::getenv("LP_NUM_THREADS");
    report.set("renderer_threads", lp && std::atoi(lp) > 0 ? std::atoi(lp) : core::bench::coreCount());
  }
}

QString againstFrameBudget(double ms) {
  return QStringLiteral("%1 ms (%2% of the %3 ms frame budget)")
      .arg(ms, 0, 'f', 2)
      .arg(100.0 * ms / kFrameBudgetMs, 0, 'f', 0)
      .arg(kFrameBudgetMs, 0, 'f', 1);
}

void printConditions(QTextStream& out, const core::bench::Report& report) {
  out << QString::fromStdString(report.conditionsLine()) << "\n";
  out.flush();
}

int printResult(QTextStream& out, core::bench::Report& report, const QString& jsonPath) {
  try {
    const std::string line = report.finish(jsonPath.toStdString());
    out << QString::fromStdString(line) << "\n";
    out.flush();
    return 0;
  } catch (const std::exception& e) {
    out << QString::fromStdString(report.resultLine()) << "\n";
    out.flush();
    std::fprintf(stderr, "cdnet-studio: %s\n", e.what());
    return 1;
  }
}

} // namespace ui
