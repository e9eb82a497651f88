// Labels on a volume opened lazily, in the real window under Xvfb (issue 16): a brush stroke drawn
// with the mouse paints the sparse labels (only the chunks it touches exist) and shows in the slice
// view; Undo/Redo through the Edit actions restore voxels and pixels; Ctrl+Alt+S writes only those
// chunks, a second save after painting another slice only that slice's; closing saves what is
// unsaved; reopening shows the same labels, read lazily; a damaged label chunk is a status-bar message naming the file, no crash, and
// saving never rewrites it.
#include "app/studio/bench/SparseLabelBenchmark.h"
#include "core/labels/SparseLabelStore.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/Studio.h"
#include "ui/controllers/TrainingController.h"
#include "ui/controllers/TrainingSnapshot.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/model/SparseLabelLayer.h"
#include "ui/tools/LabelActions.h"
#include "ui/tools/LabelEditor.h"
#include "ui/tools/ToolSettings.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/SliceSource.h"
#include "ui/views/SliceView.h"

#include <QAction>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace cl = core::labels;
namespace vol = core::volume;
namespace fs = std::filesystem;

namespace {

const vol::Size3 kSize{64, 64, 24};

std::vector<std::string> chunkFiles(const std::string& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') out.push_back(e.path().string());
  return out;
}

ino_t inodeOf(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_ino;
}

bool isCrackPixel(const QColor& c) { return c.red() > 100 && c.green() < 40 && c.blue() < 40; }
bool isBlack(const QColor& c) { return c.red() < 10 && c.green() < 10 && c.blue() < 10; }

struct Fixture {
  ui::MainWindow w;
  ui::SliceView* xy;
  explicit Fixture(const std::string& path, const std::function<void(ui::MainWindow&)>& beforeOpen = {}) {
    w.setErrorDialogsEnabled(false);
    if (beforeOpen) beforeOpen(w);
    w.resize(1000, 760);
    w.show();
    xy = w.sliceView(ui::SliceOrientation::XY);
    if (!QTest::qWaitForWindowExposed(&w)) qFatal("window not exposed");
    w.activateWindow();
    QApplication::setActiveWindow(&w);
    if (!QTest::qWaitForWindowActive(&w)) qWarning("window not active");
    w.lazyBrowser()->open(path);
    w.display().setCrosshairVisible(false);
    w.display().setRange(0, 1000);
    w.cursor().setPosition({32, 32, 5});
    waitLoaded();
  }
  void waitLoaded() {
    (void)xy->grabFramebuffer();
    if (!QTest::qWaitFor([&] { return w.lazyBrowser()->pendingBlocks() == 0; }, 30000)) qFatal("blocks did not load");
  }
  ui::SparseLabelLayer& layer() { return w.lazyBrowser()->labels(); }
  cl::SparseLabels& labels() { return *layer().labels(); }
  ui::LabelEditor& editor() { return w.labelEditor(); }
  QPoint at(int x, int y) { return xy->widgetPosition({x, y, w.cursor().position().z}).toPoint(); }
  QColor pixel(int x, int y) {
    waitLoaded();
    const QImage img = xy->grabFramebuffer();
    const QPointF p = xy->widgetPosition({x, y, w.cursor().position().z}) * xy->devicePixelRatioF();
    return img.pixelColor(int(p.x()), int(p.y()));
  }
  void stroke(int y, int x0, int x1) {
    QTest::mousePress(xy, Qt::LeftButton, {}, at(x0, y));
    for (int x = x0 + 4; x < x1; x += 4) QTest::mouseMove(xy, at(x, y));
    QTest::mouseMove(xy, at(x1, y));
    QTest::mouseRelease(xy, Qt::LeftButton, {}, at(x1, y));
  }
};

} // namespace

class TestStudioSparseLabels : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string m_image, m_labels;

private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_studio_sparse_labels");
    vol::Volume image(kSize, vol::VoxelType::UInt16); // black: labels show in their colours
    vol::WriteOptions o;
    o.hdf5Chunk = {16, 16, 8};
    o.pyramidLevels = 2;
    m_image = m_dir.filePath("big.zarr").toStdString();
    vol::writeVolume(image, m_image, o);
    m_labels = cl::sparseLabelPath(m_image);
  }

  void paintUndoSaveReopen() {
    std::vector<std::string> firstFiles;
    std::map<std::string, ino_t> inodes;
    {
      Fixture f(m_image);
      QVERIFY(f.layer().isOpen());
      QCOMPARE(f.labels().chunkShape(), (vol::Size3{16, 16, 8}));
      f.editor().settings().setTool(ui::ToolKind::Brush);
      f.editor().settings().setSize(3);
      f.stroke(20, 10, 40);
      // Voxels: the stroke on slice 5 only; chunks only where it went (x 8..42, y 18..22, z 5).
      for (int x = 10; x <= 40; ++x) QCOMPARE(int(f.labels().at(x, 20, 5)), int(cl::kCrack));
      QCOMPARE(int(f.labels().at(25, 20, 4)), 0);
      QCOMPARE(int(f.labels().at(25, 26, 5)), 0);
      QCOMPARE(f.labels().chunkCount(), std::size_t(3)); // kx 0..2 of chunk row ky 1, layer kz 0
      for (std::int64_t kx = 0; kx < 3; ++kx) QVERIFY(f.labels().hasChunk({kx, 1, 0}));
      // Pixels: the overlay from the sparse labels.
      QVERIFY2(isCrackPixel(f.pixel(25, 20)), qPrintable(f.pixel(25, 20).name()));
      QVERIFY(isBlack(f.pixel(25, 40)));
      // Undo / redo through the Edit actions.
      QAction* undo = f.editor().actions().undo();
      QAction* redo = f.editor().actions().redo();
      QVERIFY2(undo->isEnabled() && undo->text().contains("Paint stroke"), qPrintable(undo->text()));
      undo->trigger();
      QCOMPARE(int(f.labels().at(25, 20, 5)), 0);
      QVERIFY(isBlack(f.pixel(25, 20)));
      QVERIFY(redo->isEnabled());
      redo->trigger();
      QCOMPARE(int(f.labels().at(25, 20, 5)), int(cl::kCrack));
      QVERIFY(isCrackPixel(f.pixel(25, 20)));
      // Save with the keyboard: only the three chunks.
      f.xy->setFocus();
      QTest::keyClick(f.xy, Qt::Key_S, Qt::ControlModifier | Qt::AltModifier);
      firstFiles = chunkFiles(m_labels);
      QCOMPARE(firstFiles.size(), std::size_t(3));
      QVERIFY2(f.w.statusBar()->currentMessage().contains("3 chunk(s) written"), qPrintable(f.w.statusBar()->currentMessage()));
      for (const auto& p : firstFiles) inodes[p] = inodeOf(p);
      QVERIFY(!f.labels().isModified());
      // Another slice in another chunk layer (z = 20: kz 2): the second save writes only its chunk.
      f.w.cursor().setPosition({32, 32, 20});
      f.stroke(50, 50, 56); // x 48..58, y 48..52: chunks kx 3, ky 3
      QCOMPARE(int(f.labels().at(52, 50, 20)), int(cl::kCrack));
      f.layer().saveAction()->trigger();
      QVERIFY2(f.w.statusBar()->currentMessage().contains("1 chunk(s) written"), qPrintable(f.w.statusBar()->currentMessage()));
      QCOMPARE(chunkFiles(m_labels).size(), std::size_t(4));
      QVERIFY(fs::exists(m_labels + "/2/3/3"));
      for (const auto& [p, ino] : inodes) QCOMPARE(inodeOf(p), ino); // the first chunks were not rewritten
      // Painted and not saved: closing the window saves it (only that chunk).
      f.stroke(40, 50, 56);
      QVERIFY(f.labels().isModified());
    }
    QCOMPARE(chunkFiles(m_labels).size(), std::size_t(5));
    for (const auto& [p, ino] : inodes) QCOMPARE(inodeOf(p), ino);
    // Reopen: the same labels, read when shown.
    Fixture f(m_image);
    QCOMPARE(f.labels().chunkCount(), std::size_t(5));
    QVERIFY(f.labels().chunksInMemory() <= std::size_t(3)); // slice 5 drawn: the z = 20 chunk not read
    QCOMPARE(int(f.labels().at(25, 20, 5)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(52, 50, 20)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(52, 40, 20)), int(cl::kCrack));
    QVERIFY(isCrackPixel(f.pixel(25, 20)));
    QVERIFY(!f.editor().actions().undo()->isEnabled());
    // Training counts (and would snapshot) the lazy volume's labelled slices.
    QCOMPARE(f.w.studio().training().sliceCounts().partial, 2);
  }

  void trainingSnapshotReadsOnlyTheLabelledSlices() {
    // The labels saved above: strokes on slices 5 (chunk layer 0) and 20 (layer 2).
    auto cache = std::make_shared<vol::ChunkCache>(std::uint64_t(64) << 20);
    std::shared_ptr<vol::LazyVolume> image(vol::LazyVolume::open(m_image, cache, {}));
    auto labels = cl::openSparseLabels(m_labels, image->levelInfo(0), image->blockShape(0));
    const ui::TrainingSnapshot snap = ui::TrainingSnapshot::takeLazy(*image, *labels);
    QCOMPARE(snap.slices, (std::vector<std::int64_t>{5, 20}));
    QCOMPARE(snap.data.slices.size(), std::size_t(2));
    for (std::size_t i = 0; i < 2; ++i) {
      const auto& l = snap.data.slices[i].labels;
      const vol::Volume expected = labels->read({{0, 0, snap.slices[i]}, {kSize.x, kSize.y, 1}});
      QVERIFY(std::equal(l.begin(), l.end(), expected.as<std::uint8_t>()));
      QVERIFY(std::count(l.begin(), l.end(), cl::kCrack) > 20);
    }
    // Only the blocks of those two chunk layers were read (16 each), not layer 1.
    const vol::Size3 blocks = image->blockCount(0);
    QCOMPARE(cache->stats().blocks, std::uint64_t(2 * blocks.x * blocks.y));
    QVERIFY(cache->stats().blocks < std::uint64_t(blocks.count()));
  }

  void benchmarkMeasurementSavesOnlyTheTouchedChunks() {
    // The function --bench-bigvolume calls, on a copy of the image without labels.
    QTemporaryDir dir;
    const std::string copy = dir.filePath("copy.zarr").toStdString();
    fs::copy(m_image, copy, fs::copy_options::recursive);
    const std::string saveDir = dir.filePath("saved.labels.zarr").toStdString();
    Fixture f(copy);
    const ui::SparseStrokeMeasurement m = ui::measureSparseStrokes(f.w, 2, 3, saveDir);
    qInfo("dab %.2f ms, frame %.2f ms, ratio %.2f; %zu of %zu chunks written, %llu bytes", m.dabMedianMs, m.frameMedianMs,
          m.strokeRatio, m.chunksWritten, m.chunksInGrid, static_cast<unsigned long long>(m.bytesWritten));
    QCOMPARE(m.dabs, 2 * 3 * 40);
    QVERIFY(m.chunksTouched > 0 && m.chunksTouched < m.chunksInGrid);
    QCOMPARE(m.chunksWritten, m.chunksTouched);
    QCOMPARE(chunkFiles(saveDir).size(), m.chunksTouched);
    std::uint64_t bytes = 0;
    for (const auto& e : fs::recursive_directory_iterator(saveDir))
      if (e.is_regular_file()) bytes += fs::file_size(e.path());
    QCOMPARE(m.bytesWritten, bytes);
    QVERIFY(m.dabMedianMs > 0 && m.frameMedianMs > 0);
    QVERIFY(!fs::exists(cl::sparseLabelPath(copy))); // saved where asked, not next to the image
  }

  void coarseLevelsShowTheLabelsDownsampled() {
    QTemporaryDir dir;
    auto cache = std::make_shared<vol::ChunkCache>(std::uint64_t(64) << 20);
    std::shared_ptr<vol::LazyVolume> image(vol::LazyVolume::open(m_image, cache, {}));
    ui::SparseLabelLayer layer;
    layer.open(image, dir.filePath("l.labels.zarr").toStdString());
    layer.labels()->edit(vol::Region::slab(kSize, 10, 12), cl::stepname::kPolygonFill,
                         [](cl::LabelEdit& e, const cl::SparseLabels::Window&) { e.fill({{16, 16, 0}, {16, 16, 2}}, cl::kCrack); });
    ui::LazySliceSource source(image);
    source.setLabels(&layer);
    ui::SliceTransform view; // 2.5 voxels per pixel: level 1, the whole slice
    view.width = view.height = 40;
    view.scale = 2.5;
    view.centreU = view.centreV = 32;
    ui::SlicePicture p = source.picture(ui::SliceOrientation::XY, 10, view);
    QVERIFY(QTest::qWaitFor([&] {
      p = source.picture(ui::SliceOrientation::XY, 10, view);
      return source.pendingBlocks() == 0 && p.level == 1;
    }, 30000));
    QVERIFY(p.labels && p.image);
    QCOMPARE(p.labels->size(), p.image->size());
    const auto* l = p.labels->as<std::uint8_t>();
    QCOMPARE(std::count(l, l + p.labels->voxelCount(), cl::kCrack), std::ptrdiff_t(8 * 8)); // 16 x 16 halved
    // Another slice without labels: no label layer at all.
    QVERIFY(!source.picture(ui::SliceOrientation::XY, 2, view).labels);
  }

  void damagedChunkIsReportedAndNeverRewritten() {
    const std::string victim = m_labels + "/0/1/1";
    QVERIFY(fs::exists(victim));
    fs::resize_file(victim, fs::file_size(victim) / 2);
    const auto damagedSize = fs::file_size(victim);
    const ino_t damagedInode = inodeOf(victim);
    std::unique_ptr<QSignalSpy> failed;
    Fixture f(m_image, [&](ui::MainWindow& w) {
      failed = std::make_unique<QSignalSpy>(&w.lazyBrowser()->labels(), &ui::SparseLabelLayer::failed);
    });
    (void)f.pixel(25, 20); // slice 5 shows the damaged chunk: no labels there, a message naming it
    QVERIFY(!failed->isEmpty());
    QVERIFY2(failed->last().first().toString().contains(QString::fromStdString(victim)), qPrintable(failed->last().first().toString()));
    // Painting into it is refused with a message; painting elsewhere and saving leave it alone.
    f.editor().settings().setTool(ui::ToolKind::Brush);
    f.stroke(20, 20, 28);
    QVERIFY(!f.labels().canUndo());
    QVERIFY2(f.w.statusBar()->currentMessage().contains(QString::fromStdString(victim)), qPrintable(f.w.statusBar()->currentMessage()));
    f.w.cursor().setPosition({32, 32, 12});
    f.stroke(5, 5, 9);
    QVERIFY(f.labels().canUndo());
    f.layer().saveAction()->trigger();
    QVERIFY2(f.w.statusBar()->currentMessage().contains("1 chunk(s) written"), qPrintable(f.w.statusBar()->currentMessage()));
    QCOMPARE(fs::file_size(victim), damagedSize);
    QCOMPARE(inodeOf(victim), damagedInode);
  }
};

QTEST_MAIN(TestStudioSparseLabels)
#include "test_studio_sparse_labels.moc"
