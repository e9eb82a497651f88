#include "app/studio/bench/EditBenchmark.h"

#include "core/bench/BenchReport.h"
#include "core/labels/Brush.h"
#include "ui/MainWindow.h"
#include "app/studio/bench/BenchWindow.h"
#include "ui/io/LoadRequest.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/views/VolumeView3D.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QWindow>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ui {

namespace cl = core::labels;
namespace vol = core::volume;

namespace {

using core::bench::quantileOf;

double msSince(const QElapsedTimer& t) { return double(t.nsecsElapsed()) / 1e6; }

void settle(MainWindow& w) {
  QElapsedTimer t;
  t.start();
  do {
    QApplication::processEvents(QEventLoop::AllEvents, 50);
    QThread::msleep(20);
  } while (w.isBusy() && t.elapsed() < 120000);
  for (int i = 0; i < 3; ++i) w.sliceView(SliceOrientation(i))->renderNow();
  QApplication::processEvents();
}

} // namespace

int runEditBenchmark(QTextStream& out, int n, const QString& jsonPath) {
  MainWindow window;
  if (!showForBenchmark(window, out)) return 1;
  Dataset d;
  try {
    d = makePhantomDataset(n, vol::VoxelType::UInt8, false);
  } catch (const std::exception& e) {
    out << n << "^3: cannot allocate (" << e.what() << ")\n";
    return 1;
  }
  const QString name = d.name;
  window.session().setDataset(std::move(d));
  // The 3D crack surface follows label edits on worker threads; it is not part of a dab's frame.
  // (After setDataset, which picks a surface source for the new dataset.)
  window.display().setSurfaceSource(SurfaceSource::None);
  window.cursor().setPosition({n / 2, n / 2, n / 2});
  settle(window);
  cl::LabelVolume& labels = *window.session().labelVolume();
  SliceView* view = window.sliceView(SliceOrientation::XY);
  core::bench::Report report("studio-edit");
  report.set("threads", 1);
  setRenderer(report, *view);
  report.set("size", n);
  out << "cdnet-studio --bench-edit: brush dabs against an unchanged frame and the " << QString::number(kFrameBudgetMs, 'f', 1)
      << " ms frame budget (60 Hz); " << name << ", uint8 image + uint8 labels, XY view " << view->width() << " x "
      << view->height() << " logical pixels; GUI thread\n";
  out << "OpenGL renderer: " << describeRenderer(*view) << "\n";
  printConditions(out, report);

  // Dabs of a 9-voxel disc along a circle on the shown slice: write + overlay update + render,
  // interleaved with unchanged frames of the same view.
  cl::BrushSettings brush;
  brush.size = 9;
  std::vector<double> dab, write, empty;
  const double cx = n / 2.0, cy = n / 2.0, r = n / 4.0;
  for (int stroke = 0; stroke < 6; ++stroke) {
    cl::BrushStroke s(labels, brush);
    for (int i = 0; i < 50; ++i) {
      const double a = (stroke * 50 + i) * 0.01;
      const vol::Vec3 p{cx + r * std::cos(a), cy + r * std::sin(a), double(n / 2)};
      QElapsedTimer t;
      t.start();
      s.moveTo(p);
      write.push_back(msSince(t));
      view->renderNow();
      dab.push_back(msSince(t));
      QElapsedTimer e;
      e.start();
      view->renderNow();
      empty.push_back(msSince(e));
    }
    s.finish();
  }
  const double dm = quantileOf(dab, 0.5), d95 = quantileOf(dab, 0.95), em = quantileOf(empty, 0.5),
               e95 = quantileOf(empty, 0.95);
  out << "  brush dab (9 voxels, label write + overlay update + render): median " << againstFrameBudget(dm) << "\n";
  out << "                                                              p95    " << againstFrameBudget(d95) << "\n";
  out << "  label write alone: median " << QString::number(quantileOf(write, 0.5), 'f', 3) << " ms\n";
  out << "  unchanged frame (the view rendered again): median " << QString::number(em, 'f', 2) << " ms, p95 "
      << QString::number(e95, 'f', 2) << " ms; ratio dab / unchanged frame: median " << QString::number(dm / em, 'f', 2)
      << ", p95 " << QString::number(d95 / e95, 'f', 2) << "\n";
  out.flush();
  report.set("dab_median_ms", dm);
  report.set("dab_p95_ms", d95);
  report.set("write_median_ms", quantileOf(write, 0.5));
  report.set("frame_median_ms", em);
  report.set("frame_p95_ms", e95);
  report.set("dab_frame_ratio", dm / em);
  report.set("dab_p95_within_budget", d95 <= kFrameBudgetMs);

  // Undo memory: 1000 strokes of 20 dabs each, scattered over the volume, without rendering.
  labels.reset(vol::Volume(labels.size(), vol::VoxelType::UInt8, labels.volume().spacing()), {});
  QApplication::processEvents();
  std::uint32_t seed = 12345;
  auto rnd = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return double(seed >> 8) / double(1u << 24);
  };
  QElapsedTimer strokes;
  strokes.start();
  std::int64_t voxels = 0;
  for (int k = 0; k < 1000; ++k) {
    cl::BrushStroke s(labels, brush);
    vol::Vec3 p{rnd() * (n - 40) + 20, rnd() * (n - 40) + 20, std::floor(rnd() * n)};
    for (int i = 0; i < 20; ++i) {
      p.x += 1.5;
      p.y += 0.5;
      s.moveTo(p);
    }
    voxels += s.finish().changedVoxels;
  }
  const double strokeMs = msSince(strokes);
  const cl::UndoStack& u = labels.undoStack();
  out << "  undo after 1000 strokes (20 dabs each, " << voxels << " voxels changed): " << u.undoCount()
      << " steps kept, " << QString::number(double(u.bytesUsed()) / 1024.0, 'f', 1) << " KiB ("
      << QString::number(double(u.bytesUsed()) / double(std::max<std::size_t>(1, u.undoCount())), 'f', 0)
      << " bytes per stroke; budget " << (u.budgetBytes() >> 20) << " MiB; a whole-volume copy would be "
      << (labels.volume().bytes() >> 20) << " MiB); " << QString::number(strokeMs / 1000.0, 'f', 3)
      << " ms per stroke without rendering\n";
  report.set("undo_steps", std::int64_t(u.undoCount()));
  QElapsedTimer undoAll;
  undoAll.start();
  int undone = 0;
  while (labels.canUndo()) {
    labels.undo();
    ++undone;
  }
  const double undoAllMs = msSince(undoAll);
  out << "  undoing all " << undone << " strokes: " << QString::number(undoAllMs, 'f', 1) << " ms\n";
  out.flush();
  window.session().close();
  report.set("undo_kib_1000_strokes", double(u.bytesUsed()) / 1024.0);
  report.set("stroke_ms_without_render", strokeMs / 1000.0);
  report.set("undo_all_ms", undoAllMs);
  report.set("frame_budget_ms", kFrameBudgetMs);
  return printResult(out, report, jsonPath);
}

} // namespace ui
