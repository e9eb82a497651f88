// Issue 14 item 3 in the studio, through the real widgets under Xvfb: the Training panel trains a
// 2.5D model (neighbour slices as channels) with the loss and learning-rate schedule it shows, the
// snapshot gives the engine the same neighbours the whole volume would, the studio predicts a
// slice with its neighbours exactly as core::ml::Predictor does, the tri-planar box changes the
// whole-volume prediction to the Predictor's tri-planar one (and not a single slice's), a volume
// too thin for the model says so clearly, and the settings survive saving and reopening a project.
#include "TestVolumes.h"
#include "core/labels/LabelEdit.h"
#include "core/labels/LabelVolume.h"
#include "core/ml/Checkpoint.h"
#include "core/ml/Device.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/controllers/PredictionController.h"
#include "ui/controllers/ProjectController.h"
#include "ui/controllers/TrainingController.h"
#include "ui/controllers/TrainingSnapshot.h"
#include "ui/io/LoadController.h"
#include "ui/model/CursorModel.h"
#include "ui/model/Session.h"
#include "ui/panels/PredictionPanel.h"
#include "ui/panels/TrainingDock.h"
#include "ui/panels/TrainingPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace cl = core::labels;
namespace vol = core::volume;
namespace ml = core::ml;

namespace {

constexpr vol::Size3 kSize{64, 64, 12};
/// The studio's layer holds probability x 255 rounded: equal to the Predictor's float within half
/// a step (plus 1e-5 for the arithmetic of two runs of the same network).
constexpr double kLayerTolerance = 0.5 / 255.0 + 1e-5;

vol::Volume phantomImage(vol::Size3 size, std::uint64_t seed, vol::Volume* cracks = nullptr) {
  core::phantom::PhantomOptions o = core::phantom::presetOptions(core::phantom::PhantomPreset::Simple);
  o.size = size;
  o.seed = seed;
  o.particleRadiusMin = 8;
  o.particleRadiusMax = 16;
  o.crackedFraction = 0.9;
  o.imageType = vol::VoxelType::UInt8;
  auto ph = core::phantom::generatePhantom(o);
  if (cracks) *cracks = std::move(ph.cracks);
  return std::move(ph.image);
}

void openImage(ui::MainWindow& w, const vol::Volume& image) {
  ui::Dataset d = testdata::blank(image.size(), image.type());
  d.image = image.clone();
  d.statistics = ui::ImageStatistics::compute(d.image);
  w.session().setDataset(std::move(d));
}

void show(ui::MainWindow& w) {
  w.setErrorDialogsEnabled(false);
  w.show();
  if (!QTest::qWaitForWindowExposed(&w)) qFatal("window not exposed");
}

/// Labels slices \p slices from the truth (crack 2, else 1) and marks them fully annotated.
void labelFromTruth(ui::Session& s, const vol::Volume& cracks, const std::vector<std::int64_t>& slices) {
  const auto size = cracks.size();
  s.labelVolume()->edit("Test labels", [&](cl::LabelEdit& e) {
    for (std::int64_t z : slices) {
      e.modifyRows(vol::Region::slab(size, z, z + 1), [&](std::int64_t y, std::int64_t zz, std::uint8_t* row) {
        const std::uint8_t* t = cracks.as<std::uint8_t>() + cracks.index(0, y, zz);
        for (std::int64_t x = 0; x < size.x; ++x) row[x] = t[x] ? 2 : 1;
      });
      e.setSliceAnnotated(z, true);
    }
  });
}

/// Largest difference between the studio's uint8 layer (slices [z0, z1)) and float probabilities
/// \p p of the same slices.
double layerDifference(const vol::Volume& layer, const vol::Volume& p, std::int64_t z0, std::int64_t z1) {
  const std::size_t plane = std::size_t(layer.size().x * layer.size().y);
  double worst = 0;
  for (std::int64_t z = z0; z < z1; ++z) {
    const std::uint8_t* a = layer.slicePtr(z);
    const float* b = p.as<float>() + std::size_t(z - z0) * plane;
    for (std::size_t i = 0; i < plane; ++i) worst = std::max(worst, std::abs(a[i] / 255.0 - double(b[i])));
  }
  return worst;
}

double maxDifference(const vol::Volume& a, const vol::Volume& b) {
  double worst = 0;
  for (std::int64_t i = 0; i < a.voxelCount(); ++i)
    worst = std::max(worst, std::abs(double(a.as<float>()[i]) - double(b.as<float>()[i])));
  return worst;
}

/// Clicks the spin box's up arrow key \p steps times (the widget as a user drives it).
void stepUp(QSpinBox* spin, int steps) {
  spin->setFocus();
  for (int i = 0; i < steps; ++i) QTest::keyClick(spin, Qt::Key_Up);
}

/// Picks the combo box item with \p data by keyboard (Home, then Down until it is current).
void choose(QComboBox* combo, int data) {
  combo->setFocus();
  QTest::keyClick(combo, Qt::Key_Home);
  for (int i = 0; i < combo->count() && combo->currentData().toInt() != data; ++i) QTest::keyClick(combo, Qt::Key_Down);
}

/// A few steps of training from the panel (base 8, CPU, no validation) on top of \p base.
ui::TrainingSettings briefSettings(ui::TrainingSettings s) {
  s.baseWidth = 8;
  s.epochs = 1;
  s.iterationsPerEpoch = 4;
  s.batch = 2;
  s.crop = 64;
  s.learningRate = 5e-3;
  s.valFraction = 0;
  s.augment = false;
  s.device = ml::DeviceRequest::Cpu;
  return s;
}

} // namespace

class TestStudio25d : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir, m_recovery;

private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_studio_25d");
    qputenv("CDNET_RECOVERY_DIR", m_recovery.path().toUtf8());
    QVERIFY(m_dir.isValid());
  }

  void snapshotCarriesTheNeighboursTheVolumeWould() {
    // The studio's snapshot of a few labelled slices (an end slice among them) against the
    // engine's samples built from the whole volume: the same 2k+1 planes, labels and slices.
    vol::Volume cracks;
    const vol::Volume image = phantomImage(kSize, 3, &cracks);
    ui::MainWindow w;
    openImage(w, image);
    const std::vector<std::int64_t> labelled{0, 5, 6, 11};
    labelFromTruth(w.session(), cracks, labelled);
    for (int k : {0, 1, 2}) {
      const ui::TrainingSnapshot snap = ui::TrainingSnapshot::take(w.session().image(), *w.session().labelVolume(), k);
      std::vector<bool> flags(std::size_t(kSize.z), false);
      for (auto z : labelled) flags[std::size_t(z)] = true;
      const ml::TrainingData whole =
          ml::TrainingData::fromVolumes(image, w.session().labelVolume()->volume(), flags, "image", "labels", k);
      QCOMPARE(snap.slices, labelled);
      QCOMPARE(snap.data.slices.size(), whole.slices.size());
      QCOMPARE(snap.data.channels(), 2 * k + 1);
      for (std::size_t i = 0; i < whole.slices.size(); ++i) {
        const auto &a = snap.data.slices[i], &b = whole.slices[i];
        QCOMPARE(a.sourceZ, b.sourceZ);
        QCOMPARE(a.channels, b.channels);
        QVERIFY2(a.image == b.image, qPrintable(QStringLiteral("k %1, slice %2: other image planes").arg(k).arg(b.sourceZ)));
        QVERIFY(a.labels == b.labels);
        QCOMPARE(a.labelledCount, b.labelledCount);
      }
    }
    // Too thin for k = 6 (13 slices needed): a message, not a crash.
    try {
      ui::TrainingSnapshot::take(w.session().image(), *w.session().labelVolume(), 6);
      QFAIL("a 12-slice volume was taken for 6 context slices");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString(e.what()).contains(QStringLiteral("at least 13")), e.what());
    }
  }

  void panelTrains25dAndPredictsLikeThePredictor() {
    vol::Volume cracks;
    const vol::Volume image = phantomImage(kSize, 7, &cracks);
    ui::MainWindow w;
    show(w);
    openImage(w, image);
    labelFromTruth(w.session(), cracks, {1, 4, 8, 10});
    auto* dock = w.findChild<ui::TrainingDock*>();
    auto* panel = dock->trainingPanel();
    dock->training().setModelsFolder(m_dir.filePath(QStringLiteral("models")));
    panel->setSettings(briefSettings(panel->settings()));

    // The new controls, driven by keyboard.
    QCOMPARE(panel->contextSpin()->value(), 0);
    QVERIFY(panel->contextSpin()->toolTip().contains(QStringLiteral("2K+1")));
    stepUp(panel->contextSpin(), 1);
    QCOMPARE(panel->settings().contextSlices, 1);
    choose(panel->lossCombo(), int(ml::LossKind::BceDice));
    choose(panel->lrScheduleCombo(), int(ml::LrSchedule::Cosine));
    QCOMPARE(ml::toString(panel->settings().loss), ml::toString(ml::LossKind::BceDice));
    QCOMPARE(ml::toString(panel->settings().lrSchedule), ml::toString(ml::LrSchedule::Cosine));

    QSignalSpy ready(&dock->training(), &ui::TrainingController::modelReady);
    QSignalSpy failed(&dock->training(), &ui::TrainingController::failed);
    QTest::mouseClick(panel->trainButton(), Qt::LeftButton);
    QVERIFY2(ready.wait(120000), qPrintable(panel->statusLabel()->text()));
    dock->training().wait();
    QCOMPARE(failed.count(), 0);
    const QString checkpoint = dock->prediction().checkpoint();
    QVERIFY(QFileInfo::exists(checkpoint));
    // The saved model is 2.5D with one neighbour each side, and it remembers the recipe.
    const ml::CheckpointInfo info = ml::readCheckpointInfo(checkpoint.toStdString());
    QCOMPARE(info.model.contextSlices, 1);
    QCOMPARE(info.model.baseWidth, 8);
    QCOMPARE(ml::toString(info.training.loss), ml::toString(ml::LossKind::BceDice));
    QCOMPARE(ml::toString(info.training.lrSchedule), ml::toString(ml::LrSchedule::Cosine));
    QCOMPARE(dock->prediction().model().options().contextSlices, 1);
    // Fine-tuning keeps the model's network, and says so.
    QVERIFY(panel->fineTuneButton()->isEnabled());
    QVERIFY2(panel->fineTuneButton()->toolTip().contains(QStringLiteral("1 neighbour")),
             qPrintable(panel->fineTuneButton()->toolTip()));

    // Predicting a slice in the studio: the Predictor on the same model, slice and neighbours.
    // First with the model just trained, then with a freshly drawn 2.5D network loaded as a
    // checkpoint, whose output depends strongly on every channel (after a few steps the trained
    // one is nearly flat: a slice without its neighbours moved it by about 0.007 only).
    ml::PredictOptions po;
    po.tile = 64;
    po.overlap = 32;
    dock->prediction().setPredictOptions(po);
    ml::LoadOptions lo;
    lo.device = ml::DeviceRequest::Cpu;
    lo.cpuThreads = 1;
    auto* predictions = dock->predictionPanel();
    QSignalSpy finished(&dock->prediction(), &ui::PredictionController::finished);
    const auto predictSlice = [&](std::int64_t z) {
      w.cursor().setAlong(2, z);
      finished.clear();
      QTest::mouseClick(predictions->predictSliceButton(), Qt::LeftButton);
      return finished.wait(60000) && !finished.at(0).at(0).toBool();
    };
    ml::ModelOptions freshOptions = ml::ModelOptions::paper(8);
    freshOptions.contextSlices = 1;
    const QString fresh = m_dir.filePath(QStringLiteral("fresh.pt"));
    ml::Model::create(freshOptions, ml::resolveDevice(ml::DeviceRequest::Cpu, 1), 5).saveCheckpoint(fresh.toStdString());
    for (const QString& model : {checkpoint, fresh}) {
      if (model == fresh) QVERIFY(dock->prediction().loadModel(fresh));
      ml::Predictor reference(ml::Model::load(model.toStdString(), lo), po);
      for (std::int64_t z : {std::int64_t(0), std::int64_t(6)}) { // an end slice (mirrored neighbour) and an inner one
        QVERIFY(predictSlice(z));
        const double d = layerDifference(*w.session().prediction(), reference.predict(image, z, z + 1), z, z + 1);
        // The slice alone (itself as its neighbours), as a studio that forgot them would predict it.
        vol::Volume alone({kSize.x, kSize.y, 3}, image.type());
        for (std::int64_t c = 0; c < 3; ++c) std::memcpy(alone.slicePtr(c), image.slicePtr(z), image.info().sliceBytes());
        const double without = layerDifference(*w.session().prediction(), reference.predict(alone, 1, 2), z, z + 1);
        std::printf("%s, slice %lld: studio vs Predictor %.2g, vs the slice without its neighbours %.3f\n",
                    model == fresh ? "fresh model" : "trained model", static_cast<long long>(z), d, without);
        QVERIFY2(d <= kLayerTolerance, qPrintable(QStringLiteral("slice %1 differs by %2").arg(z).arg(d)));
        if (model == fresh) QVERIFY(without > 0.05); // measured 0.2
      }
    }

    // Tri-planar fusion: the box sets the whole-volume prediction's option; single slices say they
    // are predicted in XY.
    auto* tri = predictions->triPlanarCheck();
    QVERIFY(tri->isEnabled() && !tri->isChecked());
    QTest::mouseClick(tri, Qt::LeftButton, {}, QPoint(8, tri->height() / 2));
    QVERIFY(tri->isChecked());
    QVERIFY(dock->prediction().predictOptions().triPlanar);
    QCOMPARE(dock->prediction().predictOptions().tile, 64);
    QVERIFY(predictions->predictSliceButton()->toolTip().contains(QStringLiteral("whole volume")));
    finished.clear();
    QTest::mouseClick(predictions->predictVolumeButton(), Qt::LeftButton);
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    // The fresh 2.5D model is the current one: tri-planar with neighbours along each plane's normal.
    ml::PredictOptions fused = po;
    fused.triPlanar = true;
    ml::Predictor reference(ml::Model::load(fresh.toStdString(), lo), po);
    const vol::Volume triExpected = ml::Predictor(ml::Model::load(fresh.toStdString(), lo), fused).predict(image, 0, kSize.z);
    const vol::Volume planar = reference.predict(image, 0, kSize.z);
    const double dTri = layerDifference(*w.session().prediction(), triExpected, 0, kSize.z);
    const double change = maxDifference(triExpected, planar);
    std::printf("whole volume: studio vs tri-planar Predictor %.2g; tri-planar vs XY only %.3f\n", dTri, change);
    QVERIFY2(dTri <= kLayerTolerance, qPrintable(QString::number(dTri)));
    QVERIFY(change > 0.05); // the box changed the prediction
    for (bool b : dock->prediction().predictedSlices()) QVERIFY(b);
    // With the box on, one slice is still its XY prediction.
    w.cursor().setAlong(2, 6);
    finished.clear();
    QTest::mouseClick(predictions->predictSliceButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QVERIFY(layerDifference(*w.session().prediction(), reference.predict(image, 6, 7), 6, 7) <= kLayerTolerance);
  }

  void thinVolumeSaysWhy() {
    // One slice (a 2D image) and 2.5D with K = 1: a clear message, no run, no folder.
    vol::Volume cracks;
    const vol::Volume image = phantomImage({64, 64, 1}, 9, &cracks);
    ui::MainWindow w;
    show(w);
    openImage(w, image);
    labelFromTruth(w.session(), cracks, {0});
    auto* dock = w.findChild<ui::TrainingDock*>();
    auto* panel = dock->trainingPanel();
    const QString folder = m_dir.filePath(QStringLiteral("thin"));
    dock->training().setModelsFolder(folder);
    panel->setSettings(briefSettings(panel->settings()));
    stepUp(panel->contextSpin(), 1);
    QSignalSpy failed(&dock->training(), &ui::TrainingController::failed);
    QTest::mouseClick(panel->trainButton(), Qt::LeftButton);
    QCOMPARE(failed.count(), 1);
    const QString message = panel->statusLabel()->text();
    QVERIFY2(message.contains(QStringLiteral("1 slice")) && message.contains(QStringLiteral("at least 3")) &&
                 message.contains(QStringLiteral("Neighbour slices (2.5D)")),
             qPrintable(message));
    QVERIFY(!dock->training().isRunning());
    QVERIFY(!QFileInfo::exists(folder));
    // 2D on the same image trains (the message was about the context, nothing else).
    panel->contextSpin()->setFocus();
    QTest::keyClick(panel->contextSpin(), Qt::Key_Down);
    QCOMPARE(panel->settings().contextSlices, 0);
    QSignalSpy ready(&dock->training(), &ui::TrainingController::modelReady);
    QTest::mouseClick(panel->trainButton(), Qt::LeftButton);
    QVERIFY2(ready.wait(120000), qPrintable(panel->statusLabel()->text()));
    dock->training().wait();

    // A 2.5D model as the current one: fine-tuning cannot apply here (disabled, says why), and
    // predicting says the volume is too thin.
    const QString thick = m_dir.filePath(QStringLiteral("thick.pt"));
    ml::ModelOptions mo = ml::ModelOptions::paper(4);
    mo.contextSlices = 1;
    ml::Model::create(mo, ml::resolveDevice(ml::DeviceRequest::Cpu, 1), 3).saveCheckpoint(thick.toStdString());
    QVERIFY(dock->prediction().loadModel(thick));
    QVERIFY(!panel->fineTuneButton()->isEnabled());
    QVERIFY2(panel->fineTuneButton()->toolTip().contains(QStringLiteral("at least 3")),
             qPrintable(panel->fineTuneButton()->toolTip()));
    QSignalSpy predictFailed(&dock->prediction(), &ui::PredictionController::failed);
    QTest::mouseClick(dock->predictionPanel()->predictSliceButton(), Qt::LeftButton);
    QCOMPARE(predictFailed.count(), 1);
    const QString why = predictFailed.at(0).at(0).toString();
    QVERIFY2(why.contains(QStringLiteral("1 slice")) && why.contains(QStringLiteral("2.5D")) &&
                 why.contains(QStringLiteral("at least 3")),
             qPrintable(why));
    QVERIFY(!dock->prediction().isRunning());
    QVERIFY(dock->predictionPanel()->statusLabel()->text().contains(QStringLiteral("at least 3")));
  }

  void settingsSurviveSaveAndReopen() {
    const QString image = m_dir.filePath(QStringLiteral("phantom.nrrd"));
    vol::writeVolume(phantomImage(kSize, 5), image.toStdString());
    const QString project = m_dir.filePath(QStringLiteral("study.cdnet"));
    {
      ui::MainWindow w;
      show(w);
      QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
      QVERIFY(w.openPath(image, ui::OpenFlow::Ask::Never) && loaded.wait(30000));
      auto* panel = w.findChild<ui::TrainingDock*>()->trainingPanel();
      stepUp(panel->contextSpin(), 2);
      choose(panel->lossCombo(), int(ml::LossKind::BceClDice));
      choose(panel->lrScheduleCombo(), int(ml::LrSchedule::Cosine));
      QVERIFY(w.projects().saveAs(project));
    }
    ui::MainWindow w;
    show(w);
    QSignalSpy opened(&w.projects(), &ui::ProjectController::projectOpened);
    QVERIFY(w.projects().openProject(project));
    QVERIFY(opened.wait(30000));
    auto* panel = w.findChild<ui::TrainingDock*>()->trainingPanel();
    QCOMPARE(panel->contextSpin()->value(), 2);
    QCOMPARE(panel->settings().contextSlices, 2);
    QCOMPARE(ml::toString(panel->settings().loss), ml::toString(ml::LossKind::BceClDice));
    QCOMPARE(ml::toString(panel->settings().lrSchedule), ml::toString(ml::LrSchedule::Cosine));
    QCOMPARE(panel->lossCombo()->currentData().toInt(), int(ml::LossKind::BceClDice));
  }
};

QTEST_MAIN(TestStudio25d)
#include "test_studio_25d.moc"
