#include "app/studio/bench/TrainingScreenshot.h"

#include "core/labels/LabelEdit.h"
#include "core/phantom/Phantom.h"
#include "ui/MainWindow.h"
#include "app/studio/bench/RunEvents.h"
#include "ui/controllers/PredictionController.h"
#include "ui/controllers/TrainingController.h"
#include "ui/model/CursorModel.h"
#include "ui/model/Session.h"
#include "ui/panels/TrainingDock.h"
#include "ui/panels/TrainingPanel.h"

#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

namespace ui {

int saveTrainingScreenshot(const QString& file, double seconds) {
  MainWindow window;
  window.setErrorDialogsEnabled(false);
  window.resize(1400, 900);
  window.show();
  core::phantom::PhantomOptions po;
  po.size = {128, 128, 48};
  po.particleRadiusMin = 10;
  po.particleRadiusMax = 24;
  po.crackedFraction = 0.9;
  po.imageType = core::volume::VoxelType::UInt8;
  const auto ph = core::phantom::generatePhantom(po);
  Dataset d;
  d.image = ph.image.clone();
  d.statistics = ImageStatistics::compute(d.image);
  d.name = QStringLiteral("Demo phantom");
  d.description = QStringLiteral("Demo phantom, 128 x 128 x 48, uint8");
  window.session().setDataset(std::move(d));
  window.session().labelVolume()->edit("Labels", [&](core::labels::LabelEdit& e) {
    for (std::int64_t z = 2; z < po.size.z; z += 5) {
      e.modifyRows(core::volume::Region::slab(po.size, z, z + 1), [&](std::int64_t y, std::int64_t zz, std::uint8_t* row) {
        const std::uint8_t* t = ph.cracks.as<std::uint8_t>() + ph.cracks.index(0, y, zz);
        for (std::int64_t x = 0; x < po.size.x; ++x) row[x] = t[x] ? 2 : 1;
      });
      e.setSliceAnnotated(z, true);
    }
  });
  auto* dock = window.findChild<TrainingDock*>();
  QTemporaryDir models;
  dock->training().setModelsFolder(models.path());
  TrainingSettings s;
  s.baseWidth = 8;
  s.epochs = 0;
  s.maxMinutes = seconds / 60.0;
  s.batch = 4;
  s.crop = 32;
  s.iterationsPerEpoch = 40;
  s.learningRate = 5e-3;
  s.augment = false;
  s.device = core::ml::DeviceRequest::Cpu;
  dock->trainingPanel()->setSettings(s);
  QString error;
  QObject::connect(&dock->training(), &TrainingController::failed, &window, [&](const QString& m) { error = m; });
  if (!dock->training().start(dock->trainingPanel()->settings())) {
    std::fprintf(stderr, "cdnet-studio: %s\n", qPrintable(error));
    return 1;
  }
  runEventsUntil([&] { return !dock->training().isRunning(); });
  if (!error.isEmpty() || dock->prediction().model().empty()) {
    std::fprintf(stderr, "cdnet-studio: training failed: %s\n", qPrintable(error));
    return 1;
  }
  window.cursor().setAlong(2, 24);
  bool done = false;
  QObject::connect(&dock->prediction(), &PredictionController::finished, &window, [&] { done = true; });
  dock->prediction().predictSlices({22, 23, 24, 25, 26}, QStringLiteral("Predict"));
  runEventsUntil([&] { return done && !window.isBusy(); });
  runEventsFor(800);
  // The dock floated at the content's natural height: settings, curves, model and prediction.
  QWidget* content = dock->trainingPanel()->parentWidget();
  dock->setFloating(true);
  dock->resize(600, content->sizeHint().height() + 60);
  runEventsFor(1000);
  const bool saved = content->grab().save(file);
  if (!saved) {
    std::fprintf(stderr, "cdnet-studio: cannot write %s\n", qPrintable(file));
    return 1;
  }
  std::printf("cdnet-studio: saved %s\n", qPrintable(file));
  return 0;
}

} // namespace ui
