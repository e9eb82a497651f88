// A damaged chunk of a lazily shown OME-Zarr volume in the real window (issue 16, "Tests and bad
// input"): the slice view marks the chunk's area as missing (hatched in kMissingColour) and draws
// the rest of the slice as it is, the status bar names the damaged chunk file, the window keeps
// working (another slice is drawn in full, without marks), and nothing crashes.
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/SliceView.h"

#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

namespace vol = core::volume;
namespace fs = std::filesystem;

namespace {

bool isMissingMark(QRgb c) {
  return (qRed(c) == ui::kMissingColour[0] && qGreen(c) == ui::kMissingColour[1] && qBlue(c) == ui::kMissingColour[2]) ||
         (qRed(c) == 80 && qGreen(c) == 0 && qBlue(c) == 80);
}

/// The screen box from the centre of voxel \p a to that of the last voxel before \p b (x, y) in
/// \p view, less 2-pixel borders.
QRect voxelBox(ui::SliceView& view, vol::Index3 a, vol::Index3 b) {
  const QPointF p = view.widgetPosition(a), q = view.widgetPosition({b.x - 1, b.y - 1, b.z});
  return QRect(QPoint(int(std::min(p.x(), q.x())) + 2, int(std::min(p.y(), q.y())) + 2),
               QPoint(int(std::max(p.x(), q.x())) - 2, int(std::max(p.y(), q.y())) - 2));
}

/// Fractions of \p box's pixels that are marks and that are kMissingColour stripes.
std::pair<double, double> marked(const QImage& image, const QRect& box) {
  int marks = 0, stripes = 0, n = 0;
  for (int y = box.top(); y <= box.bottom(); ++y)
    for (int x = box.left(); x <= box.right(); ++x) {
      const QRgb c = image.pixel(x, y);
      ++n;
      marks += isMissingMark(c);
      stripes += qRed(c) == 255 && qGreen(c) == 0 && qBlue(c) == 255;
    }
  return {double(marks) / std::max(n, 1), double(stripes) / std::max(n, 1)};
}

} // namespace

class TestLazyDamagedChunk : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_lazy_damaged_chunk");
  }

  void damagedChunkIsHatchedAndNamedInTheStatusBar() {
    QTemporaryDir dir;
    vol::Volume v({64, 48, 16}, vol::VoxelType::UInt16, {1, 1, 1});
    for (std::int64_t z = 0; z < 16; ++z)
      for (std::int64_t y = 0; y < 48; ++y)
        for (std::int64_t x = 0; x < 64; ++x) v.setValueAt(x, y, z, double(200 + (x * 7 + y * 13) % 600));
    vol::WriteOptions o;
    o.hdf5Chunk = {16, 16, 8};
    o.pyramidLevels = 1; // no coarser level to fall back on: the mark is all there is
    const std::string path = dir.filePath("d.zarr").toStdString();
    vol::writeVolume(v, path, o);
    // Chunk (z 0, y 1, x 2): voxels x 32..47, y 16..31, z 0..7.
    const std::string chunk = (fs::path(path) / "0" / "0" / "1" / "2").string();
    QVERIFY(fs::is_regular_file(chunk));
    std::ofstream(chunk, std::ios::binary | std::ios::trunc) << "this is no blosc chunk";

    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.resize(1100, 760);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.display().setCrosshairVisible(false);
    QSignalSpy failed(w.lazyBrowser(), &ui::LazyBrowser::blockFailed);
    w.lazyBrowser()->open(path);
    w.display().setRange(0, 1000);
    w.cursor().setPosition({20, 20, 3});
    ui::SliceView& xy = *w.sliceView(ui::SliceOrientation::XY);
    QVERIFY(QTest::qWaitFor([&] {
      (void)xy.grabFramebuffer();
      return failed.count() > 0 && w.lazyBrowser()->pendingBlocks() == 0;
    }, 30000));
    QTest::qWait(50); // queued redraws
    QImage shot = xy.grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    QCOMPARE(shot.devicePixelRatio(), 1.0);
    const QRect damaged = voxelBox(xy, {32, 16, 3}, {48, 32, 3});
    QVERIFY2(damaged.width() > 20 && damaged.height() > 20, "the view is large enough to tell");
    const auto [marks, stripes] = marked(shot, damaged);
    QVERIFY2(marks > 0.99, qPrintable(QString("marked part of the damaged chunk: %1").arg(marks)));
    QVERIFY2(stripes > 0.3 && stripes < 0.7, qPrintable(QString("stripes: %1").arg(stripes)));
    // Its neighbours are drawn as they are.
    for (const auto& [a, b] : {std::pair<vol::Index3, vol::Index3>{{16, 16, 3}, {32, 32, 3}},
                               {{48, 16, 3}, {64, 32, 3}}, {{32, 0, 3}, {48, 16, 3}}, {{32, 32, 3}, {48, 48, 3}}})
      QCOMPARE(marked(shot, voxelBox(xy, a, b)).first, 0.0);
    // The status bar names the damaged file.
    const QString status = w.statusBar()->currentMessage();
    QVERIFY2(status.contains(QString::fromStdString(chunk)) && status.contains("hatched"), qPrintable(status));
    QVERIFY(w.lazyBrowser()->failure().contains(QString::fromStdString(chunk)));

    // Another chunk layer: the slice is drawn in full, nothing is marked.
    w.cursor().setPosition({20, 20, 12});
    QVERIFY(QTest::qWaitFor([&] {
      (void)xy.grabFramebuffer();
      return xy.slice() == 12 && w.lazyBrowser()->pendingBlocks() == 0;
    }, 30000));
    QTest::qWait(50);
    shot = xy.grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    QCOMPARE(marked(shot, voxelBox(xy, {32, 16, 12}, {48, 32, 12})).first, 0.0);
    QVERIFY(w.lazyBrowser()->isOpen());
  }
};

QTEST_MAIN(TestLazyDamagedChunk)
#include "test_lazy_damaged_chunk.moc"
