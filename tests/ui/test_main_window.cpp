// The whole window under Xvfb: the demo dataset, the 3D view, errors, cancel, maximise, status
// bar, screenshot. Small volumes (64^3): software OpenGL is slow.
#include "TestVolumes.h"
#include "ui/MainWindow.h"
#include "ui/io/RawParamsDialog.h"
#include "ui/io/RecentFiles.h"
#include "ui/io/LoadController.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/views/ViewLayout.h"
#include "ui/views/VolumeView3D.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSpinBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

namespace {

/// Pixels of \p img that differ from the 3D view's gradient background by more than \p tol.
int foregroundPixels(const QImage& img, int tol = 40) {
  int n = 0;
  for (int y = 0; y < img.height(); ++y) {
    const double t = 1.0 - double(y) / std::max(1, img.height() - 1); // 0 at the bottom, 1 at the top
    const int r = int(255 * (0.05 + t * (0.22 - 0.05))), g = int(255 * (0.06 + t * (0.26 - 0.06))),
              b = int(255 * (0.09 + t * (0.36 - 0.09)));
    for (int x = 0; x < img.width(); ++x) {
      const QColor c = img.pixelColor(x, y);
      if (std::abs(c.red() - r) > tol || std::abs(c.green() - g) > tol || std::abs(c.blue() - b) > tol) ++n;
    }
  }
  return n;
}

/// Pixels of \p img in the crack surface colour, lit or shaded: the surface colour's hue within
/// 8 degrees and as saturated (the volume rendering's beige and the background are far less
/// saturated; the slice planes and axes have other hues). The axes' corner is left out.
int surfaceColourPixels(const QImage& img) {
  const QColor surface = QColor(QRgb(ui::VolumeView3D::kPredictionSurfaceRgb));
  int n = 0;
  for (int y = 0; y < img.height() * 4 / 5; ++y) // the axes sit in the bottom-left fifth
    for (int x = 0; x < img.width(); ++x) {
      const QColor c = img.pixelColor(x, y);
      const bool hue = c.hsvHue() >= 0 && std::abs(c.hsvHue() - surface.hsvHue()) <= 8;
      if (hue && c.hsvSaturationF() > 0.6 && c.valueF() > 0.2) ++n;
    }
  return n;
}

bool waitIdle(ui::MainWindow& w, int ms = 50000) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < ms) {
    QTest::qWait(50);
    if (!w.isBusy()) return true;
  }
  return false;
}

} // namespace

class TestMainWindow : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_main_window");
  }

  void demoFillsTheViewsAnd3D() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.resize(1100, 760);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QImage empty3D = w.view3D()->grabFramebuffer();
    QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
    QVERIFY(w.openDemo({64, 64, 64}));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 50000);
    QVERIFY(waitIdle(w));
    QVERIFY(w.session().hasImage());
    QVERIFY(w.session().prediction() != nullptr); // the ground-truth cracks
    QCOMPARE(w.cursor().position(), (core::volume::Index3{32, 32, 32}));
    QVERIFY(w.view3D()->hasSurface());
    // The 3D view is not empty: many pixels differ from the background, some in the surface colour.
    const QImage img = w.view3D()->grabFramebuffer();
    QVERIFY(foregroundPixels(empty3D) < img.width() * img.height() / 200);
    const int fg = foregroundPixels(img);
    QVERIFY2(fg > img.width() * img.height() / 50, qPrintable(QString("foreground pixels: %1").arg(fg)));
    // The crack surface (the demo's cracks are the prediction layer) shows in its colour over a fair
    // part of the view; with the surface turned off (nothing else changes) next to none.
    const int surface = surfaceColourPixels(img);
    w.display().setSurfaceSource(ui::SurfaceSource::None);
    QVERIFY(waitIdle(w));
    QTRY_VERIFY_WITH_TIMEOUT(!w.view3D()->hasSurface(), 10000);
    QTest::qWait(200);
    const int withoutSurface = surfaceColourPixels(w.view3D()->grabFramebuffer());
    w.display().setSurfaceSource(ui::SurfaceSource::Prediction);
    QVERIFY(waitIdle(w));
    QTRY_VERIFY_WITH_TIMEOUT(w.view3D()->hasSurface(), 20000);
    qInfo("3D view: %d pixels in the surface colour, %d with the surface off (of %d)", surface, withoutSurface,
          img.width() * img.height());
    QVERIFY2(surface > img.width() * img.height() / 200, qPrintable(QString("surface pixels: %1").arg(surface)));
    QVERIFY2(withoutSurface < surface / 50,
             qPrintable(QString("surface-coloured pixels without a surface: %1").arg(withoutSurface)));
    // The slice views show the image: not uniform.
    const QImage xy = w.sliceView(ui::SliceOrientation::XY)->grabFramebuffer();
    QSet<QRgb> colours;
    for (int y = 0; y < xy.height(); y += 3)
      for (int x = 0; x < xy.width(); x += 3) colours.insert(xy.pixel(x, y));
    QVERIFY(colours.size() > 50);
    // Dragging in the 3D view turns the camera (events reach VTK's trackball style).
    auto* v3 = w.view3D();
    const QPoint c(v3->width() / 2, v3->height() / 2);
    QTest::mousePress(v3, Qt::LeftButton, Qt::NoModifier, c);
    for (int i = 1; i <= 5; ++i) QTest::mouseMove(v3, c + QPoint(12 * i, 4 * i));
    QTest::mouseRelease(v3, Qt::LeftButton, Qt::NoModifier, c + QPoint(60, 20));
    const QImage turned = v3->grabFramebuffer();
    int changed = 0;
    for (int y = 0; y < img.height(); y += 2)
      for (int x = 0; x < img.width(); x += 2) changed += img.pixel(x, y) != turned.pixel(x, y);
    QVERIFY2(changed > img.width() * img.height() / 40, qPrintable(QString("changed pixels: %1").arg(changed)));
  }

  void badFileReportsAnErrorAndKeepsTheDataset() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.session().setDataset(testdata::blank({32, 32, 32}));
    QSignalSpy errors(&w, &ui::MainWindow::errorReported);
    QTemporaryDir dir;
    const QString missing = dir.filePath("no-such-volume.tif");
    QVERIFY(w.openPath(missing, ui::OpenFlow::Ask::Never));
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 20000);
    QVERIFY(errors.at(0).at(1).toString().contains(missing));
    const QString garbage = dir.filePath("garbage.nrrd");
    {
      QFile f(garbage);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("this is not a volume\n");
    }
    QVERIFY(w.openPath(garbage, ui::OpenFlow::Ask::Never));
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 2, 20000);
    QVERIFY(errors.at(1).at(1).toString().contains("garbage.nrrd"));
    QVERIFY(w.session().hasImage());
    QCOMPARE(w.session().image().size(), (core::volume::Size3{32, 32, 32}));
  }

  void dropOpensTheDroppedFile() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy errors(&w, &ui::MainWindow::errorReported);
    QTemporaryDir dir;
    const QString path = dir.filePath("dropped.nrrd");
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("NRRD0004\nnot really\n");
    }
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    // The (damaged) file was opened: its error names it.
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 20000);
    QVERIFY(errors.at(0).at(1).toString().contains("dropped.nrrd"));
  }

  void rawParametersDialogChecksTheFileSize() {
    QTemporaryDir dir;
    const QString path = dir.filePath("scan.raw");
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray(1000 + 24, '\0'));
    }
    QVERIFY(ui::needsRawParams(path));
    QVERIFY(!ui::needsRawParams(dir.filePath("scan.nrrd")));
    QVERIFY(ui::needsRawParams(dir.filePath("scan.vol"))); // no scan.vol.info beside it
    core::volume::RawParams initial;
    initial.size = {10, 10, 5};
    initial.type = core::volume::VoxelType::UInt16;
    initial.headerOffset = 24;
    ui::RawParamsDialog dialog(path, initial);
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled()); // 10*10*5*2 + 24 = 1024 bytes: exactly the file
    auto boxes = dialog.findChildren<QSpinBox*>();
    QVERIFY(boxes.size() >= 4);
    boxes[2]->setValue(6); // z = 6: needs 1224 bytes
    QVERIFY(!ok->isEnabled());
    boxes[2]->setValue(5);
    QVERIFY(ok->isEnabled());
    const core::volume::RawParams p = dialog.params();
    QCOMPARE(p.size, (core::volume::Size3{10, 10, 5}));
    QCOMPARE(p.type, core::volume::VoxelType::UInt16);
    QCOMPARE(p.headerOffset, std::uint64_t(24));
  }

  void recentFilesNewestFirst() {
    ui::RecentFiles recent;
    recent.clear();
    QTemporaryDir dir;
    for (int i = 0; i < 12; ++i) recent.add(dir.filePath(QString("v%1.tif").arg(i)));
    recent.add(dir.filePath("v5.tif"));
    const QStringList p = recent.paths();
    QCOMPARE(p.size(), 10);
    QCOMPARE(p.first(), dir.filePath("v5.tif"));
    QCOMPARE(p.at(1), dir.filePath("v11.tif"));
    QCOMPARE(p.count(dir.filePath("v5.tif")), 1);
    recent.clear();
  }

  void cancelLeavesTheSessionAlone() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy cancelled(&w.loader(), &ui::LoadController::cancelled);
    QSignalSpy errors(&w, &ui::MainWindow::errorReported);
    QVERIFY(w.openDemo({384, 384, 384}));
    QVERIFY(w.jobs().isBusy());
    w.jobs().cancel();
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 30000);
    QCOMPARE(errors.count(), 0);
    QVERIFY(!w.session().hasImage());
    QVERIFY(!w.jobs().isBusy());
  }

  void maximiseRestoreAndStatusBar() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.resize(1100, 760);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    ui::Dataset d = testdata::blank({40, 30, 20});
    d.image.setValueAt(10, 20, 5, 777);
    d.labels.setValueAt(10, 20, 5, core::labels::kCrack);
    w.session().setDataset(std::move(d));
    auto* xy = w.sliceView(ui::SliceOrientation::XY);
    w.cursor().setPosition({10, 20, 5});
    // Hovering shows index, micrometres, grey value and label.
    QTest::mouseMove(xy, xy->widgetPosition({10, 20, 5}).toPoint());
    QLabel* status = nullptr;
    for (QLabel* l : w.findChildren<QLabel*>())
      if (l->text().startsWith("x 10  y 20  z 5")) status = l;
    QVERIFY(status);
    QVERIFY(status->text().contains("(5.000, 10.000, 2.500)"));
    QVERIFY(status->text().contains("value 777"));
    QVERIFY(status->text().contains("crack"));
    // Double-click maximises the view, again restores.
    QTest::mouseDClick(xy, Qt::LeftButton, Qt::NoModifier, QPoint(20, 20));
    QCOMPARE(w.viewLayout()->maximised(), 0);
    QVERIFY(!w.view3D()->isVisible());
    QTRY_VERIFY(xy->width() > 700);
    QTest::mouseDClick(xy, Qt::LeftButton, Qt::NoModifier, QPoint(20, 20));
    QCOMPARE(w.viewLayout()->maximised(), -1);
    QVERIFY(w.view3D()->isVisible());
  }

  void singleSliceAndFloatVolumesShowWithoutTrouble() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // A 2D image (one slice), then a float volume full of NaN: every view renders, nothing breaks.
    ui::Dataset flat = testdata::blank({50, 40, 1});
    flat.image.setValueAt(3, 4, 0, 500);
    flat.labels.setValueAt(3, 4, 0, core::labels::kCrack);
    flat.statistics = ui::ImageStatistics::compute(flat.image);
    w.session().setDataset(std::move(flat));
    w.display().setSurfaceSource(ui::SurfaceSource::Labels);
    QVERIFY(waitIdle(w));
    for (int i = 0; i < 3; ++i) QVERIFY(!w.sliceView(ui::SliceOrientation(i))->grabFramebuffer().isNull());
    QVERIFY(!w.view3D()->grabFramebuffer().isNull());
    ui::Dataset nan = testdata::blank({16, 16, 16}, core::volume::VoxelType::Float32);
    for (std::int64_t i = 0; i < nan.image.voxelCount(); ++i) nan.image.as<float>()[i] = std::nanf("");
    nan.statistics = ui::ImageStatistics::compute(nan.image);
    w.session().setDataset(std::move(nan));
    QVERIFY(waitIdle(w));
    QVERIFY(std::isfinite(w.display().lower()) && std::isfinite(w.display().upper()));
    const QImage xy = w.sliceView(ui::SliceOrientation::XY)->grabFramebuffer();
    const QPointF p = w.sliceView(ui::SliceOrientation::XY)->widgetPosition({2, 2, 8}) * xy.devicePixelRatio();
    QCOMPARE(xy.pixelColor(p.toPoint() + QPoint(1, 1)).red(), 0); // NaN is drawn black
    QVERIFY(!w.view3D()->grabFramebuffer().isNull());
    w.session().close();
    QVERIFY(waitIdle(w));
    QVERIFY(!w.sliceView(ui::SliceOrientation::XY)->grabFramebuffer().isNull());
  }

  void screenshotSavesTheWindow() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.resize(900, 600);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    ui::Dataset d = testdata::blank({32, 32, 32});
    for (std::int64_t z = 0; z < 32; ++z)
      for (std::int64_t y = 0; y < 32; ++y)
        for (std::int64_t x = 0; x < 32; ++x) d.image.setValueAt(x, y, z, double(x * 100));
    d.statistics = ui::ImageStatistics::compute(d.image);
    w.session().setDataset(std::move(d));
    QVERIFY(waitIdle(w));
    QTemporaryDir dir;
    const QString file = dir.filePath("shot.png");
    QVERIFY(w.saveScreenshot(file));
    const QImage shot(file);
    QCOMPARE(shot.size(), w.size() * w.devicePixelRatio());
    // The XY view's ramp (black on the left, white on the right) is in the screenshot.
    auto* xy = w.sliceView(ui::SliceOrientation::XY);
    const QPoint origin = xy->mapTo(&w, QPoint(0, 0));
    const QPointF left = xy->widgetPosition({1, 16, 16}) + origin, right = xy->widgetPosition({30, 16, 16}) + origin;
    const QColor l = shot.pixelColor((left + QPointF(2, 2)).toPoint()), r = shot.pixelColor((right + QPointF(2, 2)).toPoint());
    QVERIFY2(r.red() > l.red() + 150, qPrintable(QString("left %1, right %2").arg(l.red()).arg(r.red())));
  }
};

int main(int argc, char** argv) {
  ui::VtkHostWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestMainWindow t;
  return QTest::qExec(&t, argc, argv);
}
#include "test_main_window.moc"
