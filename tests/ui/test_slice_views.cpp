// Slice views under Xvfb: real pixels of the rendered views (grabFramebuffer).
#include "TestVolumes.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/views/SliceView.h"

#include <QGridLayout>
#include <QtTest>

#include <memory>

using core::volume::Index3;

namespace {

struct Views {
  ui::Session session;
  ui::CursorModel cursor;
  ui::DisplaySettings display;
  QWidget window;
  ui::SliceView* xy;
  ui::SliceView* xz;
  ui::SliceView* yz;
  Views() {
    auto* grid = new QGridLayout(&window);
    xy = new ui::SliceView(ui::SliceOrientation::XY, session, cursor, display);
    xz = new ui::SliceView(ui::SliceOrientation::XZ, session, cursor, display);
    yz = new ui::SliceView(ui::SliceOrientation::YZ, session, cursor, display);
    grid->addWidget(xy, 0, 0);
    grid->addWidget(yz, 0, 1);
    grid->addWidget(xz, 1, 0);
    window.resize(700, 560);
    QObject::connect(&session, &ui::Session::datasetChanged, &cursor,
                     [this] { cursor.setBounds(session.image().size()); });
  }
  void show() {
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
  }
};

/// Pixel of a grabbed view at the centre of voxel \p v as projected in that view.
QColor pixelAt(ui::SliceView& view, const QImage& img, const Index3& v) {
  const QPointF p = view.widgetPosition(v) * view.devicePixelRatioF();
  return img.pixelColor(int(p.x()), int(p.y()));
}

} // namespace

class TestSliceViews : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void knownVoxelAppearsInEachView() {
    Views v;
    ui::Dataset d = testdata::blank();
    const Index3 voxel{10, 20, 30};
    d.image.setValueAt(voxel.x, voxel.y, voxel.z, 600);
    v.session.setDataset(std::move(d));
    v.display.setRange(0, 1000); // 600 -> grey 153
    v.display.setCrosshairVisible(false);
    v.cursor.setPosition(voxel);
    v.show();
    for (ui::SliceView* view : {v.xy, v.xz, v.yz}) {
      const QImage img = view->grabFramebuffer();
      const QColor c = pixelAt(*view, img, voxel);
      QCOMPARE(c.red(), 153);
      QCOMPARE(c.green(), 153);
      QCOMPARE(c.blue(), 153);
      // The neighbours on screen are black voxels (value 0), not the bright one.
      const ui::SliceAxes ax = ui::sliceAxes(view->orientation());
      for (int axis : {ax.u, ax.v})
        for (int step : {-1, 1}) {
          Index3 n = voxel;
          ui::setComponent(n, axis, ui::component(n, axis) + step);
          QCOMPARE(pixelAt(*view, img, n).red(), 0);
        }
      // One voxel is several pixels wide at this zoom; the voxel's block is uniform.
      const QPointF p = view->widgetPosition(voxel) * view->devicePixelRatioF();
      QCOMPARE(img.pixelColor(int(p.x()) + 1, int(p.y()) + 1).red(), 153);
    }
  }

  void windowLevelMapsFloatAndIgnoresNaN() {
    Views v;
    ui::Dataset d = testdata::blank({32, 32, 32}, core::volume::VoxelType::Float32);
    d.image.setValueAt(5, 6, 7, 0.25);
    d.image.setValueAt(6, 6, 7, std::nan(""));
    d.image.setValueAt(7, 6, 7, -3.0);
    v.session.setDataset(std::move(d));
    v.display.setRange(-1, 1); // 0.25 -> 159.4 -> 159; -3 -> 0; NaN -> 0
    v.display.setCrosshairVisible(false);
    v.cursor.setPosition({5, 6, 7});
    v.show();
    const QImage img = v.xy->grabFramebuffer();
    QCOMPARE(pixelAt(*v.xy, img, {5, 6, 7}).red(), 159);
    QCOMPARE(pixelAt(*v.xy, img, {6, 6, 7}).red(), 0);
    QCOMPARE(pixelAt(*v.xy, img, {7, 6, 7}).red(), 0);
    QCOMPARE(pixelAt(*v.xy, img, {8, 6, 7}).red(), 128); // 0.0 -> 127.5 -> 128
  }

  void labelOverlayOnlyWhereLabelsAre() {
    Views v;
    ui::Dataset d = testdata::blank();
    for (std::int64_t z = 28; z < 34; ++z)
      for (std::int64_t y = 8; y < 12; ++y)
        for (std::int64_t x = 40; x < 50; ++x) d.labels.setValueAt(x, y, z, core::labels::kCrack);
    d.labels.setValueAt(5, 50, 30, core::labels::kNotCrack);
    v.session.setDataset(std::move(d));
    v.display.setRange(0, 1000); // image black everywhere
    v.display.setCrosshairVisible(false);
    v.display.setLabelOpacity(1.0);
    v.cursor.setPosition({45, 10, 30});
    v.show();
    const QColor crack = v.display.labelColour(core::labels::kCrack);
    const QColor notCrack = v.display.labelColour(core::labels::kNotCrack);
    QImage img = v.xy->grabFramebuffer();
    QCOMPARE(pixelAt(*v.xy, img, {45, 10, 30}), crack);
    QCOMPARE(pixelAt(*v.xy, img, {40, 8, 30}), crack);
    QCOMPARE(pixelAt(*v.xy, img, {49, 11, 30}), crack);
    QCOMPARE(pixelAt(*v.xy, img, {5, 50, 30}), notCrack);
    QCOMPARE(pixelAt(*v.xy, img, {39, 8, 30}), QColor(0, 0, 0));
    QCOMPARE(pixelAt(*v.xy, img, {50, 8, 30}), QColor(0, 0, 0));
    QCOMPARE(pixelAt(*v.xy, img, {45, 12, 30}), QColor(0, 0, 0));
    // Count: exactly the labelled voxels carry the crack colour in the XY view.
    int crackPixels = 0, expected = 0;
    for (std::int64_t y = 0; y < 64; ++y)
      for (std::int64_t x = 0; x < 64; ++x) {
        if (pixelAt(*v.xy, img, {x, y, 30}) == crack) ++crackPixels;
        if (x >= 40 && x < 50 && y >= 8 && y < 12) ++expected;
      }
    QCOMPARE(crackPixels, expected);
    // Half opacity blends with the grey below.
    v.display.setLabelOpacity(0.5);
    img = v.xy->grabFramebuffer();
    QCOMPARE(pixelAt(*v.xy, img, {45, 10, 30}), QColor(crack.red() / 2, crack.green() / 2, crack.blue() / 2));
    // Hidden: gone.
    v.display.setLabelsVisible(false);
    img = v.xy->grabFramebuffer();
    QCOMPARE(pixelAt(*v.xy, img, {45, 10, 30}), QColor(0, 0, 0));
  }

  void labelChangeRedrawsOnlyCrossedViews() {
    Views v;
    v.session.setDataset(testdata::blank());
    v.cursor.setPosition({32, 32, 32});
    v.show();
    v.xy->grabFramebuffer();
    v.xz->grabFramebuffer();
    v.yz->grabFramebuffer();
    const int xy = v.xy->compositeCount(), xz = v.xz->compositeCount(), yz = v.yz->compositeCount();
    // A change at z = 10 crosses the XZ and YZ views (they span all z) only if it crosses their
    // slice: x in [0,5) misses x = 32, y in [30,35) contains y = 32.
    v.session.labelVolume()->edit("test", [](core::labels::LabelEdit& e) {
      e.fill({{0, 30, 10}, {5, 5, 1}}, core::labels::kCrack);
    });
    v.xy->grabFramebuffer();
    v.xz->grabFramebuffer();
    v.yz->grabFramebuffer();
    QCOMPARE(v.xy->compositeCount(), xy);     // z = 10 is not z = 32
    QCOMPARE(v.xz->compositeCount(), xz + 1); // y = 32 is inside [30, 35)
    QCOMPARE(v.yz->compositeCount(), yz);     // x = 32 is not inside [0, 5)
  }

  void clickInXYMovesOtherSlices() {
    Views v;
    v.session.setDataset(testdata::blank());
    v.show();
    QCOMPARE(v.xz->slice(), 32);
    QCOMPARE(v.yz->slice(), 32);
    const Index3 target{40, 12, 32};
    const QPoint p = v.xy->widgetPosition(target).toPoint();
    const int xzBefore = v.xz->compositeCount(), yzBefore = v.yz->compositeCount();
    QTest::mouseClick(v.xy, Qt::LeftButton, Qt::NoModifier, p);
    QCOMPARE(v.cursor.position(), target);
    QCOMPARE(v.xz->slice(), 12); // XZ shows the slice y = 12
    QCOMPARE(v.yz->slice(), 40); // YZ shows the slice x = 40
    QCOMPARE(v.xy->slice(), 32); // the clicked view keeps its slice
    v.xz->grabFramebuffer();
    v.yz->grabFramebuffer();
    QCOMPARE(v.xz->compositeCount(), xzBefore + 1);
    QCOMPARE(v.yz->compositeCount(), yzBefore + 1);
    // Wheel and keys change the slice of the view they happen in.
    QTest::keyClick(v.xy, Qt::Key_PageUp);
    QCOMPARE(v.xy->slice(), 42);
    QTest::keyClick(v.xy, Qt::Key_Down);
    QCOMPARE(v.xy->slice(), 41);
  }

  void zoomAndPanKeepVoxelMapping() {
    Views v;
    v.session.setDataset(testdata::blank());
    v.show();
    const Index3 voxel{20, 20, 32};
    const QPointF anchor = v.xy->widgetPosition(voxel);
    v.xy->zoomBy(2.0, anchor);
    QVERIFY(qAbs(v.xy->zoomFactor() - 2.0) < 1e-9);
    // The voxel under the anchor stays under it.
    Index3 under;
    QVERIFY(v.xy->voxelAt(anchor, under));
    QCOMPARE(under, voxel);
    v.xy->panBy({30, 0});
    QVERIFY(qAbs(v.xy->widgetPosition(voxel).x() - anchor.x() - 30) < 1e-6);
    v.xy->resetView();
    QVERIFY(qAbs(v.xy->zoomFactor() - 1.0) < 1e-9);
  }
};

int main(int argc, char** argv) {
  ui::VtkHostWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestSliceViews t;
  return QTest::qExec(&t, argc, argv);
}
#include "test_slice_views.moc"
