#include "ui/bench/ViewBenchmark.h"

#include "core/labels/LabelConvention.h"
#include "ui/MainWindow.h"
#include "ui/bench/BenchWindow.h"
#include "ui/io/LoadRequest.h"
#include "ui/model/CursorModel.h"
#include "ui/model/Session.h"
#include "ui/views/ViewLayout.h"
#include "ui/views/VolumeView3D.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <QWindow>

#include <algorithm>
#include <vector>

namespace ui {

namespace cv = core::volume;

namespace {

/// Resident set size of this process, bytes (VmRSS).
std::uint64_t residentBytes() {
  QFile f(QStringLiteral("/proc/self/status"));
  if (!f.open(QIODevice::ReadOnly)) return 0;
  for (const QByteArray& line : f.readAll().split('\n'))
    if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').first().toULongLong() * 1024;
  return 0;
}

/// A cathode-like test pattern: bright blobs on grey, labels in a few slabs, a dense prediction.
Dataset makeDataset(std::int64_t n) {
  Dataset d;
  const cv::Size3 size{n, n, n};
  d.image = cv::Volume(size, cv::VoxelType::UInt16, {0.05, 0.05, 0.05});
  d.labels = cv::Volume(size, cv::VoxelType::UInt8, {0.05, 0.05, 0.05});
  d.prediction = cv::Volume(size, cv::VoxelType::UInt8, {0.05, 0.05, 0.05});
  std::uint16_t* im = d.image.as<std::uint16_t>();
  std::uint8_t* lab = d.labels.as<std::uint8_t>();
  std::uint8_t* pred = d.prediction.as<std::uint8_t>();
  for (std::int64_t z = 0; z < n; ++z)
    for (std::int64_t y = 0; y < n; ++y) {
      const std::int64_t row = d.image.index(0, y, z);
      for (std::int64_t x = 0; x < n; ++x) {
        const std::uint32_t h = std::uint32_t(x * 73856093u) ^ std::uint32_t(y * 19349663u) ^ std::uint32_t(z * 83492791u);
        const bool blob = ((x / 40 + y / 40 + z / 40) & 1) != 0;
        im[row + x] = std::uint16_t((blob ? 40000 : 15000) + (h & 2047));
        // Mostly low probabilities, with thin planar "cracks" of high ones (about 3 %).
        const bool crack = ((x + 2 * y + 3 * z) % 67) < 2 && blob;
        pred[row + x] = crack ? std::uint8_t(200 + (h & 55)) : std::uint8_t((h >> 8) & 127);
        lab[row + x] = (x % 64 < 8) ? core::labels::kCrack : (y % 64 < 8) ? core::labels::kNotCrack : core::labels::kUnlabelled;
      }
    }
  d.name = QStringLiteral("benchmark %1^3").arg(n);
  d.description = describeVolume(d.image.info());
  prepareDataset(d, 256);
  return d;
}

struct Stats {
  double median = 0, p95 = 0;
};

Stats summarise(std::vector<double> ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, std::size_t(q * double(ms.size() - 1) + 0.5))]; };
  return {at(0.5), at(0.95)};
}

double timed(const std::function<void()>& f) {
  QElapsedTimer t;
  t.start();
  f();
  return double(t.nsecsElapsed()) / 1e6;
}

void settle(MainWindow& w) {
  // Let every view paint and the 3D surface finish.
  QElapsedTimer t;
  t.start();
  do {
    QApplication::processEvents(QEventLoop::AllEvents, 50);
    QThread::msleep(20);
  } while (w.isBusy() && t.elapsed() < 120000);
  for (int i = 0; i < 3; ++i) w.sliceView(SliceOrientation(i))->renderNow();
  w.view3D()->renderNow();
  QApplication::processEvents();
}

} // namespace

int runViewBenchmark(QTextStream& out, const QList<int>& sizes) {
  MainWindow window;
  if (!showForBenchmark(window, out)) return 1;
  settle(window);
  out << "cdnet-studio --bench-views: slice change vs unchanged frame, OpenGL: "
      << window.sliceView(SliceOrientation::XY)->glRenderer() << "\n";
  const QSize viewSize = window.sliceView(SliceOrientation::XY)->size();
  out << "slice view size " << viewSize.width() << " x " << viewSize.height() << " (logical pixels), 2 x 2 layout in a "
      << window.width() << " x " << window.height() << " window\n";
  int status = 0;
  for (int n : sizes) {
    Dataset d;
    try {
      d = makeDataset(n);
    } catch (const std::exception& e) {
      out << n << "^3: cannot allocate (" << e.what() << ")\n";
      status = 1;
      continue;
    }
    window.session().setDataset(std::move(d));
    settle(window);
    const double arrays = double(window.session().dataBytes());
    const double rss = double(residentBytes());
    out << "\n" << n << "^3 uint16 + labels + uint8 prediction (" << QString::number(arrays / double(1ull << 30), 'f', 2)
        << " GiB of arrays)\n";
    std::vector<double> allChange, allEmpty, windowChange, windowEmpty;
    for (int o = 0; o < 3; ++o) {
      SliceView* view = window.sliceView(SliceOrientation(o));
      const int axis = sliceAxes(SliceOrientation(o)).normal;
      std::vector<double> change, empty;
      constexpr int kSteps = 60;
      for (int i = 0; i < kSteps; ++i) {
        const int step = (i / 20) % 2 == 0 ? 1 : -1; // scroll forth and back
        change.push_back(timed([&] {
          window.cursor().moveAlong(axis, step);
          view->renderNow();
        }));
        empty.push_back(timed([&] { view->renderNow(); }));
        // The whole window: the changed view resamples, the other two redraw their crosshair.
        windowChange.push_back(timed([&] {
          window.cursor().moveAlong(axis, step);
          for (int k = 0; k < 3; ++k) window.sliceView(SliceOrientation(k))->renderNow();
        }));
        windowEmpty.push_back(timed([&] {
          for (int k = 0; k < 3; ++k) window.sliceView(SliceOrientation(k))->renderNow();
        }));
      }
      const Stats c = summarise(change), e = summarise(empty);
      out << "  " << orientationName(SliceOrientation(o)) << ": slice change median " << QString::number(c.median, 'f', 2)
          << " ms, p95 " << QString::number(c.p95, 'f', 2) << " ms; unchanged frame median "
          << QString::number(e.median, 'f', 2) << " ms, p95 " << QString::number(e.p95, 'f', 2) << " ms; ratio "
          << QString::number(c.median / e.median, 'f', 2) << "\n";
      allChange.insert(allChange.end(), change.begin(), change.end());
      allEmpty.insert(allEmpty.end(), empty.begin(), empty.end());
      QApplication::processEvents();
    }
    const Stats c = summarise(allChange), e = summarise(allEmpty);
    const Stats wc = summarise(windowChange), we = summarise(windowEmpty);
    out << "  all views: slice change median " << QString::number(c.median, 'f', 2) << " ms, p95 "
        << QString::number(c.p95, 'f', 2) << " ms; unchanged frame median " << QString::number(e.median, 'f', 2)
        << " ms, p95 " << QString::number(e.p95, 'f', 2) << " ms\n";
    out << "  ratio slice change / unchanged frame: median " << QString::number(c.median / e.median, 'f', 2) << ", p95 "
        << QString::number(c.p95 / e.p95, 'f', 2) << " (target <= 1.5)\n";
    out << "  three slice views (one resampled, two re-decorated) vs three unchanged: median "
        << QString::number(wc.median, 'f', 2) << " / " << QString::number(we.median, 'f', 2) << " ms = "
        << QString::number(wc.median / we.median, 'f', 2) << "\n";
    out << "  memory: RSS " << QString::number(rss / double(1ull << 30), 'f', 2) << " GiB / arrays "
        << QString::number(arrays / double(1ull << 30), 'f', 2) << " GiB = " << QString::number(rss / arrays, 'f', 3)
        << (n >= 1024 ? " (target < 1.3)" : " (the fixed cost of the libraries weighs more on small volumes)") << "\n";
    out.flush();
  }
  window.session().close();
  return status;
}

} // namespace ui
