// Defaults that follow the machine and the data, and feedback after each step (issue 22 items 6
// and 7): the network's base width from the device, the flood tolerance from the value range, an
// edit that changes nothing adds no undo step and says so, the depth bin from the volume's
// depth; prediction says how much it found and when it is stale; the Dice says what it stands
// on; Accept asks first with the voxel count; Suggest skips slices next to labelled or suggested ones.
#include "TestVolumes.h"
#include "core/analysis/Summaries.h"
#include "core/labels/LabelConvention.h"
#include "core/labels/LabelEdit.h"
#include "core/labels/LabelVolume.h"
#include "core/ml/Device.h"
#include "core/ml/Model.h"
#include "core/phantom/Phantom.h"
#include "ui/MainWindow.h"
#include "ui/controllers/PredictionController.h"
#include "ui/controllers/TrainingController.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/panels/PredictionPanel.h"
#include "ui/panels/StatisticsPanel.h"
#include "ui/panels/TrainingDock.h"
#include "ui/panels/TrainingPanel.h"
#include "ui/tools/LabelEditor.h"
#include "ui/tools/ToolSettings.h"
#include "ui/views/SliceView.h"

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

namespace cl = core::labels;
namespace vol = core::volume;
namespace ml = core::ml;

namespace {

void show(ui::MainWindow& w) {
  w.setErrorDialogsEnabled(false);
  w.show();
  if (!QTest::qWaitForWindowExposed(&w)) qFatal("window not exposed");
}

/// Voxels of slice \p z of the uint8 prediction at or above 0.5 (byte 128), counted here.
std::int64_t aboveHalf(const vol::Volume& p, std::int64_t z) {
  const std::uint8_t* s = p.slicePtr(z);
  return std::count_if(s, s + p.size().x * p.size().y, [](std::uint8_t v) { return v >= 128; });
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

/// Answers the next modal message box with \p button and keeps its text.
void answerNextQuestion(QString* text, QMessageBox::StandardButton button) {
  QTimer::singleShot(0, [text, button] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (!box) return;
    *text = box->text();
    box->button(button)->click();
  });
}

} // namespace

constexpr int kNothingSeed = 1;

class TestStudioFeedback : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_studio_feedback");
  }

  void networkDefaultFollowsTheDevice() {
    ui::MainWindow w;
    auto* panel = w.findChild<ui::TrainingDock*>()->trainingPanel();
    const int expected = ml::cudaAvailable() ? 64 : 16;
    QCOMPARE(panel->settings().baseWidth, expected);
    QCOMPARE(ui::TrainingSettings{}.baseWidth, expected);
  }

  void floodToleranceFollowsTheDataAndAnEmptyFillAddsNoUndoStep() {
    // uint16 data spread over 0..20000: a tolerance of 10 grey values would fill single voxels.
    ui::Dataset d = testdata::blank({64, 64, 64});
    for (std::int64_t z = 0; z < 64; ++z)
      for (std::int64_t y = 0; y < 64; ++y)
        for (std::int64_t x = 0; x < 64; ++x) d.image.setValueAt(x, y, z, double((x * 997 + y * 131 + z * 7) % 20000));
    d.statistics = ui::ImageStatistics::compute(d.image);
    // Slice 32 is labelled crack throughout: a crack flood fill there changes nothing.
    for (std::int64_t y = 0; y < 64; ++y)
      for (std::int64_t x = 0; x < 64; ++x) d.labels.setValueAt(x, y, 32, cl::kCrack);
    const double range = d.statistics.percentile(99.5) - d.statistics.percentile(0.5);
    ui::MainWindow w;
    w.session().setDataset(std::move(d));
    show(w);
    ui::ToolSettings& tools = w.labelEditor().settings();
    QVERIFY2(tools.floodTolerance() > 0.03 * range && tools.floodTolerance() < 0.07 * range,
             qPrintable(QStringLiteral("%1 of %2").arg(tools.floodTolerance()).arg(range)));
    QVERIFY(tools.floodTolerance() > 100);

    tools.setTool(ui::ToolKind::Flood);
    w.cursor().setPosition({32, 32, 32});
    auto* xy = w.sliceView(ui::SliceOrientation::XY);
    QTest::mouseClick(xy, Qt::LeftButton, {}, xy->widgetPosition({30, 30, 32}).toPoint());
    QVERIFY(!w.session().labelVolume()->canUndo());
    QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("changed nothing")),
             qPrintable(w.statusBar()->currentMessage()));
    // Where it does fill, it says how much and adds one step.
    w.cursor().setPosition({32, 32, 20});
    QTest::mouseClick(xy, Qt::LeftButton, {}, xy->widgetPosition({30, 30, 20}).toPoint());
    QVERIFY(w.session().labelVolume()->canUndo());
    QVERIFY2(w.statusBar()->currentMessage().startsWith(QStringLiteral("Flood fill: ")),
             qPrintable(w.statusBar()->currentMessage()));
  }

  void depthBinFollowsTheVolumesDepth() {
    QCOMPARE(core::analysis::defaultDepthBinUm(2.4), 0.1);
    QCOMPARE(core::analysis::defaultDepthBinUm(500), 20.0);
    QCOMPARE(core::analysis::defaultDepthBinUm(200), 10.0);
    ui::MainWindow w;
    ui::Dataset thin = testdata::blank({32, 32, 24});
    thin.image = vol::Volume({32, 32, 24}, vol::VoxelType::UInt16, {0.1, 0.1, 0.1}); // 2.4 um deep
    w.session().setDataset(std::move(thin));
    QCOMPARE(w.statisticsPanel()->options().binWidthUm, 0.1);
    ui::Dataset deep = testdata::blank({16, 16, 50});
    deep.image = vol::Volume({16, 16, 50}, vol::VoxelType::UInt16, {10, 10, 10}); // 500 um deep
    w.session().setDataset(std::move(deep));
    QCOMPARE(w.statisticsPanel()->options().binWidthUm, 20.0);
  }

  void predictionSaysWhatItFoundAndWhenItIsStale() {
    ui::MainWindow w;
    show(w);
    core::phantom::PhantomOptions o = core::phantom::presetOptions(core::phantom::PhantomPreset::Simple);
    o.size = {64, 64, 8};
    o.seed = 3;
    o.imageType = vol::VoxelType::UInt8;
    ui::Dataset d;
    d.image = core::phantom::generatePhantom(o).image;
    d.statistics = ui::ImageStatistics::compute(d.image);
    d.name = QStringLiteral("phantom");
    w.session().setDataset(std::move(d));
    auto* dock = w.findChild<ui::TrainingDock*>();
    ui::PredictionController& prediction = dock->prediction();
    ui::PredictionPanel* panel = dock->predictionPanel();
    const ml::Device cpu = ml::resolveDevice(ml::DeviceRequest::Cpu, 1);
    // The starter model (pretrained on phantoms) finds cracks on a phantom.
    QVERIFY(prediction.loadModel(QStringLiteral(CDNET_SOURCE_DIR "/models/starter-b16.pt")));
    QVERIFY(prediction.predictSlice(3));
    QVERIFY(waitFor([&] { return !prediction.isRunning(); }, 30000));
    const std::int64_t above = aboveHalf(*w.session().prediction(), 3);
    const QString status = panel->statusLabel()->text();
    std::printf("phantom slice, starter model: %lld voxels above 0.5: %s\n", (long long)above, qPrintable(status));
    QVERIFY(above > 0); // the case of nothing: below
    QVERIFY2(status.startsWith(QStringLiteral("Prediction done: %1 voxels (").arg(above)), qPrintable(status));
    QCOMPARE(prediction.tally().above, above);
    QCOMPARE(prediction.tally().voxels, std::int64_t(64 * 64));
    QVERIFY(panel->staleLabel()->isHidden());

    // A new model (as after training): the prediction is marked stale until predicted again.
    prediction.setModel(ml::Model::create(ml::ModelOptions::paper(4), cpu, 6));
    QVERIFY(!panel->staleLabel()->isHidden());
    QVERIFY2(panel->staleLabel()->text().contains(QStringLiteral("1 slice")), qPrintable(panel->staleLabel()->text()));
    QVERIFY(prediction.predictSlice(3));
    QVERIFY(waitFor([&] { return !prediction.isRunning(); }, 30000));
    QCOMPARE(prediction.staleSlices(), std::int64_t(0));
    QVERIFY(panel->staleLabel()->isHidden());
  }

  void predictionThatFindsNothingSaysSo() {
    ui::MainWindow w;
    show(w);
    w.session().setDataset(testdata::blank({32, 32, 4}, vol::VoxelType::UInt8));
    auto* dock = w.findChild<ui::TrainingDock*>();
    ui::PredictionController& prediction = dock->prediction();
    // An untrained network on a blank image: a constant output, below 0.5 for this seed.
    prediction.setModel(ml::Model::create(ml::ModelOptions::paper(4), ml::resolveDevice(ml::DeviceRequest::Cpu, 1),
                                          kNothingSeed));
    QVERIFY(prediction.predictSlice(1));
    QVERIFY(waitFor([&] { return !prediction.isRunning(); }, 30000));
    std::printf("blank image, seed %d: %lld voxels above 0.5\n", kNothingSeed, (long long)aboveHalf(*w.session().prediction(), 1));
    QCOMPARE(aboveHalf(*w.session().prediction(), 1), std::int64_t(0));
    QVERIFY2(dock->predictionPanel()->statusLabel()->text().contains(QStringLiteral("found no crack")),
             qPrintable(dock->predictionPanel()->statusLabel()->text()));
  }

  void acceptAsksFirstAndSaysHowManyVoxels() {
    const vol::Size3 size{16, 16, 6};
    ui::Dataset d = testdata::blank(size, vol::VoxelType::UInt8);
    d.prediction = vol::Volume(size, vol::VoxelType::UInt8);
    std::int64_t unlabelled = 0, crack = 0;
    for (std::int64_t z = 0; z < size.z; ++z)
      for (std::int64_t y = 0; y < size.y; ++y)
        for (std::int64_t x = 0; x < size.x; ++x) {
          const bool isCrack = (x + y) % 5 == 0;
          d.prediction.setValueAt(x, y, z, isCrack ? 200 : 20);
          if (x < 3) d.labels.setValueAt(x, y, z, cl::kNotCrack); // hand labels stay
          else {
            ++unlabelled;
            crack += isCrack;
          }
        }
    ui::MainWindow w;
    w.session().setDataset(std::move(d));
    show(w);
    auto* panel = w.findChild<ui::TrainingDock*>()->predictionPanel();
    QCOMPARE(panel->acceptChanges(), std::make_pair(unlabelled, crack));
    QString question;
    answerNextQuestion(&question, QMessageBox::No);
    QTest::mouseClick(panel->acceptButton(), Qt::LeftButton);
    QVERIFY2(question.contains(QStringLiteral("on 6 slice")) && question.contains(QString::number(unlabelled)) &&
                 question.contains(QString::number(crack)),
             qPrintable(question));
    QVERIFY(!w.session().labelVolume()->canUndo()); // No: nothing written
    answerNextQuestion(&question, QMessageBox::Yes);
    QTest::mouseClick(panel->acceptButton(), Qt::LeftButton);
    QVERIFY(w.session().labelVolume()->canUndo());
    QVERIFY2(panel->statusLabel()->text().contains(QString::number(unlabelled)), qPrintable(panel->statusLabel()->text()));
    QCOMPARE(int(w.session().labelVolume()->at(5, 0, 2)), int(cl::kCrack));
    QCOMPARE(int(w.session().labelVolume()->at(4, 0, 2)), int(cl::kNotCrack));
  }

  void suggestionSkipsNeighboursOfLabelledAndSuggestedSlices() {
    const vol::Size3 size{32, 32, 40};
    ui::Dataset d = testdata::blank(size, vol::VoxelType::UInt8);
    // Uncertainty (p near 0.5) peaks at slice 20 and falls off with the distance from it; slice 4
    // is the most uncertain of all but carries a label.
    d.prediction = vol::Volume(size, vol::VoxelType::UInt8);
    for (std::int64_t z = 0; z < size.z; ++z) {
      const int offset = z == 4 ? 0 : int(std::min<std::int64_t>(120, 2 + 6 * std::abs(z - 20)));
      for (std::int64_t i = 0; i < size.x * size.y; ++i) d.prediction.slicePtr(z)[i] = std::uint8_t(128 + offset);
    }
    d.labels.setValueAt(5, 5, 4, cl::kCrack);
    ui::MainWindow w;
    w.session().setDataset(std::move(d));
    auto& prediction = w.findChild<ui::TrainingDock*>()->prediction();
    QSignalSpy ready(&prediction, &ui::PredictionController::suggestionReady);
    prediction.suggestNextSlice();
    QCOMPARE(ready.count(), 1);
    const auto first = ready.at(0).at(0).value<ui::SliceRanking>();
    QVERIFY(!first.empty());
    QCOMPARE(first.front().first, std::int64_t(20));
    const std::int64_t gap = ui::PredictionController::kSuggestionGap;
    for (std::size_t i = 0; i < first.size(); ++i) {
      QVERIFY2(std::abs(first[i].first - 4) > gap, "next to the labelled slice 4");
      for (std::size_t j = 0; j < i; ++j) QVERIFY2(std::abs(first[i].first - first[j].first) > gap, "neighbours");
    }
    QCOMPARE(first[1].first, 20 - gap - 1); // the best slice that is not a neighbour (ties: lower z first)
    QCOMPARE(w.cursor().position().z, std::int64_t(20));
    // Asked again without labelling: not slice 20 again, nor its neighbours.
    prediction.suggestNextSlice();
    QCOMPARE(ready.count(), 2);
    const auto second = ready.at(1).at(0).value<ui::SliceRanking>();
    QVERIFY(!second.empty());
    QVERIFY(std::abs(second.front().first - 20) > gap);
  }

  void diceSaysWhatItWasComputedOn() {
    QTemporaryDir models;
    const vol::Size3 size{64, 64, 8};
    core::phantom::PhantomOptions o = core::phantom::presetOptions(core::phantom::PhantomPreset::Simple);
    o.size = size;
    o.seed = 4;
    o.imageType = vol::VoxelType::UInt8;
    const auto ph = core::phantom::generatePhantom(o);
    ui::Dataset d;
    d.image = ph.image.clone();
    d.statistics = ui::ImageStatistics::compute(d.image);
    d.name = QStringLiteral("phantom");
    ui::MainWindow w;
    w.session().setDataset(std::move(d));
    show(w);
    // Sparse strokes on four slices: a row of 20 voxels each, the truth's class.
    std::int64_t lastSliceVoxels = 0, lastSliceCracks = 0;
    w.session().labelVolume()->edit("strokes", [&](cl::LabelEdit& e) {
      for (std::int64_t z : {1, 3, 5, 7})
        e.modifyRows(vol::Region::slab(size, z, z + 1), [&](std::int64_t y, std::int64_t zz, std::uint8_t* row) {
          if (y != 32) return;
          for (std::int64_t x = 10; x < 30; ++x) {
            const bool crack = ph.cracks.valueAt(x, y, zz) != 0;
            row[x] = crack ? cl::kCrack : cl::kNotCrack;
            if (zz == 7) {
              ++lastSliceVoxels;
              lastSliceCracks += crack;
            }
          }
        });
    });
    auto* dock = w.findChild<ui::TrainingDock*>();
    dock->training().setModelsFolder(models.path());
    ui::TrainingSettings s;
    s.baseWidth = 4;
    s.epochs = 1;
    s.batch = 2;
    s.iterationsPerEpoch = 2;
    s.crop = 32;
    s.valFraction = 0.25; // one of the four slices: the last, z = 7
    s.augment = false;
    s.device = ml::DeviceRequest::Cpu;
    dock->trainingPanel()->setSettings(s);
    QSignalSpy epochs(&dock->training(), &ui::TrainingController::epochFinished);
    QTest::mouseClick(dock->trainingPanel()->trainButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return epochs.count() >= 1; }, 90000));
    const QString text = dock->trainingPanel()->statusLabel()->text();
    const QString expected = QStringLiteral("on %1 labelled voxels (%2 crack) of 1 validation slice")
                                 .arg(lastSliceVoxels)
                                 .arg(lastSliceCracks);
    QVERIFY2(text.contains(expected), qPrintable(text + " / expected: " + expected));
    QVERIFY(waitFor([&] { return !dock->training().isRunning(); }, 60000));
  }
};

QTEST_MAIN(TestStudioFeedback)
#include "test_studio_feedback.moc"
