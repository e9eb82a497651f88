#include "app/studio/bench/TrainingLatencyBenchmark.h"

#include "core/labels/LabelEdit.h"
#include "core/phantom/Phantom.h"
#include "ui/MainWindow.h"
#include "app/studio/bench/BenchWindow.h"
#include "ui/controllers/TrainingController.h"
#include "ui/model/Session.h"
#include "ui/panels/TrainingDock.h"
#include "ui/views/SliceView.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <vector>

namespace ui {

namespace {

struct Latency {
  double median = 0, p99 = 0, max = 0;
  int samples = 0;
};

/// Runs the event loop for \p seconds with a 10 ms precise timer and measures how late each
/// tick is (ms).
Latency measure(double seconds) {
  std::vector<double> late;
  QElapsedTimer clock;
  QTimer tick;
  tick.setTimerType(Qt::PreciseTimer);
  tick.setInterval(10);
  qint64 last = 0;
  QEventLoop loop;
  QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
    const qint64 now = clock.nsecsElapsed();
    late.push_back(std::max(0.0, double(now - last) / 1e6 - 10.0));
    last = now;
    if (now > qint64(seconds * 1e9)) loop.quit();
  });
  clock.start();
  tick.start();
  loop.exec();
  tick.stop();
  std::sort(late.begin(), late.end());
  Latency l;
  l.samples = int(late.size());
  if (late.empty()) return l;
  l.median = late[late.size() / 2];
  l.p99 = late[std::min(late.size() - 1, std::size_t(double(late.size()) * 0.99))];
  l.max = late.back();
  return l;
}

} // namespace

int runTrainingLatencyBenchmark(QTextStream& out, double seconds, const QString& jsonPath) {
  MainWindow window;
  window.setErrorDialogsEnabled(false);
  window.show();
  core::phantom::PhantomOptions po;
  po.size = {128, 128, 32};
  po.particleRadiusMin = 8;
  po.particleRadiusMax = 20;
  po.imageType = core::volume::VoxelType::UInt8;
  const auto ph = core::phantom::generatePhantom(po);
  Dataset d;
  d.image = ph.image.clone();
  d.name = QStringLiteral("phantom");
  window.session().setDataset(std::move(d));
  window.session().labelVolume()->edit("Labels", [&](core::labels::LabelEdit& e) {
    for (std::int64_t z = 2; z < po.size.z; z += 4) {
      e.modifyRows(core::volume::Region::slab(po.size, z, z + 1), [&](std::int64_t y, std::int64_t zz, std::uint8_t* row) {
        const std::uint8_t* t = ph.cracks.as<std::uint8_t>() + ph.cracks.index(0, y, zz);
        for (std::int64_t x = 0; x < po.size.x; ++x) row[x] = t[x] ? 2 : 1;
      });
      e.setSliceAnnotated(z, true);
    }
  });
  // Let the window settle (first paints, 3D surface).
  {
    QEventLoop settle;
    QTimer::singleShot(1500, &settle, &QEventLoop::quit);
    settle.exec();
  }

  auto* dock = window.findChild<TrainingDock*>();
  QTemporaryDir models;
  dock->training().setModelsFolder(models.path());
  core::bench::Report report("studio-latency");
  report.set("threads", TrainingController::trainingCpuThreads());
  setRenderer(report, *window.sliceView(SliceOrientation::XY));
  out << "Event-loop latency: lateness of a 10 ms timer; "
      << "128 x 128 x 32 phantom, 8 annotated slices; training on " << TrainingController::trainingCpuThreads()
      << " LibTorch thread(s)\n";
  printConditions(out, report);
  const Latency idle = measure(seconds);

  TrainingSettings s;
  s.baseWidth = 16;
  s.epochs = 0;
  s.maxMinutes = 60;
  s.batch = 4;
  s.crop = 128;
  s.iterationsPerEpoch = 20;
  s.device = core::ml::DeviceRequest::Cpu;
  std::int64_t steps = 0;
  QObject::connect(&dock->training(), &TrainingController::iterationsReceived, &window,
                   [&](const QVector<QPointF>& l) { steps += l.size(); });
  QString error;
  QObject::connect(&dock->training(), &TrainingController::failed, &window, [&](const QString& m) { error = m; });
  if (!dock->training().start(s)) {
    out << "cannot start training: " << error << "\n";
    return 1;
  }
  const Latency busy = measure(seconds);
  dock->training().stop();
  dock->training().wait();

  auto row = [&](const char* what, const Latency& l) {
    out << QStringLiteral("  %1  median %2 ms   p99 %3 ms   max %4 ms   (%5 ticks)\n")
               .arg(QString::fromLatin1(what), -10)
               .arg(l.median, 6, 'f', 2)
               .arg(l.p99, 6, 'f', 2)
               .arg(l.max, 6, 'f', 2)
               .arg(l.samples);
  };
  row("idle", idle);
  row("training", busy);
  out << QStringLiteral("Training during the measurement: %1 steps of 4 crops 128 x 128, base width 16, on %2 "
                        "LibTorch thread(s) (cores - 1, one core left for the window); %3\n")
             .arg(steps)
             .arg(TrainingController::trainingCpuThreads())
             .arg(error.isEmpty() ? QStringLiteral("no error") : error);
  out << QStringLiteral("p99 while training: %1 ms (target < 50 ms): %2\n")
             .arg(busy.p99, 0, 'f', 2)
             .arg(busy.p99 < 50 ? QStringLiteral("met") : QStringLiteral("NOT met"));
  out.flush();
  report.set("seconds", seconds);
  report.set("idle_median_ms", idle.median);
  report.set("idle_p99_ms", idle.p99);
  report.set("idle_max_ms", idle.max);
  report.set("training_median_ms", busy.median);
  report.set("training_p99_ms", busy.p99);
  report.set("training_max_ms", busy.max);
  report.set("training_steps", steps);
  report.set("training_error", error.isEmpty() ? std::string("none") : error.toStdString());
  return printResult(out, report, jsonPath);
}

} // namespace ui
