// The studio's composition root without a window (no widgets, no display): a Studio creates its
// models, controllers and workers, and they all work on the one Session it owns. The cursor
// follows the session's bounds, the training controller counts the slices labelled in it, the
// prediction controller writes into its prediction layer, the analysis of its image lands in the
// Studio's particle layer and table model, and destroying the Studio stops a running training.
#include "core/analysis/Analysis.h"
#include "core/labels/LabelEdit.h"
#include "core/ml/Device.h"
#include "core/ml/Model.h"
#include "core/phantom/Phantom.h"
#include "ui/Studio.h"
#include "ui/controllers/AnalysisController.h"
#include "ui/controllers/PredictionController.h"
#include "ui/controllers/TrainingController.h"
#include "ui/io/LoadController.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CursorModel.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/ParticleTableModel.h"
#include "ui/model/Session.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace core;

namespace {

constexpr volume::Size3 kSize{48, 48, 16};

phantom::Phantom makePhantom() {
  phantom::PhantomOptions o = phantom::presetOptions(phantom::PhantomPreset::Simple);
  o.size = kSize;
  o.seed = 5;
  o.particleRadiusMin = 6;
  o.particleRadiusMax = 12;
  o.imageType = volume::VoxelType::UInt8;
  return phantom::generatePhantom(o);
}

void open(ui::Studio& studio, const volume::Volume& image) {
  ui::Dataset d;
  d.image = image.clone();
  d.name = QStringLiteral("phantom");
  d.description = QStringLiteral("test phantom");
  studio.session().setDataset(std::move(d));
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

} // namespace

class TestStudioRoot : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void controllersWorkOnTheStudiosOneSession() {
    const phantom::Phantom ph = makePhantom();
    ui::Studio studio;
    QCOMPARE(studio.training().sliceCounts().total(), 0);
    open(studio, ph.image);
    // The cursor learned the bounds of the session's dataset: centred, and clamped inside.
    QCOMPARE(studio.cursor().position(), (volume::Index3{kSize.x / 2, kSize.y / 2, kSize.z / 2}));
    studio.cursor().setPosition({1000, 1000, 1000});
    QCOMPARE(studio.cursor().position(), (volume::Index3{kSize.x - 1, kSize.y - 1, kSize.z - 1}));
    // The training controller counts the slices labelled in the Studio's session.
    labelFromTruth(studio.session(), ph.cracks, {2, 9});
    QCOMPARE(studio.training().sliceCounts().annotated, 2);
    // The prediction controller predicts the Studio's image into the Studio's prediction layer.
    QVERIFY(!studio.session().prediction());
    studio.prediction().setModel(
        ml::Model::create(ml::ModelOptions::paper(4), ml::resolveDevice(ml::DeviceRequest::Cpu, 1), 3));
    QSignalSpy finished(&studio.prediction(), &ui::PredictionController::finished);
    QVERIFY(studio.prediction().predictSlice(5));
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toBool(), false);
    const volume::Volume* p = studio.session().prediction();
    QVERIFY(p);
    QCOMPARE(p->size(), kSize);
    QVERIFY(studio.prediction().predictedSlices()[5]);
    QVERIFY(!studio.prediction().predictedSlices()[4]);
  }

  void analysisOfTheSessionFillsTheStudiosParticleLayerAndTable() {
    const phantom::Phantom ph = makePhantom();
    ui::Studio studio;
    open(studio, ph.image);
    analysis::AnalysisOptions options;
    options.segmentation.minVolume = 20;
    QSignalSpy completed(&studio.analysis(), &ui::AnalysisController::completed);
    QVERIFY(studio.analysis().run(options, ui::CrackSource::None));
    QVERIFY(completed.wait(60000));
    // The same analysis run directly on the phantom's image: the controller analysed the session.
    const analysis::AnalysisResult direct = analysis::analyzeVolume(ph.image, volume::Volume(), options);
    const auto rows = std::int64_t(direct.particles.rowCount());
    QVERIFY(rows > 0);
    QCOMPARE(completed.first().first().toInt(), int(rows));
    QCOMPARE(std::int64_t(studio.particles().table().rowCount()), rows);
    QCOMPARE(studio.particles().labels().size(), kSize);
    QCOMPARE(std::int64_t(studio.particleTable().rowCount()), rows);
    // A new dataset in the session clears the Studio's layer and its table.
    open(studio, ph.image);
    QVERIFY(studio.particles().isEmpty());
    QCOMPARE(studio.particleTable().rowCount(), 0);
  }

  void destroyingTheStudioStopsARunningTraining() {
    const phantom::Phantom ph = makePhantom();
    QTemporaryDir models;
    QVERIFY(models.isValid());
    auto studio = std::make_unique<ui::Studio>();
    open(*studio, ph.image);
    labelFromTruth(studio->session(), ph.cracks, {2, 9, 13});
    studio->training().setModelsFolder(models.path());
    ui::TrainingSettings s;
    s.baseWidth = 4;
    s.epochs = 1000; // far longer than the test: only the destructor ends it
    s.batch = 1;
    s.crop = 32;
    s.device = ml::DeviceRequest::Cpu;
    QSignalSpy state(&studio->training(), &ui::TrainingController::stateChanged);
    QVERIFY(studio->training().start(s));
    QVERIFY(studio->training().isRunning());
    QElapsedTimer t;
    t.start();
    studio.reset(); // the controller stops and joins its worker before the session goes
    QVERIFY2(t.elapsed() < 30000, qPrintable(QString::number(t.elapsed())));
  }
};

QTEST_GUILESS_MAIN(TestStudioRoot)
#include "test_studio_root.moc"
