// The 3D view of a lazily read volume (issue 16, "the 3D view uses a coarse level"): it reads the
// coarsest level that is big enough to draw and fits the budget (lazyLevelFor), on a worker, and
// shows it: after File > Open ... lazily (LazyBrowser::open) of a chunked HDF5 file and of an
// OME-Zarr image the volume rendering covers many pixels (they change when the volume rendering is
// turned off), and closing the lazy volume shows the Session again (here: nothing).
#include "core/volume/io/VolumeIO.h"
#include "core/volume/lazy/LazyVolume.h"
#include "ui/MainWindow.h"
#include "ui/model/DisplaySettings.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/VolumeView3D.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>

namespace vol = core::volume;

namespace {

/// A bright ball with a textured shell in a dark, faintly noisy background.
vol::Volume ball(vol::Size3 size) {
  vol::Volume v(size, vol::VoxelType::UInt16, {0.5, 0.5, 0.5});
  auto* p = v.as<std::uint16_t>();
  const double cx = double(size.x) / 2, cy = double(size.y) / 2, cz = double(size.z) / 2;
  const double r = 0.4 * double(std::min({size.x, size.y, size.z}));
  for (std::int64_t z = 0; z < size.z; ++z)
    for (std::int64_t y = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x) {
        const double d = std::sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz));
        p[v.index(x, y, z)] = std::uint16_t(d < r ? 30000 + (x * 7 + y * 3 + z) % 500 : 1000 + (x + y + z) % 50);
      }
  return v;
}

/// Pixels whose colour differs between \p a and \p b by more than \p tol in some channel.
int differingPixels(const QImage& a, const QImage& b, int tol = 30) {
  if (a.size() != b.size()) return a.width() * a.height();
  int n = 0;
  for (int y = 0; y < a.height(); ++y)
    for (int x = 0; x < a.width(); ++x) {
      const QColor p = a.pixelColor(x, y), q = b.pixelColor(x, y);
      if (std::abs(p.red() - q.red()) > tol || std::abs(p.green() - q.green()) > tol || std::abs(p.blue() - q.blue()) > tol)
        ++n;
    }
  return n;
}

bool waitIdle(ui::MainWindow& w, int ms = 60000) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < ms) {
    QTest::qWait(50);
    if (!w.isBusy()) return true;
  }
  return false;
}

} // namespace

class TestLazy3D : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string m_h5, m_zarr;

private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_lazy_3d");
    const vol::Volume v = ball({96, 80, 64});
    vol::WriteOptions o;
    o.hdf5Chunk = {32, 32, 16};
    o.pyramidLevels = 3;
    m_h5 = m_dir.filePath("ball.h5").toStdString();
    vol::writeVolume(v, m_h5, o);
    m_zarr = m_dir.filePath("ball.zarr").toStdString();
    vol::writeVolume(v, m_zarr, o);
  }

  void levelIsTheCoarsestBigEnoughWithinTheBudget() {
    auto cache = std::make_shared<vol::ChunkCache>(std::uint64_t(16) << 20);
    auto lazy = vol::LazyVolume::open(m_h5, cache);
    QCOMPARE(lazy->levels(), 3); // 96 x 80 x 64, 48 x 40 x 32, 24 x 20 x 16
    const std::uint64_t l1 = lazy->levelInfo(1).bytes(), l2 = lazy->levelInfo(2).bytes();
    QCOMPARE(ui::VolumeView3D::lazyLevelFor(*lazy, 32, std::uint64_t(1) << 30), 1);  // 48 >= 32, 24 < 32
    QCOMPARE(ui::VolumeView3D::lazyLevelFor(*lazy, 90, std::uint64_t(1) << 30), 0);  // only level 0 is 90 wide
    QCOMPARE(ui::VolumeView3D::lazyLevelFor(*lazy, 1000, std::uint64_t(1) << 30), 0); // none: the finest
    QCOMPARE(ui::VolumeView3D::lazyLevelFor(*lazy, 90, l1), 1);     // level 0 is over the budget
    QCOMPARE(ui::VolumeView3D::lazyLevelFor(*lazy, 32, l1 - 1), 2); // so is level 1
    QCOMPARE(ui::VolumeView3D::lazyLevelFor(*lazy, 32, l2 - 1), 2); // nothing fits: the coarsest
  }

  void view3DShowsALazilyOpenedVolume_data() {
    QTest::addColumn<QString>("path");
    QTest::newRow("hdf5") << QString::fromStdString(m_h5);
    QTest::newRow("ome-zarr") << QString::fromStdString(m_zarr);
  }

  void view3DShowsALazilyOpenedVolume() {
    QFETCH(QString, path);
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.resize(1100, 760);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(waitIdle(w));
    const QImage empty = w.view3D()->grabFramebuffer();
    w.lazyBrowser()->open(path.toStdString());
    QVERIFY(w.view3D()->showsLazy());
    QVERIFY(waitIdle(w)); // the coarse level is read on a worker
    const QImage shown = w.view3D()->grabFramebuffer();
    const int area = shown.width() * shown.height();
    const int changed = differingPixels(empty, shown);
    QVERIFY2(changed > area / 20, qPrintable(QString("pixels changed by the volume: %1 of %2").arg(changed).arg(area)));
    // The volume rendering makes most of that: without it, the picture changes over many pixels.
    w.display().setVolumeRenderingVisible(false);
    const QImage hidden = w.view3D()->grabFramebuffer();
    const int rendered = differingPixels(hidden, shown);
    QVERIFY2(rendered > area / 25, qPrintable(QString("pixels of the volume rendering: %1 of %2").arg(rendered).arg(area)));
    qInfo("%s: %d pixels changed by the volume, %d by its rendering, of %d", qPrintable(path), changed, rendered, area);
    w.display().setVolumeRenderingVisible(true);
    // Closing the lazy volume gives the 3D view back to the (empty) Session.
    w.lazyBrowser()->close();
    QVERIFY(!w.view3D()->showsLazy());
    QVERIFY(waitIdle(w));
    const int after = differingPixels(empty, w.view3D()->grabFramebuffer());
    QVERIFY2(after < area / 200, qPrintable(QString("pixels still changed after closing: %1").arg(after)));
  }
};

QTEST_MAIN(TestLazy3D)
#include "test_lazy_3d.moc"
