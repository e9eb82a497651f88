#include "app/studio/bench/ViewBenchmark.h"

#include "ui/MainWindow.h"
#include "app/studio/bench/BenchWindow.h"
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

namespace vol = core::volume;

namespace {

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

int runViewBenchmark(QTextStream& out, const QList<int>& sizes, const QString& jsonPath) {
  MainWindow window;
  if (!showForBenchmark(window, out)) return 1;
  settle(window);
  SliceView* xy = window.sliceView(SliceOrientation::XY);
  core::bench::Report report("studio-views");
  report.set("threads", 1);
  setRenderer(report, *xy);
  out << "cdnet-studio --bench-views: slice change against an unchanged frame and the "
      << QString::number(kFrameBudgetMs, 'f', 1) << " ms frame budget (60 Hz), on the phantom; GUI thread\n";
  out << "OpenGL renderer: " << describeRenderer(*xy) << "\n";
  const QSize viewSize = xy->size();
  out << "slice view size " << viewSize.width() << " x " << viewSize.height() << " (logical pixels), 2 x 2 layout in a "
      << window.width() << " x " << window.height() << " window\n";
  printConditions(out, report);
  report.set("view_width", viewSize.width());
  report.set("view_height", viewSize.height());
  int status = 0;
  for (int n : sizes) {
    Dataset d;
    try {
      d = makePhantomDataset(n, vol::VoxelType::UInt16, true);
    } catch (const std::exception& e) {
      out << n << "^3: cannot allocate (" << e.what() << ")\n";
      status = 1;
      continue;
    }
    const QString name = d.name;
    window.session().setDataset(std::move(d));
    settle(window);
    const double arrays = double(window.session().dataBytes());
    const double rss = double(residentBytes());
    out << "\n" << name << ": uint16 image, truth as labels, cracks as the uint8 prediction ("
        << QString::number(arrays / double(1ull << 30), 'f', 2) << " GiB of arrays)\n";
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
      out << "  " << orientationName(SliceOrientation(o)) << ": slice change median " << againstFrameBudget(c.median)
          << ", p95 " << QString::number(c.p95, 'f', 2) << " ms; unchanged frame median "
          << QString::number(e.median, 'f', 2) << " ms, p95 " << QString::number(e.p95, 'f', 2) << " ms\n";
      allChange.insert(allChange.end(), change.begin(), change.end());
      allEmpty.insert(allEmpty.end(), empty.begin(), empty.end());
      QApplication::processEvents();
    }
    const Stats c = summarise(allChange), e = summarise(allEmpty);
    const Stats wc = summarise(windowChange), we = summarise(windowEmpty);
    out << "  all views: slice change median " << againstFrameBudget(c.median) << "\n";
    out << "             slice change p95    " << againstFrameBudget(c.p95) << "\n";
    out << "             unchanged frame median " << QString::number(e.median, 'f', 2) << " ms, p95 "
        << QString::number(e.p95, 'f', 2) << " ms; ratio slice change / unchanged frame: median "
        << QString::number(c.median / e.median, 'f', 2) << ", p95 " << QString::number(c.p95 / e.p95, 'f', 2) << "\n";
    out << "  three slice views (one resampled, two re-decorated): median " << againstFrameBudget(wc.median)
        << "; three unchanged " << QString::number(we.median, 'f', 2) << " ms\n";
    out << "  memory: RSS " << QString::number(rss / double(1ull << 30), 'f', 2) << " GiB / arrays "
        << QString::number(arrays / double(1ull << 30), 'f', 2) << " GiB = " << QString::number(rss / arrays, 'f', 3)
        << (n >= 1024 ? " (target < 1.3)" : " (the fixed cost of the libraries weighs more on small volumes)") << "\n";
    out.flush();
    const std::string k = "n" + std::to_string(n) + "_";
    report.set(k + "change_median_ms", c.median);
    report.set(k + "change_p95_ms", c.p95);
    report.set(k + "frame_median_ms", e.median);
    report.set(k + "frame_p95_ms", e.p95);
    report.set(k + "change_frame_ratio", c.median / e.median);
    report.set(k + "window_change_median_ms", wc.median);
    report.set(k + "change_p95_within_budget", c.p95 <= kFrameBudgetMs);
    report.set(k + "rss_over_arrays", rss / arrays);
  }
  window.session().close();
  report.set("frame_budget_ms", kFrameBudgetMs);
  return std::max(status, printResult(out, report, jsonPath));
}

} // namespace ui
