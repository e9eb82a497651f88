// How the slice views draw (issue 16, slice change and brush cost): each view draws its
// CPU-composited picture as one texture, so these checks read the real OpenGL pixels back
// (grabFramebuffer). A slice change in one view moves only the crosshair in the others: their
// pictures are not sampled again, and the crosshair line is drawn where the cursor now is. A brush
// dab on a lazily read volume redraws only the dab's pixels (no resampling of the slice), and
// those pixels come out exactly as a full redraw gives them.
#include "core/labels/Brush.h"
#include "core/labels/SparseLabels.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/SparseLabelLayer.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/SliceSource.h"
#include "ui/views/SliceView.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>

namespace cl = core::labels;
namespace vol = core::volume;

namespace {

const vol::Size3 kSize{64, 64, 24};
const vol::Size3 kPatternSize{256, 256, 16}; ///< large enough to be drawn from level 1 when zoomed out

struct Window {
  ui::MainWindow w;
  explicit Window(const std::string& path) {
    w.setErrorDialogsEnabled(false);
    w.resize(1000, 760);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) qFatal("window not exposed");
    w.lazyBrowser()->open(path);
    w.display().setRange(0, 1000);
    w.cursor().setPosition({32, 32, 5});
    waitLoaded();
  }
  ui::SliceView* view(ui::SliceOrientation o) { return w.sliceView(o); }
  /// Until every block is drawn: nothing pending and a round of events plus a redraw of each view
  /// that composites nothing new (the last block's notice arrives after the count drops).
  void waitLoaded() {
    QElapsedTimer t;
    t.start();
    for (;;) {
      int before = 0, after = 0;
      for (int i = 0; i < 3; ++i) before += view(ui::SliceOrientation(i))->compositeCount();
      QTest::qWait(20);
      for (int i = 0; i < 3; ++i) (void)view(ui::SliceOrientation(i))->grabFramebuffer();
      for (int i = 0; i < 3; ++i) after += view(ui::SliceOrientation(i))->compositeCount();
      if (after == before && w.lazyBrowser()->pendingBlocks() == 0) return;
      if (t.elapsed() > 30000) qFatal("blocks did not load");
    }
  }
  /// Device pixel of voxel \p v's centre in view \p o.
  QPoint pixelOf(ui::SliceOrientation o, const vol::Index3& v) {
    const QPointF p = view(o)->widgetPosition(v) * view(o)->devicePixelRatioF();
    return {int(p.x()), int(p.y())};
  }
};

bool near(const QColor& a, const QColor& b, int tolerance = 2) {
  return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance &&
         std::abs(a.blue() - b.blue()) <= tolerance;
}

vol::Volume pattern(vol::Size3 size) {
  vol::Volume v(size, vol::VoxelType::UInt16);
  auto* p = v.as<std::uint16_t>();
  for (std::int64_t z = 0; z < size.z; ++z)
    for (std::int64_t y = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x) p[v.index(x, y, z)] = std::uint16_t((x * 37 + y * 11 + z * 5) % 1000);
  return v;
}

} // namespace

class TestSliceDrawing : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string m_black, m_pattern;

  std::string write(const vol::Volume& v, const char* name) {
    vol::WriteOptions o;
    o.hdf5Chunk = {16, 16, 8};
    o.pyramidLevels = 2;
    const std::string path = m_dir.filePath(name).toStdString();
    vol::writeVolume(v, path, o);
    return path;
  }

private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_slice_drawing");
    m_black = write(vol::Volume(kSize, vol::VoxelType::UInt16), "black.zarr");
    m_pattern = write(pattern(kPatternSize), "pattern.zarr");
  }

  void crosshairFollowsASliceChangeInAnotherViewWithoutResampling() {
    Window f(m_black);
    f.w.display().setCrosshairVisible(true);
    const auto XY = ui::SliceOrientation::XY, XZ = ui::SliceOrientation::XZ;
    // The XZ view's horizontal line shows the XY plane: XY's colour at 200/255 over black.
    const QColor c = ui::orientationColour(XY);
    const QColor line(c.red() * 200 / 255, c.green() * 200 / 255, c.blue() * 200 / 255);
    const QPoint at5 = f.pixelOf(XZ, {10, 32, 5});
    QImage img = f.view(XZ)->grabFramebuffer();
    QVERIFY2(near(img.pixelColor(at5), line), qPrintable(img.pixelColor(at5).name()));
    const int xzComposites = f.view(XZ)->compositeCount(), xyComposites = f.view(XY)->compositeCount();

    f.w.cursor().setAlong(2, 15); // the XY view changes slice
    f.waitLoaded();
    img = f.view(XZ)->grabFramebuffer();
    const QPoint at15 = f.pixelOf(XZ, {10, 32, 15});
    QVERIFY(at15.y() != at5.y());
    QVERIFY2(near(img.pixelColor(at15), line), qPrintable(img.pixelColor(at15).name()));
    QVERIFY2(near(img.pixelColor(at5), Qt::black), qPrintable(img.pixelColor(at5).name()));
    QCOMPARE(f.view(XZ)->compositeCount(), xzComposites); // only the crosshair moved there
    QVERIFY(f.view(XY)->compositeCount() > xyComposites);
  }

  void aDabRedrawsOnlyItsPixelsAsAFullRedrawWould_data() {
    QTest::addColumn<double>("zoom");
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("x"); // the dab's centre on slice 5 (the labels are saved between rows)
    QTest::addColumn<int>("y");
    QTest::newRow("full resolution") << 2.0 << 0 << 120 << 130;
    QTest::newRow("zoomed out: a coarse level") << 0.25 << 1 << 60 << 200;
  }

  void aDabRedrawsOnlyItsPixelsAsAFullRedrawWould() {
    QFETCH(double, zoom);
    QFETCH(int, level);
    QFETCH(int, x);
    QFETCH(int, y);
    Window f(m_pattern);
    f.w.display().setCrosshairVisible(true);
    ui::SliceView* xy = f.view(ui::SliceOrientation::XY);
    xy->zoomBy(zoom, QPointF(xy->width() / 2.0, xy->height() / 2.0));
    f.waitLoaded();
    const auto& source = static_cast<const ui::LazySliceSource&>(xy->source());
    QCOMPARE(source.volume().levelForScale(xy->transform().scale / source.imageInfo().spacing.x), level);
    const QImage before = xy->grabFramebuffer();
    const int composites = xy->compositeCount();

    cl::SparseLabels& labels = *f.w.lazyBrowser()->labels().labels();
    auto window = labels.openWindow(vol::sliceRegion(vol::Orientation::XY, 5, 0, 0, kPatternSize.x, kPatternSize.y));
    cl::BrushSettings brush;
    brush.size = 5;
    cl::BrushStroke stroke(window->labels(), brush);
    stroke.moveTo(window->toLocal(vol::Vec3{double(x), double(y), 5}));
    const QImage dab = xy->grabFramebuffer();
    QCOMPARE(xy->compositeCount(), composites); // no resampling of the slice
    // The dab's voxels changed colour (crack: red over the grey); far from it nothing changed.
    const QPoint centre = f.pixelOf(ui::SliceOrientation::XY, {x, y, 5});
    const QColor was = before.pixelColor(centre), now = dab.pixelColor(centre);
    QVERIFY2(now.red() > now.green() + 40 && now != was, qPrintable(was.name() + " -> " + now.name()));
    const QPoint far = f.pixelOf(ui::SliceOrientation::XY, {x + 40, y - 40, 5});
    QCOMPARE(dab.pixelColor(far), before.pixelColor(far));
    // A full redraw of the same state gives the very same picture.
    xy->panBy({0, 0}); // the same transform, composited again
    const QImage full = xy->grabFramebuffer();
    QVERIFY(xy->compositeCount() > composites);
    QVERIFY(full == dab);
    stroke.finish();
  }
};

QTEST_MAIN(TestSliceDrawing)
#include "test_slice_drawing.moc"
