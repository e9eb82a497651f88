// Prediction of a lazily opened volume in the studio (issue 16, part 4), through the real window
// and its "Big volume" panel, with a chunk cache budget smaller than image plus prediction (blocks
// are evicted while it works): "Predict visible slices" draws the crack overlay in all three views
// (the XY slice exactly the Predictor's on the same slice); "Predict whole volume" writes beside
// the image an OME-Zarr equal byte for byte to `cdnet predict --type uint8` with the same model,
// refreshes the overlay while slabs complete and shows the finished prediction; an existing
// prediction is not replaced without asking; Cancel leaves neither the output nor its temporary.
// Replacing a prediction writes beside it and swaps the new one in only when complete: Cancel or a
// failure (a damaged image chunk) leaves the old prediction's files untouched and on screen.
// The slab analysis's particle labels open lazily: equal to `cdnet analyze --out-labels` on the
// whole volume, read through the small cache; a table row outlines its particle in the view.
#include "../support/RunCdnet.h"
#include "core/ml/Device.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"
#include "core/volume/lazy/ChunkCache.h"
#include "ui/MainWindow.h"
#include "ui/Studio.h"
#include "ui/controllers/LazyAnalysisController.h"
#include "ui/controllers/LazyPredictionController.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/ParticleTableModel.h"
#include "ui/controllers/PredictionController.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/panels/LazyPredictionPanel.h"
#include "ui/panels/StatisticsPanel.h"
#include "ui/views/LazyParticleOverlay.h"
#include "ui/views/ParticleOverlay.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/LazyOverlay.h"
#include "ui/views/SliceSource.h"
#include "ui/views/SliceView.h"

#include <QDir>
#include <QDirIterator>
#include <QMap>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace vol = core::volume;
namespace ml = core::ml;

namespace {

constexpr vol::Size3 kSize{96, 96, 96};

vol::Volume phantomImage() {
  core::phantom::PhantomOptions o = core::phantom::presetOptions(core::phantom::PhantomPreset::Simple);
  o.size = kSize;
  o.seed = 11;
  o.particleRadiusMin = 5;
  o.particleRadiusMax = 10;
  o.imageType = vol::VoxelType::UInt8;
  return std::move(core::phantom::generatePhantom(o).image);
}

/// Probabilities as the overlay's bytes (x 255, rounded).
vol::Volume bytesOf(const vol::Volume& p) {
  vol::Volume out(p.size(), vol::VoxelType::UInt8);
  for (std::int64_t i = 0; i < p.voxelCount(); ++i)
    out.as<std::uint8_t>()[i] = std::uint8_t(std::lround(std::clamp(p.as<float>()[i], 0.0f, 1.0f) * 255.0f));
  return out;
}

bool same(const vol::Volume& a, const vol::Volume& b) {
  return a.size() == b.size() && a.type() == b.type() && std::memcmp(a.data(), b.data(), a.bytes()) == 0;
}

/// \p view's picture once none of its blocks is loading (-1: never within 30 s).
bool settledGrab(ui::SliceView* view, QImage& image) {
  (void)view->grabFramebuffer();
  if (!QTest::qWaitFor([&] { return view->pendingBlocks() == 0; }, 30000)) return false;
  image = view->grabFramebuffer();
  return view->pendingBlocks() == 0;
}

/// Pixels that differ between \p view drawn with and without the prediction overlay, once the
/// view is loaded and the same without the overlay twice (blocks evicted by the small cache budget
/// and read again in between would differ too); -1 when it never settles.
int overlayPixels(ui::SliceView* view, ui::DisplaySettings& display) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    QImage with, without, again;
    display.setPredictionVisible(false);
    if (!settledGrab(view, without)) continue;
    display.setPredictionVisible(true);
    if (!settledGrab(view, with)) continue;
    display.setPredictionVisible(false);
    if (!settledGrab(view, again) || again != without) continue;
    display.setPredictionVisible(true);
    int n = 0;
    for (int y = 0; y < with.height(); ++y)
      for (int x = 0; x < with.width(); ++x) n += with.pixel(x, y) != without.pixel(x, y);
    return n;
  }
  display.setPredictionVisible(true);
  return -1;
}

/// Names in \p dir that are temporaries of \p name (an atomic writer's ".NAME.tmp-...").
QStringList temporariesOf(const QString& dir, const QString& name) {
  return QDir(dir).entryList({QStringLiteral(".") + name + QStringLiteral(".tmp-*")}, QDir::AllEntries | QDir::Hidden);
}

/// Every file under \p dir with its bytes (relative path -> contents).
QMap<QString, QByteArray> filesOf(const QString& dir) {
  QMap<QString, QByteArray> out;
  QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString path = it.next();
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) out.insert(QDir(dir).relativeFilePath(path), f.readAll());
  }
  return out;
}

/// Hidden entries of \p dir that mention \p name (temporaries of it, or of its temporaries).
QStringList hiddenOf(const QString& dir, const QString& name) {
  return QDir(dir).entryList({QStringLiteral(".*") + name + QStringLiteral("*")}, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

/// The rows of a CSV file (header and data, no comment lines).
QStringList csvRows(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  QStringList rows;
  for (const QString& line : QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts))
    if (!line.startsWith('#')) rows << line;
  return rows;
}

} // namespace

class TestLazyPrediction : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  vol::Volume m_image;
  QString m_imagePath, m_model;
  std::unique_ptr<ui::MainWindow> m_window;
  ui::LazyPredictionPanel* m_panel = nullptr;

  ui::LazyPredictionController& controller() { return m_panel->controller(); }
  ml::PredictOptions fp32Options() {
    ml::PredictOptions po;
    po.precision = ml::Precision::Fp32; // exact comparisons (bf16 is auto on CPUs that have it)
    // Two slices per slab: several slabs, and the overlay refreshes between them.
    po.slabBytes = std::uint64_t(kSize.x * kSize.y) * (16 + 8) * 2;
    return po;
  }

private Q_SLOTS:
  void initTestCase() {
    m_image = phantomImage();
    vol::WriteOptions o;
    o.hdf5Chunk = {16, 16, 8};
    o.pyramidLevels = 2;
    m_imagePath = m_dir.filePath(QStringLiteral("sample.zarr"));
    vol::writeVolume(m_image, m_imagePath.toStdString(), o);
    m_model = m_dir.filePath(QStringLiteral("tiny.pt"));
    ml::Model::create(ml::ModelOptions::paper(4), ml::resolveDevice(ml::DeviceRequest::Cpu, 1), 5).saveCheckpoint(m_model.toStdString());

    m_window = std::make_unique<ui::MainWindow>();
    m_window->setErrorDialogsEnabled(false);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // Smaller than image and prediction together (2 x 864 KiB), large enough for one view's
    // image and overlay blocks: blocks are evicted while it works.
    m_window->studio().chunkCache()->setBudget(384 << 10);
    m_window->lazyBrowser()->open(m_imagePath.toStdString());
    m_window->display().setPredictionThreshold(1); // an untrained network's probabilities show
    m_panel = m_window->findChild<ui::LazyPredictionPanel*>();
    QVERIFY(m_panel);
    QVERIFY(!m_panel->predictVisibleButton()->isEnabled()); // no model yet
    QVERIFY(m_window->studio().prediction().loadModel(m_model));
    m_window->studio().prediction().setPredictOptions(fp32Options());
    QVERIFY(m_panel->predictVisibleButton()->isEnabled());
    QCOMPARE(controller().defaultTarget(), m_dir.filePath(QStringLiteral("sample-prediction.zarr")));
  }

  void cleanupTestCase() { m_window.reset(); }

  void visibleSlicesShowTheOverlay() {
    const vol::Index3 at{21, 30, 13};
    m_window->cursor().setPosition(at);
    for (auto o : {ui::SliceOrientation::XY, ui::SliceOrientation::XZ, ui::SliceOrientation::YZ})
      QCOMPARE(overlayPixels(m_window->sliceView(o), m_window->display()), 0);
    QSignalSpy finished(&controller(), &ui::LazyPredictionController::finished);
    QTest::mouseClick(m_panel->predictVisibleButton(), Qt::LeftButton);
    QVERIFY(controller().isRunning());
    QVERIFY2(finished.wait(120000), qPrintable(m_panel->statusLabel()->text()));
    QCOMPARE(finished.first().first().toBool(), false);
    const auto& overlay = m_window->lazyBrowser()->overlay();
    QCOMPARE(overlay->predictedSlice(vol::Orientation::XY), at.z);
    QCOMPARE(overlay->predictedSlice(vol::Orientation::XZ), at.y);
    QCOMPARE(overlay->predictedSlice(vol::Orientation::YZ), at.x);
    // Every view shows crack overlay pixels once its blocks are in.
    for (auto o : {ui::SliceOrientation::XY, ui::SliceOrientation::XZ, ui::SliceOrientation::YZ}) {
      ui::SliceView* v = m_window->sliceView(o);
      QVERIFY2(QTest::qWaitFor([&] { return v->pendingBlocks() == 0 && overlayPixels(v, m_window->display()) > 100; }, 30000),
               ui::orientationName(o).toUtf8().constData());
    }
    // The XY overlay is the Predictor's probability of that slice, read at full resolution.
    ml::Predictor reference(ml::Model::load(m_model.toStdString()), fp32Options());
    const vol::Volume expected = bytesOf(reference.predict(m_image, at.z, at.z + 1));
    ui::LazySliceSource* source = m_window->lazyBrowser()->sources()[0].get();
    ui::SliceTransform view;
    view.width = int(kSize.x);
    view.height = int(kSize.y);
    view.scale = m_image.spacing().x;
    view.centreU = double(kSize.x) / 2 * m_image.spacing().x;
    view.centreV = double(kSize.y) / 2 * m_image.spacing().y;
    QVERIFY(QTest::qWaitFor(
        [&] {
          const ui::SlicePicture p = source->picture(ui::SliceOrientation::XY, at.z, view);
          return p.level == 0 && p.prediction && p.offsetU == 0 && p.offsetV == 0 && same(*p.prediction, expected);
        },
        30000));
  }

  void wholeVolumeEqualsCdnetPredict() {
    const QString target = controller().defaultTarget();
    QSignalSpy written(&controller(), &ui::LazyPredictionController::written);
    QTest::mouseClick(m_panel->predictVolumeButton(), Qt::LeftButton);
    QVERIFY(controller().isRunning());
    QVERIFY(m_panel->cancelButton()->isEnabled());
    QVERIFY2(written.wait(180000), qPrintable(m_panel->statusLabel()->text()));
    QCOMPARE(written.first().first().toString(), target);
    QVERIFY(controller().partialRefreshes() >= 1); // the overlay showed chunk layers as they finished
    QVERIFY(temporariesOf(m_dir.path(), QFileInfo(target).fileName()).isEmpty());
    QVERIFY(m_panel->statusLabel()->text().contains(target));

    // Same grid, chunks and levels as the image; equal to the command line's prediction.
    const auto levels = vol::resolutionLevels(target.toStdString());
    QCOMPARE(levels.size(), std::size_t(2));
    QCOMPARE(levels[0].size, kSize);
    QVERIFY(levels[0].type == vol::VoxelType::UInt8);
    const QString cli = m_dir.filePath(QStringLiteral("cli.zarr"));
    const auto r = testsupport::runCdnet({"predict", "--model", m_model, "--input", m_imagePath, "--out", cli, "--type",
                                          "uint8", "--precision", "fp32", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const vol::Volume mine = vol::readVolume(target.toStdString()), theirs = vol::readVolume(cli.toStdString());
    QVERIFY(same(mine, theirs));
    std::int64_t cracks = 0;
    for (std::int64_t i = 0; i < mine.voxelCount(); ++i) cracks += mine.as<std::uint8_t>()[i] > 0;
    QVERIFY(cracks > mine.voxelCount() / 10); // not an empty file that equals another empty file

    // The overlay now reads the finished prediction (every level), the XZ view shows it.
    const auto& overlay = m_window->lazyBrowser()->overlay();
    QVERIFY(overlay->volume());
    QCOMPARE(overlay->completeSlices(), std::int64_t(-1));
    QCOMPARE(QFileInfo(QString::fromStdString(overlay->volume()->path())), QFileInfo(target));
    ui::SliceView* xz = m_window->sliceView(ui::SliceOrientation::XZ);
    m_window->cursor().setPosition({5, 7, 3}); // a slice "Predict visible slices" did not predict
    QVERIFY(QTest::qWaitFor([&] { return xz->pendingBlocks() == 0 && overlayPixels(xz, m_window->display()) > 100; }, 30000));
    QVERIFY(m_window->studio().chunkCache()->stats().evictions > 0); // the budget was too small to keep it all

    // Asked before replacing: "No" leaves it alone.
    const QDateTime before = QFileInfo(target + QStringLiteral("/.zattrs")).lastModified();
    QSignalSpy started(&controller(), &ui::LazyPredictionController::started);
    m_panel->setReplaceAnswer(QMessageBox::No);
    QTest::mouseClick(m_panel->predictVolumeButton(), Qt::LeftButton);
    QCOMPARE(started.count(), 0);
    QVERIFY(!controller().isRunning());
    QCOMPARE(QFileInfo(target + QStringLiteral("/.zattrs")).lastModified(), before);
    // Without the panel's question the controller refuses too.
    QSignalSpy failed(&controller(), &ui::LazyPredictionController::failed);
    QVERIFY(!controller().predictWholeVolume(target));
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.first().first().toString().contains(target));
    QVERIFY(same(vol::readVolume(target.toStdString()), theirs));
  }

  void analysisRunsSlabBySlabLikeTheCommandLine() {
    const QString prediction = controller().defaultTarget();
    QVERIFY(QFileInfo::exists(prediction));
    auto* analysis = m_window->findChild<ui::LazyAnalysisController*>();
    QVERIFY(analysis);
    analysis->setSlabSlices(16); // 6 slabs of the 96 slices, each read with 36 slices of halo
    analysis->setHalo(36);
    m_window->display().setPredictionThreshold(250); // few cracks from the untrained network: whole particles
    // Segmentation step 3b off on both sides: on this sparse phantom it leaves a particle whose
    // nearest neighbour lies beyond the 36-slice halo (a clear error, not what this test is about).
    auto options = m_window->statisticsPanel()->options();
    options.segmentation.contactRatio = 0;
    m_window->statisticsPanel()->setOptions(options);
    QSignalSpy completed(analysis, &ui::LazyAnalysisController::completed);
    QSignalSpy failed(analysis, &ui::LazyAnalysisController::failed);
    QVERIFY(m_panel->analyseButton()->isEnabled());
    QTest::mouseClick(m_panel->analyseButton(), Qt::LeftButton);
    QVERIFY(analysis->isRunning());
    QVERIFY(QTest::qWaitFor([&] { return completed.count() + failed.count() > 0; }, 180000));
    QVERIFY2(completed.count() == 1, qPrintable(m_panel->statusLabel()->text()));
    QCOMPARE(analysis->slabs(), std::int64_t(6));
    const QString csv = completed.first().at(1).toString();
    QCOMPARE(csv, m_dir.filePath(QStringLiteral("sample-particles.csv")));
    // The rows of `cdnet analyze --memory-limit` with the same slabs: a limit of 88 slices of 64
    // bytes per voxel holds 16 slices and twice the halo (as test_analyze_slabs: simple phantom,
    // radius 5-10, halo 36; sparser particles have neighbours beyond the halo).
    const QString cli = m_dir.filePath(QStringLiteral("cli-particles.csv"));
    const qint64 limit = 88 * kSize.x * kSize.y * 64;
    const auto r = testsupport::runCdnet({"analyze", "--image", m_imagePath, "--cracks", prediction, "--threshold", "250",
                                          "--halo", "36", "--contact-ratio", "0", "--memory-limit", QString::number(limit), "--out-csv", cli});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("analysing 6 slabs of 16 slices")), qPrintable(r.out));
    const QStringList theirs = csvRows(cli);
    QVERIFY(theirs.size() > 3); // a header and some particles
    QCOMPARE(csvRows(csv), theirs);
    // The Statistics panel's table shows them.
    QCOMPARE(m_window->studio().particleTable().rowCount(), int(theirs.size() - 1));
    m_window->display().setPredictionThreshold(1);
  }

  void analysisLabelsShowLazilyAndFollowTheTable() {
    // The labels the slab analysis above wrote beside the image, opened lazily as a layer.
    const QString labels = m_dir.filePath(QStringLiteral("sample-particles.zarr"));
    auto* analysis = m_window->findChild<ui::LazyAnalysisController*>();
    QVERIFY(analysis && analysis->labelsOverlay());
    const auto lazy = analysis->labelsOverlay()->volume();
    QVERIFY(lazy);
    QCOMPARE(QFileInfo(QString::fromStdString(lazy->path())), QFileInfo(labels));
    QVERIFY(lazy->levelInfo(0).type == vol::VoxelType::UInt32);
    QCOMPARE(lazy->blockShape(0), (vol::Size3{16, 16, 8})); // the image's chunk grid
    QVERIFY2(m_panel->statusLabel()->text().contains(labels), qPrintable(m_panel->statusLabel()->text()));
    // Voxel for voxel the labels of `cdnet analyze` on the whole volume at once (ids too), read
    // through the studio's cache (smaller than the labels: blocks are evicted).
    const QString dense = m_dir.filePath(QStringLiteral("dense-labels.nrrd"));
    const auto r = testsupport::runCdnet({"analyze", "--image", m_imagePath, "--cracks", controller().defaultTarget(),
                                          "--threshold", "250", "--contact-ratio", "0", "--out-labels", dense, "--out-csv",
                                          m_dir.filePath(QStringLiteral("dense.csv"))});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const vol::Volume expected = vol::readVolume(dense.toStdString());
    const std::uint64_t evictionsBefore = m_window->studio().chunkCache()->stats().evictions;
    std::int64_t differ = 0, inParticles = 0;
    for (std::int64_t z0 = 0; z0 < kSize.z; z0 += 8) {
      const vol::Volume got = lazy->read(0, vol::Region::slab(kSize, z0, z0 + 8));
      for (std::int64_t i = 0; i < got.voxelCount(); ++i) {
        const std::uint32_t a = got.as<std::uint32_t>()[i], b = expected.as<std::uint32_t>()[z0 * kSize.x * kSize.y + i];
        differ += a != b;
        inParticles += a != 0;
      }
    }
    QCOMPARE(differ, std::int64_t(0));
    QVERIFY(inParticles > kSize.count() / 10);
    QVERIFY(m_window->studio().chunkCache()->stats().evictions > evictionsBefore);
    // A row of the table selects its particle: the cursor goes to its centroid, the XY view
    // outlines it in the dense overlay's colour.
    auto* statistics = m_window->findChild<ui::StatisticsPanel*>();
    QVERIFY(statistics);
    const auto& table = m_window->studio().particles().table();
    const std::int64_t row = table.rowCount() / 2;
    const auto id = std::uint32_t(table.value(row, table.indexOf("id")));
    statistics->selectParticle(id);
    QCOMPARE(m_window->studio().particles().selected(), id);
    const vol::Index3 at = m_window->cursor().position();
    QCOMPARE(at.z, std::int64_t(std::lround(table.value(row, table.indexOf("centroid_z")) / m_image.spacing().z)));
    ui::SliceView* xy = m_window->sliceView(ui::SliceOrientation::XY);
    auto outlined = [&] {
      const QImage img = xy->grabFramebuffer();
      int n = 0;
      for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) n += (img.pixel(x, y) & 0xffffff) == ui::ParticleOverlay::kOutlineRgb;
      return n;
    };
    QVERIFY2(QTest::qWaitFor([&] { return outlined() > 20; }, 30000), qPrintable(QString::number(outlined())));
    // The Statistics panel's overlay mode applies: Off hides the lazy labels too.
    m_window->studio().particles().setSelected(0);
    QVERIFY(QTest::qWaitFor([&] { return outlined() == 0; }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return xy->pendingBlocks() == 0; }, 30000));
    const QImage tinted = xy->grabFramebuffer();
    statistics->overlay().setMode(ui::ParticleOverlay::Mode::Off);
    QVERIFY(QTest::qWaitFor([&] { return xy->pendingBlocks() == 0 && xy->grabFramebuffer() != tinted; }, 10000));
  }

  void replacingThenCancellingKeepsThePrevious() {
    const QString target = controller().defaultTarget();
    const QString name = QFileInfo(target).fileName();
    const QMap<QString, QByteArray> before = filesOf(target);
    QVERIFY(before.size() > 10); // .zattrs, .zarray and chunks of two levels
    const auto& overlay = m_window->lazyBrowser()->overlay();
    QCOMPARE(QFileInfo(QString::fromStdString(overlay->volume()->path())), QFileInfo(target));
    ml::PredictOptions slow = fp32Options();
    slow.tta = true; // 8x the work: Cancel comes while slabs remain
    slow.slabBytes /= 2;
    m_window->studio().prediction().setPredictOptions(slow);
    m_panel->setReplaceAnswer(QMessageBox::Yes);
    QSignalSpy finished(&controller(), &ui::LazyPredictionController::finished);
    QTest::mouseClick(m_panel->predictVolumeButton(), Qt::LeftButton);
    QVERIFY(controller().isRunning());
    // The new chunks are written beside the old prediction, which is still all there.
    QVERIFY(QTest::qWaitFor([&] { return controller().partialRefreshes() >= 1 || !controller().isRunning(); }, 120000));
    QVERIFY(controller().isRunning());
    QVERIFY(!temporariesOf(m_dir.path(), name).isEmpty());
    QVERIFY(overlay->completeSlices() > 0); // the overlay shows the new chunk layers meanwhile
    QVERIFY(filesOf(target) == before);
    QTest::mouseClick(m_panel->cancelButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(filesOf(target) == before);
    QVERIFY2(hiddenOf(m_dir.path(), name).isEmpty(), qPrintable(hiddenOf(m_dir.path(), name).join(' ')));
    // The overlay shows the old prediction again, whole, and the views draw it.
    QVERIFY(overlay->volume());
    QCOMPARE(overlay->completeSlices(), std::int64_t(-1));
    QCOMPARE(QFileInfo(QString::fromStdString(overlay->volume()->path())), QFileInfo(target));
    ui::SliceView* xy = m_window->sliceView(ui::SliceOrientation::XY);
    m_window->cursor().setPosition({40, 50, 90}); // beyond the chunk layers the cancelled run wrote
    QVERIFY(QTest::qWaitFor([&] { return xy->pendingBlocks() == 0 && overlayPixels(xy, m_window->display()) > 100; }, 30000));
    QVERIFY(m_panel->statusLabel()->text().contains(target));
    m_window->studio().prediction().setPredictOptions(fp32Options());
  }

  void replacingThenFailingKeepsThePrevious() {
    const QString target = controller().defaultTarget();
    const QString name = QFileInfo(target).fileName();
    const QMap<QString, QByteArray> before = filesOf(target);
    // A damaged chunk of the image in the middle: the prediction fails part way.
    const QString chunk = m_imagePath + QStringLiteral("/0/6/2/3"); // chunks L/cz/cy/cx
    QVERIFY(QFileInfo(chunk).isFile());
    QFile f(chunk);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    f.close();
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("this is not a compressed chunk");
    f.close();
    m_panel->setReplaceAnswer(QMessageBox::Yes);
    QSignalSpy failed(&controller(), &ui::LazyPredictionController::failed);
    QTest::mouseClick(m_panel->predictVolumeButton(), Qt::LeftButton);
    const bool started = controller().isRunning();
    const bool ended = QTest::qWaitFor([&] { return !controller().isRunning(); }, 120000);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(good);
    f.close();
    QVERIFY(started && ended);
    QCOMPARE(failed.count(), 1);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("0/6/2/3")) && message.contains(target), qPrintable(message));
    QVERIFY(filesOf(target) == before);
    QVERIFY2(hiddenOf(m_dir.path(), name).isEmpty(), qPrintable(hiddenOf(m_dir.path(), name).join(' ')));
    const auto& overlay = m_window->lazyBrowser()->overlay();
    QVERIFY(overlay->volume());
    QCOMPARE(overlay->completeSlices(), std::int64_t(-1));
    QCOMPARE(QFileInfo(QString::fromStdString(overlay->volume()->path())), QFileInfo(target));
  }

  void cancelLeavesNoPrediction() {
    const QString target = controller().defaultTarget();
    QVERIFY(QDir(target).removeRecursively());
    ml::PredictOptions slow = fp32Options();
    slow.tta = true; // 8x the work: Cancel comes while slabs remain
    slow.slabBytes /= 2;
    m_window->studio().prediction().setPredictOptions(slow);
    QSignalSpy finished(&controller(), &ui::LazyPredictionController::finished);
    QTest::mouseClick(m_panel->predictVolumeButton(), Qt::LeftButton);
    QVERIFY(controller().isRunning());
    // Chunks are on disk (in the writer's temporary) and the overlay shows them.
    QVERIFY(QTest::qWaitFor([&] { return controller().partialRefreshes() >= 1 || !controller().isRunning(); }, 120000));
    QVERIFY(controller().isRunning());
    QVERIFY(!temporariesOf(m_dir.path(), QFileInfo(target).fileName()).isEmpty());
    QVERIFY(m_window->lazyBrowser()->overlay()->completeSlices() > 0);
    QTest::mouseClick(m_panel->cancelButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(!QFileInfo::exists(target));
    QVERIFY(temporariesOf(m_dir.path(), QFileInfo(target).fileName()).isEmpty());
    QVERIFY(!m_window->lazyBrowser()->overlay()->volume()); // the partial overlay went with it
    QVERIFY(m_panel->predictVolumeButton()->isEnabled());
    m_window->studio().prediction().setPredictOptions(fp32Options());
  }
};

QTEST_MAIN(TestLazyPrediction)
#include "test_lazy_prediction.moc"
