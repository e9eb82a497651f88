// The Train and predict dock under Xvfb: a small phantom, labels from its ground truth on some
// slices, training a tiny model from the panel's real buttons, live curves, Stop within one batch,
// prediction of a slice compared with the ground truth and the Otsu threshold baseline, cancel of
// a whole-volume prediction within one tile, the uncertainty ranking, and failures that leave
// everything intact.
#include "core/labels/LabelEdit.h"
#include "core/ml/Device.h"
#include "core/ml/Metrics.h"
#include "core/ml/Model.h"
#include "core/phantom/Phantom.h"
#include "ui/MainWindow.h"
#include "ui/controllers/PredictionController.h"
#include "ui/controllers/TrainingController.h"
#include "ui/model/CursorModel.h"
#include "ui/model/Session.h"
#include "ui/panels/PredictionPanel.h"
#include "ui/panels/TrainingCharts.h"
#include "ui/panels/TrainingDock.h"
#include "ui/panels/TrainingPanel.h"

#include <QLabel>
#include <QLineSeries>
#include <QRegularExpression>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QCheckBox>
#include <QComboBox>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace core;

namespace {

/// Training stops once the validation Dice passes kDecentDice; it must at least pass kMinDice.
constexpr double kDecentDice = 0.6, kMinDice = 0.5;

constexpr volume::Size3 kSize{64, 64, 32};

// The simple preset: the panel's short training must pass a validation Dice of 0.5 and beat Otsu.
// On the realistic preset the same budget reached 0.49 in one run (its cracks are faint, partly
// filled and as dark as pores), which is the model's work (issue 14 item 3), not the panel's.
phantom::Phantom makePhantom() {
  phantom::PhantomOptions o = phantom::presetOptions(phantom::PhantomPreset::Simple);
  o.size = kSize;
  o.seed = 7;
  o.particleRadiusMin = 8;
  o.particleRadiusMax = 16;
  o.crackedFraction = 0.9;
  o.imageType = volume::VoxelType::UInt8;
  return phantom::generatePhantom(o);
}

/// Opens \p image (and \p prediction when given) in the window's session.
void openDataset(ui::MainWindow& w, const volume::Volume& image, volume::Volume prediction = {}) {
  ui::Dataset d;
  d.image = image.clone();
  d.prediction = std::move(prediction);
  d.name = QStringLiteral("phantom");
  d.description = QStringLiteral("test phantom");
  w.session().setDataset(std::move(d));
}

/// Labels slices \p slices from the ground truth (crack 2, else 1) and marks them annotated.
void labelFromTruth(ui::Session& s, const volume::Volume& cracks, const std::vector<std::int64_t>& slices) {
  s.labelVolume()->edit("Test labels", [&](labels::LabelEdit& e) {
    for (std::int64_t z : slices) {
      e.modifyRows(volume::Region::slab(kSize, z, z + 1), [&](std::int64_t y, std::int64_t zz, std::uint8_t* row) {
        const std::uint8_t* t = cracks.as<std::uint8_t>() + cracks.index(0, y, zz);
        for (std::int64_t x = 0; x < kSize.x; ++x) row[x] = t[x] ? 2 : 1;
      });
      e.setSliceAnnotated(z, true);
    }
  });
}

/// Dice of a binary slice (nonzero = crack) against the ground truth's slice \p z.
double sliceDice(const std::vector<bool>& predicted, const volume::Volume& cracks, std::int64_t z) {
  ml::Confusion c;
  const std::uint8_t* t = cracks.as<std::uint8_t>() + cracks.index(0, 0, z);
  for (std::size_t i = 0; i < predicted.size(); ++i) c.add(predicted[i], t[i] != 0);
  return c.dice();
}

template <class Pred> bool waitFor(Pred pred, int ms) {
  QElapsedTimer t;
  t.start();
  while (!pred()) {
    if (t.elapsed() > ms) return false;
    QTest::qWait(20);
  }
  return true;
}

} // namespace

class TestTrainingPanel : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_training_panel");
    QVERIFY(m_models.isValid());
  }

  void trainStopPredictBeatsOtsu() {
    const auto ph = makePhantom();
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    openDataset(w, ph.image);
    auto* dock = w.findChild<ui::TrainingDock*>();
    QVERIFY(dock);
    auto* panel = dock->trainingPanel();
    dock->training().setModelsFolder(m_models.path());

    labelFromTruth(w.session(), ph.cracks, {2, 6, 10, 14, 18, 22, 26, 30});
    QTRY_VERIFY(panel->slicesLabel()->text().contains(QStringLiteral("8 fully annotated")));

    ui::TrainingSettings s;
    s.baseWidth = 8;
    s.epochs = 2000; // stopped by the test
    s.batch = 4;
    s.iterationsPerEpoch = 40;
    s.crop = 32;
    s.learningRate = 5e-3;
    s.valFraction = 0.25;
    s.augment = false;
    s.device = ml::DeviceRequest::Cpu;
    panel->setSettings(s);
    QCOMPARE(panel->settings().baseWidth, 8);

    QSignalSpy epochs(&dock->training(), &ui::TrainingController::epochFinished);
    QObject::connect(&dock->training(), &ui::TrainingController::epochFinished, [](const ml::EpochMetrics& e) {
      std::printf("epoch %d: loss %.4f, validation loss %.4f, Dice %.3f (%.2f s)\n", e.epoch, e.trainLoss, e.valLoss,
                  e.valDice, e.seconds);
    });
    QSignalSpy ready(&dock->training(), &ui::TrainingController::modelReady);
    QSignalSpy messages(&dock->training(), &ui::TrainingController::messageReceived);
    QTest::mouseClick(panel->trainButton(), Qt::LeftButton);
    QCOMPARE(dock->training().state(), ui::TrainingState::Running);
    // The user keeps painting while it trains: the snapshot is not affected.
    w.session().labelVolume()->edit("Paint", [](labels::LabelEdit& e) { e.fill({{0, 0, 4}, {8, 8, 1}}, 2); });

    QElapsedTimer clock;
    clock.start();
    // Train until the validation Dice is decent (or 45 s), then Stop. The status line shows each
    // epoch's validation Dice as the chart gets its point: both are read at the same moment.
    const auto* dice = panel->charts()->valDiceSeries();
    QString status; // the latest status line that names a Dice, and the chart's last point then
    double chartDice = -1;
    QVERIFY(waitFor(
        [&] {
          if (panel->statusLabel()->text().contains(QStringLiteral("Dice")) && dice->count() > 0) {
            status = panel->statusLabel()->text();
            chartDice = dice->at(dice->count() - 1).y();
          }
          return (dice->count() >= 5 && dice->at(dice->count() - 1).y() > kDecentDice) || clock.elapsed() > 45000;
        },
        60000));
    QVERIFY(panel->charts()->trainLossSeries()->count() > 0);
    QVERIFY(panel->charts()->valLossSeries()->count() > 0);
    QVERIFY(dice->count() > 0);
    // The Dice it waited for: a number in the status line, the chart's last point, and training
    // learned the cracks (a model that learned nothing scores below 0.1; typical here: 0.6-0.8).
    const QRegularExpressionMatch shown = QRegularExpression(QStringLiteral("Dice (\\d\\.\\d+)")).match(status);
    QVERIFY2(shown.hasMatch(), qPrintable("no Dice in the status line: " + status));
    QVERIFY2(std::abs(shown.captured(1).toDouble() - chartDice) < 0.0015,
             qPrintable(QString("status '%1', chart %2").arg(status).arg(chartDice)));
    const double lastDice = dice->at(dice->count() - 1).y();
    double bestDice = 0;
    for (int i = 0; i < dice->count(); ++i) bestDice = std::max(bestDice, dice->at(i).y());
    std::printf("validation Dice: last %.3f, best %.3f after %d epochs\n", lastDice, bestDice, int(dice->count()));
    QVERIFY2(bestDice > kMinDice, qPrintable(QString("best validation Dice %1").arg(bestDice)));
    QVERIFY(panel->stopButton()->isEnabled());
    QTest::mouseClick(panel->stopButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return !dock->training().isRunning(); }, 20000));
    QCOMPARE(dock->training().state(), ui::TrainingState::Stopped);
    std::printf("training: %d epochs in %.1f s; steps after Stop: %d\n", int(epochs.count()), clock.elapsed() / 1000.0,
                dock->training().iterationsAfterStop());
    QVERIFY(dock->training().iterationsAfterStop() <= 1);
    QCOMPARE(ready.count(), 1);
    // The stop wrote last.pt and said how much disk the run keeps and wrote.
    QString disk;
    for (const auto& m : messages)
      if (m.at(0).toString().startsWith(QStringLiteral("checkpoints: "))) disk = m.at(0).toString();
    QVERIFY2(disk.contains(QStringLiteral(" kept in ")) && disk.contains(QStringLiteral("this run wrote")), qPrintable(disk));
    QVERIFY(QFileInfo::exists(dock->training().runFolder() + QStringLiteral("/last.pt")));
    QVERIFY(!dock->prediction().model().empty());
    QVERIFY(QFileInfo::exists(dock->prediction().checkpoint()));
    QVERIFY(dock->prediction().checkpoint().startsWith(m_models.path()));

    // Predict an unlabelled slice from the panel's button.
    const std::int64_t z = 12;
    w.cursor().setAlong(2, z);
    QSignalSpy changed(&w.session(), &ui::Session::predictionChanged);
    QSignalSpy finished(&dock->prediction(), &ui::PredictionController::finished);
    QTest::mouseClick(dock->predictionPanel()->predictSliceButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(changed.count() >= 1);
    const auto* p = w.session().prediction();
    QVERIFY(p);
    const std::size_t n = std::size_t(kSize.x * kSize.y);
    std::vector<bool> net(n), otsu(n);
    std::vector<float> grey(n);
    for (std::size_t i = 0; i < n; ++i) {
      net[i] = p->slicePtr(z)[i] >= 128;
      grey[i] = float(ph.image.slicePtr(z)[i]);
    }
    const double t = ml::otsuThreshold(grey);
    for (std::size_t i = 0; i < n; ++i) otsu[i] = grey[i] < t; // cracks are dark
    const double netDice = sliceDice(net, ph.cracks, z), otsuDice = sliceDice(otsu, ph.cracks, z);
    std::printf("slice %lld: Dice of the network %.3f, of the Otsu threshold %.3f (threshold %.1f)\n",
                static_cast<long long>(z), netDice, otsuDice, t);
    QVERIFY(netDice > otsuDice);
    QVERIFY(dock->prediction().predictedSlices()[std::size_t(z)]);

    // Accept: one undo step, undone exactly.
    const auto before = w.session().labelVolume()->volume().clone();
    QVERIFY(dock->predictionPanel()->acceptPrediction());
    QCOMPARE(w.session().labelVolume()->undoStack().undoName(), std::string("Accept prediction"));
    w.session().labelVolume()->undo();
    QCOMPARE(std::memcmp(before.data(), w.session().labelVolume()->volume().data(), before.bytes()), 0);

    // Cancel a whole-volume prediction after its first slice: it stops within one tile.
    ml::PredictOptions po;
    po.tile = 64;
    po.overlap = 32;
    dock->prediction().setPredictOptions(po);
    // The test-time augmentation box sets the option of the next prediction and keeps the others.
    QVERIFY(!dock->predictionPanel()->ttaCheck()->isChecked());
    dock->predictionPanel()->ttaCheck()->setChecked(true);
    QVERIFY(dock->prediction().predictOptions().tta);
    QCOMPARE(dock->prediction().predictOptions().tile, 64);
    dock->predictionPanel()->ttaCheck()->setChecked(false);
    QVERIFY(!dock->prediction().predictOptions().tta);
    // The precision box too (issue 21).
    QComboBox* precision = dock->predictionPanel()->precisionCombo();
    precision->setCurrentIndex(precision->findData(int(ml::Precision::Fp32)));
    QCOMPARE(dock->prediction().predictOptions().precision, ml::Precision::Fp32);
    QCOMPARE(dock->prediction().predictOptions().tile, 64);
    finished.clear();
    QSignalSpy slices(&dock->prediction(), &ui::PredictionController::sliceFinished);
    QTest::mouseClick(dock->predictionPanel()->predictVolumeButton(), Qt::LeftButton);
    QVERIFY(slices.wait(30000));
    QTest::mouseClick(dock->predictionPanel()->cancelButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    std::printf("whole volume cancelled after %d of %lld slices; tiles after cancel: %d\n", int(slices.count()),
                static_cast<long long>(kSize.z), dock->prediction().tilesAfterCancel());
    QVERIFY(dock->prediction().tilesAfterCancel() <= 1);
    QVERIFY(slices.count() < kSize.z);

    // A new dataset while a prediction runs: the worker stops first, nothing of it lands in the new one.
    QVERIFY(dock->prediction().predictVolume());
    QVERIFY(slices.wait(30000));
    openDataset(w, ph.image);
    QVERIFY(!dock->prediction().isRunning());
    QTest::qWait(200);
    QVERIFY(w.session().prediction() == nullptr);
    for (bool b : dock->prediction().predictedSlices()) QVERIFY(!b);
  }

  void uncertaintyRankingFindsTheHardestSlice() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // A prediction layer that is certain everywhere except slice 11 (p near 0.5) and, less so, slice 5.
    volume::Volume image(kSize, volume::VoxelType::UInt8);
    volume::Volume pred(kSize, volume::VoxelType::UInt8);
    std::uint8_t* v = pred.as<std::uint8_t>();
    for (std::int64_t i = 0; i < pred.voxelCount(); ++i) {
      const std::int64_t z = i / (kSize.x * kSize.y);
      v[i] = (i % 7 == 0) ? 250 : 3;
      if (z == 11) v[i] = std::uint8_t(120 + i % 16);
      if (z == 5) v[i] = std::uint8_t(i % 3 == 0 ? 60 : 10);
    }
    openDataset(w, image, std::move(pred));
    auto* dock = w.findChild<ui::TrainingDock*>();
    QObject::connect(&dock->training(), &ui::TrainingController::epochFinished, [](const ml::EpochMetrics& e) {
      std::printf("epoch %d: loss %.4f, validation loss %.4f, Dice %.3f (%.2f s)\n", e.epoch, e.trainLoss, e.valLoss,
                  e.valDice, e.seconds);
    });
    QSignalSpy ready(&dock->prediction(), &ui::PredictionController::suggestionReady);
    dock->prediction().suggestNextSlice();
    QCOMPARE(ready.count(), 1);
    const auto ranking = ready.at(0).at(0).value<ui::SliceRanking>();
    QCOMPARE(ranking.size(), std::size_t(5));
    QCOMPARE(ranking[0].first, std::int64_t(11));
    QCOMPARE(ranking[1].first, std::int64_t(5));
    QVERIFY(ranking[0].second > 0.99);
    QCOMPARE(w.cursor().position().z, std::int64_t(11));
    QVERIFY(dock->predictionPanel()->rankingLabel()->text().contains(QStringLiteral("slice 11")));
    // Annotated slices are not suggested again.
    w.session().labelVolume()->edit("Mark", [](labels::LabelEdit& e) { e.setSliceAnnotated(11, true); });
    QCOMPARE(dock->prediction().uncertaintyRanking().front().first, std::int64_t(5));
  }

  void starterModelIsOfferedAndFineTunedWhenNoModelIsLoaded() {
    // A tiny stand-in for the shipped starter model (base width 4: the settings' default is 64).
    const QString starter = m_models.filePath(QStringLiteral("starter.pt"));
    ml::Model::create(ml::ModelOptions::paper(4), ml::resolveDevice(ml::DeviceRequest::Cpu, 1), 3)
        .saveCheckpoint(starter.toStdString());
    qputenv("CDNET_STARTER_MODEL", starter.toUtf8());
    struct Unset {
      ~Unset() { qunsetenv("CDNET_STARTER_MODEL"); }
    } unset;
    const phantom::Phantom ph = makePhantom();
    {
      ui::MainWindow w;
      w.setErrorDialogsEnabled(false);
      w.show();
      QVERIFY(QTest::qWaitForWindowExposed(&w));
      openDataset(w, ph.image);
      auto* dock = w.findChild<ui::TrainingDock*>();
      auto* offer = dock->predictionPanel()->useStarterButton();
      QVERIFY(!offer->isHidden() && offer->isEnabled());
      QTest::mouseClick(offer, Qt::LeftButton);
      QVERIFY(waitFor([&] { return !dock->prediction().model().empty(); }, 20000));
      QCOMPARE(QString::fromStdString(dock->prediction().model().source()), starter);
      QCOMPARE(dock->prediction().model().options().baseWidth, 4);
      QVERIFY(offer->isHidden()); // offered only while no model is loaded
      QVERIFY(dock->prediction().predictSlice(5));
      QVERIFY(waitFor([&] { return dock->prediction().predictedSlices()[5]; }, 30000));
    }
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    openDataset(w, ph.image);
    labelFromTruth(w.session(), ph.cracks, {2, 10, 18});
    auto* dock = w.findChild<ui::TrainingDock*>();
    dock->training().setModelsFolder(m_models.filePath(QStringLiteral("from-starter")));
    auto* panel = dock->trainingPanel();
    QVERIFY(dock->prediction().model().empty());
    QVERIFY(panel->fineTuneButton()->isEnabled());
    QVERIFY2(panel->fineTuneButton()->text().contains(QStringLiteral("starter")), qPrintable(panel->fineTuneButton()->text()));
    QSignalSpy messages(&dock->training(), &ui::TrainingController::messageReceived);
    QTest::mouseClick(panel->fineTuneButton(), Qt::LeftButton);
    QVERIFY(dock->training().isRunning());
    const auto saidStarter = [&] {
      for (const auto& m : messages)
        if (m.at(0).toString().contains("fine-tuning from '" + starter)) return true;
      return false;
    };
    QVERIFY2(waitFor(saidStarter, 30000), "training did not say it fine-tunes the starter model");
    QSignalSpy epochs(&dock->training(), &ui::TrainingController::epochFinished);
    QVERIFY(waitFor([&] { return !epochs.isEmpty(); }, 60000));
    QTest::mouseClick(panel->stopButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return !dock->training().isRunning(); }, 30000));
    QVERIFY(waitFor([&] { return !dock->prediction().model().empty(); }, 10000));
    QCOMPARE(dock->prediction().model().options().baseWidth, 4); // the starter's width, not the settings' 64
  }

  void failuresShowTheCauseAndKeepEverything() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    openDataset(w, volume::Volume(kSize, volume::VoxelType::UInt8));
    auto* dock = w.findChild<ui::TrainingDock*>();
    dock->training().setModelsFolder(m_models.path() + QStringLiteral("/none"));
    auto* panel = dock->trainingPanel();
    QSignalSpy failed(&dock->training(), &ui::TrainingController::failed);
    QTest::mouseClick(panel->trainButton(), Qt::LeftButton);
    QCOMPARE(failed.count(), 1);
    QVERIFY(panel->statusLabel()->text().contains(QStringLiteral("No labelled voxel")));
    QVERIFY(!dock->training().isRunning());
    QVERIFY(!QFileInfo::exists(m_models.path() + QStringLiteral("/none")));
    // No model: prediction refuses with a reason.
    QSignalSpy predFailed(&dock->prediction(), &ui::PredictionController::failed);
    QVERIFY(!dock->prediction().predictSlice(3));
    QCOMPARE(predFailed.count(), 1);
    QVERIFY(!dock->prediction().loadModel(m_models.path() + QStringLiteral("/missing.pt")));
    QVERIFY(predFailed.at(1).at(0).toString().contains(QStringLiteral("missing.pt")));
    QVERIFY(!panel->deviceLabel()->text().isEmpty());
  }

private:
  QTemporaryDir m_models;
};

QTEST_MAIN(TestTrainingPanel)
#include "test_training_panel.moc"
