// Label editing in the real window under Xvfb: brush strokes driven by mouse events (voxels and
// overlay pixels), undo/redo through the Edit actions, Esc aborts, polygon by clicks, flood fill,
// interpolation, marking a slice annotated, accepting a predicted component, deleting one.
#include "TestVolumes.h"
#include "core/labels/LabelVolume.h"
#include "ui/MainWindow.h"
#include "ui/Theme.h"
#include "ui/io/LoadController.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/tools/LabelActions.h"
#include "ui/tools/LabelEditor.h"
#include "ui/tools/LabelTools.h"
#include "ui/tools/ToolSettings.h"

#include <QAction>
#include <QSignalSpy>
#include <QtTest>

using core::volume::Index3;
namespace cl = core::labels;

namespace {

struct Fixture {
  ui::MainWindow w;
  ui::SliceView* xy;
  explicit Fixture(ui::Dataset d = testdata::blank()) {
    w.setErrorDialogsEnabled(false);
    w.session().setDataset(std::move(d));
    w.display().setCrosshairVisible(false);
    w.display().setRange(0, 1000);
    w.cursor().setPosition({32, 32, 32});
    w.show();
    xy = w.sliceView(ui::SliceOrientation::XY);
    if (!QTest::qWaitForWindowExposed(&w)) qFatal("window not exposed");
    // Window shortcuts (Ctrl+Z, B, ...) need the active window; Xvfb has no window manager.
    w.activateWindow();
    QApplication::setActiveWindow(&w);
    if (!QTest::qWaitForWindowActive(&w)) qWarning("window not active");
  }
  cl::LabelVolume& labels() { return *w.session().labelVolume(); }
  ui::LabelEditor& editor() { return w.labelEditor(); }
  QPoint at(int x, int y) { return xy->widgetPosition({x, y, 32}).toPoint(); }
  QColor pixel(const QImage& img, int x, int y) {
    const QPointF p = xy->widgetPosition({x, y, 32}) * xy->devicePixelRatioF();
    return img.pixelColor(int(p.x()), int(p.y()));
  }
};

bool isCrackPixel(const QColor& c) { return c.red() > 100 && c.green() < 40 && c.blue() < 40; }
bool isBlack(const QColor& c) { return c.red() < 10 && c.green() < 10 && c.blue() < 10; }

} // namespace

class TestLabelTools : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_studio_labels");
  }

  void brushStrokeWithMouse() {
    Fixture f;
    f.editor().settings().setTool(ui::ToolKind::Brush);
    f.editor().settings().setSize(5);
    QTest::mousePress(f.xy, Qt::LeftButton, {}, f.at(15, 32));
    for (int x = 20; x <= 45; x += 5) QTest::mouseMove(f.xy, f.at(x, 32));
    QTest::mouseRelease(f.xy, Qt::LeftButton, {}, f.at(45, 32));
    // Voxels: a band of radius 2.5 along y = 32 from x = 15 to 45, on slice 32 only.
    for (int x = 13; x <= 47; ++x) QCOMPARE(int(f.labels().at(x, 32, 32)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(30, 34, 32)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(30, 35, 32)), 0);
    QCOMPARE(int(f.labels().at(10, 32, 32)), 0);
    QCOMPARE(int(f.labels().at(30, 32, 31)), 0);
    QCOMPARE(int(f.labels().undoStack().undoCount()), 1);
    QCOMPARE(QString::fromStdString(f.labels().undoStack().undoName()), QStringLiteral("Paint stroke"));
    QAction* undo = f.editor().actions().undo();
    QAction* redo = f.editor().actions().redo();
    QVERIFY(undo->isEnabled());
    QVERIFY(!redo->isEnabled());
    QVERIFY2(undo->text().contains("Paint stroke"), qPrintable(undo->text()));
    // Pixels: crack colour where painted, black image elsewhere.
    QImage img = f.xy->grabFramebuffer();
    QVERIFY2(isCrackPixel(f.pixel(img, 25, 32)), qPrintable(f.pixel(img, 25, 32).name()));
    QVERIFY(isCrackPixel(f.pixel(img, 30, 34)));
    QVERIFY(isBlack(f.pixel(img, 25, 40)));
    QVERIFY(isBlack(f.pixel(img, 8, 32)));
    // Undo through the Edit action restores voxels and pixels; redo brings them back.
    undo->trigger();
    QCOMPARE(int(f.labels().at(30, 32, 32)), 0);
    QVERIFY(!undo->isEnabled());
    QVERIFY(redo->isEnabled());
    QVERIFY(redo->text().contains("Paint stroke"));
    img = f.xy->grabFramebuffer();
    QVERIFY(isBlack(f.pixel(img, 25, 32)));
    redo->trigger();
    QCOMPARE(int(f.labels().at(30, 32, 32)), int(cl::kCrack));
    img = f.xy->grabFramebuffer();
    QVERIFY(isCrackPixel(f.pixel(img, 25, 32)));
    // Ctrl+Z reaches the action through the window's shortcut.
    f.xy->setFocus();
    QTest::keyClick(f.xy, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(int(f.labels().at(30, 32, 32)), 0);
  }

  void eraserAndEscapeAbort() {
    Fixture f;
    f.labels().edit("setup", [](cl::LabelEdit& e) { e.fill({{10, 10, 32}, {20, 20, 1}}, cl::kCrack); });
    f.editor().settings().setTool(ui::ToolKind::Eraser);
    f.editor().settings().setSize(3);
    QTest::mousePress(f.xy, Qt::LeftButton, {}, f.at(15, 15));
    QTest::mouseMove(f.xy, f.at(20, 15));
    QCOMPARE(int(f.labels().at(18, 15, 32)), 0);
    QTest::keyClick(f.xy, Qt::Key_Escape);
    QVERIFY(!f.editor().tools().isStroking());
    QCOMPARE(int(f.labels().at(18, 15, 32)), int(cl::kCrack)); // restored
    QCOMPARE(int(f.labels().undoStack().undoCount()), 1);      // only the setup step
    QTest::mouseRelease(f.xy, Qt::LeftButton, {}, f.at(20, 15));
    // A real erase stroke is one step named "Erase stroke".
    QTest::mousePress(f.xy, Qt::LeftButton, {}, f.at(15, 15));
    QTest::mouseRelease(f.xy, Qt::LeftButton, {}, f.at(15, 15));
    QCOMPARE(int(f.labels().at(15, 15, 32)), 0);
    QCOMPARE(QString::fromStdString(f.labels().undoStack().undoName()), QStringLiteral("Erase stroke"));
  }

  void sphereBrushPaintsNeighbourSlices() {
    Fixture f;
    f.editor().settings().setTool(ui::ToolKind::Sphere);
    f.editor().settings().setSize(5);
    QTest::mouseClick(f.xy, Qt::LeftButton, {}, f.at(30, 30));
    QCOMPARE(int(f.labels().at(30, 30, 34)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(30, 30, 30)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(30, 30, 35)), 0);
  }

  void polygonByClicks() {
    Fixture f;
    f.editor().settings().setTool(ui::ToolKind::Polygon);
    for (auto p : {QPoint(10, 10), QPoint(30, 10), QPoint(30, 20), QPoint(10, 20)})
      QTest::mouseClick(f.xy, Qt::LeftButton, {}, f.at(p.x(), p.y()));
    QCOMPARE(f.editor().tools().polygonVertexCount(), 4);
    QTest::keyClick(f.xy, Qt::Key_Return);
    QCOMPARE(f.editor().tools().polygonVertexCount(), 0);
    QCOMPARE(int(f.labels().at(20, 15, 32)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(10, 10, 32)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(31, 15, 32)), 0);
    QCOMPARE(int(f.labels().at(20, 15, 31)), 0);
    QCOMPARE(QString::fromStdString(f.labels().undoStack().undoName()), QStringLiteral("Polygon fill"));
    const QImage img = f.xy->grabFramebuffer();
    QVERIFY(isCrackPixel(f.pixel(img, 20, 15)));
    QVERIFY(isBlack(f.pixel(img, 20, 25)));
    // Shift + double-click closes an erasing polygon.
    for (auto p : {QPoint(15, 12), QPoint(25, 12), QPoint(25, 18)})
      QTest::mouseClick(f.xy, Qt::LeftButton, {}, f.at(p.x(), p.y()));
    QTest::mouseDClick(f.xy, Qt::LeftButton, Qt::ShiftModifier, f.at(15, 18));
    QCOMPARE(int(f.labels().at(20, 15, 32)), 0);
    QCOMPARE(int(f.labels().at(12, 15, 32)), int(cl::kCrack));
    QCOMPARE(QString::fromStdString(f.labels().undoStack().undoName()), QStringLiteral("Polygon erase"));
  }

  void floodFillOnClick() {
    ui::Dataset d = testdata::blank();
    for (int y = 20; y < 30; ++y)
      for (int x = 20; x < 40; ++x) d.image.setValueAt(x, y, 32, 500);
    Fixture f(std::move(d));
    f.editor().settings().setTool(ui::ToolKind::Flood);
    f.editor().settings().setFloodTolerance(50);
    QTest::mouseClick(f.xy, Qt::LeftButton, {}, f.at(25, 25));
    QCOMPARE(int(f.labels().at(20, 20, 32)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(39, 29, 32)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(40, 25, 32)), 0);
    QCOMPARE(int(f.labels().at(25, 25, 31)), 0);
    QCOMPARE(QString::fromStdString(f.labels().undoStack().undoName()), QStringLiteral("Flood fill"));
  }

  void thresholdLimitedBrush() {
    ui::Dataset d = testdata::blank();
    for (int x = 0; x < 64; ++x) d.image.setValueAt(x, 32, 32, 100); // a dark line in a 0 image...
    for (int y = 0; y < 64; ++y)
      for (int x = 0; x < 64; ++x)
        if (y != 32) d.image.setValueAt(x, y, 32, 800); // ...on a bright background
    Fixture f(std::move(d));
    f.editor().settings().setTool(ui::ToolKind::Brush);
    f.editor().settings().setSize(7);
    f.editor().settings().setThreshold(true, 0, 200);
    QTest::mouseClick(f.xy, Qt::LeftButton, {}, f.at(30, 32));
    QCOMPARE(int(f.labels().at(30, 32, 32)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(32, 32, 32)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(30, 31, 32)), 0);
    QCOMPARE(int(f.labels().at(30, 33, 32)), 0);
  }

  void interpolateAndMarkAnnotated() {
    Fixture f;
    f.labels().edit("discs", [](cl::LabelEdit& e) {
      e.fill({{20, 20, 20}, {10, 10, 1}}, cl::kCrack);
      e.fill({{20, 20, 30}, {10, 10, 1}}, cl::kCrack);
    });
    f.w.cursor().setPosition({32, 32, 25});
    f.editor().actions().interpolateHere()->trigger();
    QCOMPARE(int(f.labels().at(25, 25, 25)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(25, 25, 21)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(35, 25, 25)), 0);
    QCOMPARE(QString::fromStdString(f.labels().undoStack().undoName()), QStringLiteral("Interpolate slices"));

    QAction* mark = f.editor().actions().markAnnotated();
    QVERIFY(!mark->isChecked());
    mark->trigger();
    QVERIFY(f.labels().isSliceAnnotated(25));
    QVERIFY(mark->isChecked());
    QVERIFY(f.editor().actions().undo()->text().contains("Mark slice annotated"));
    // The XY view shows the mark: a green badge at its top right.
    f.w.cursor().setPosition({5, 5, 25});
    const QImage img = f.xy->grabFramebuffer();
    int green = 0;
    for (int y = 0; y < 30 * img.devicePixelRatio(); ++y)
      for (int x = img.width() * 2 / 3; x < img.width(); ++x) {
        const QColor c = img.pixelColor(x, y);
        if (c.green() > 110 && c.red() < 80 && c.blue() < 110) ++green;
      }
    QVERIFY2(green > 100, qPrintable(QString::number(green)));
    f.w.cursor().setPosition({5, 5, 26});
    QVERIFY(!mark->isChecked());
    f.editor().actions().undo()->trigger();
    QVERIFY(!f.labels().isSliceAnnotated(25));
  }

  void acceptAndDeleteComponent() {
    ui::Dataset d = testdata::blank();
    d.prediction = core::volume::Volume(d.image.size(), core::volume::VoxelType::UInt8, d.image.spacing());
    for (int z = 10; z < 20; ++z)
      for (int x = 10; x < 20; ++x) d.prediction.setValueAt(x, 10, z, 255); // component A
    for (int x = 40; x < 50; ++x) d.prediction.setValueAt(x, 40, 40, 200);  // component B
    Fixture f(std::move(d));
    QVERIFY(f.editor().actions().acceptComponent()->isEnabled());
    f.w.cursor().setPosition({12, 10, 15});
    f.editor().actions().acceptComponent()->trigger();
    QCOMPARE(int(f.labels().at(10, 10, 10)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(19, 10, 19)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(45, 40, 40)), 0);
    QCOMPARE(int(f.labels().at(12, 11, 15)), 0);
    QCOMPARE(QString::fromStdString(f.labels().undoStack().undoName()), QStringLiteral("Accept crack component"));
    // Above the display threshold component B is not crack: nothing to accept there.
    f.w.display().setPredictionThreshold(210);
    QCOMPARE(f.editor().actions().doAcceptComponent({45, 40, 40}), std::int64_t(-1));
    f.w.display().setPredictionThreshold(128);
    QVERIFY(f.editor().actions().doAcceptComponent({45, 40, 40}) > 0);
    QCOMPARE(int(f.labels().at(49, 40, 40)), int(cl::kCrack));
    // Delete component A with one command.
    f.w.cursor().setPosition({15, 10, 12});
    f.editor().actions().deleteComponent()->trigger();
    QCOMPARE(int(f.labels().at(10, 10, 10)), 0);
    QCOMPARE(int(f.labels().at(49, 40, 40)), int(cl::kCrack));
    // Accept the whole prediction: not crack written below the threshold into unlabelled voxels.
    f.editor().actions().acceptAll()->trigger();
    QCOMPARE(int(f.labels().at(10, 10, 10)), int(cl::kCrack));
    QCOMPARE(int(f.labels().at(0, 0, 0)), int(cl::kNotCrack));
  }

  void screenshotAfterPainting() {
    // The demo phantom, painted with the mouse: cracks traced with the brush, a polygon being
    // drawn, the brush outline under the mouse. Saved when CDNET_SCREENSHOT is set (docs).
    ui::applyStudioTheme(*qApp); // as cdnet-studio looks
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
    QVERIFY(w.openDemo({96, 96, 96}));
    QVERIFY(loaded.wait(30000));
    auto* xy = w.sliceView(ui::SliceOrientation::XY);
    const std::int64_t z = 48;
    w.cursor().setPosition({48, 48, z});
    auto at = [&](double x, double y) { return xy->widgetPosition({std::int64_t(x), std::int64_t(y), z}).toPoint(); };
    ui::LabelEditor& ed = w.labelEditor();
    ed.settings().setTool(ui::ToolKind::Brush);
    ed.settings().setSize(3);
    QTest::mousePress(xy, Qt::LeftButton, {}, at(20, 30));
    for (int i = 1; i <= 20; ++i) QTest::mouseMove(xy, at(20 + i * 1.5, 30 + i * 0.8 + (i % 5 == 0 ? 1 : 0)));
    QTest::mouseRelease(xy, Qt::LeftButton, {}, at(50, 46));
    QCOMPARE(int(w.session().labelVolume()->at(35, 38, z)), int(cl::kCrack));
    ed.settings().setActiveClass(cl::kNotCrack);
    ed.settings().setSize(9);
    QTest::mousePress(xy, Qt::LeftButton, {}, at(65, 70));
    for (int i = 1; i <= 10; ++i) QTest::mouseMove(xy, at(65 + i, 70 - i * 0.5));
    QTest::mouseRelease(xy, Qt::LeftButton, {}, at(75, 65));
    ed.settings().setActiveClass(cl::kCrack);
    ed.actions().markAnnotated()->trigger();
    ed.settings().setTool(ui::ToolKind::Polygon);
    ed.settings().setActiveClass(cl::kNotCrack);
    for (auto p : {QPointF(62, 12), QPointF(80, 16), QPointF(82, 30), QPointF(66, 33)})
      QTest::mouseClick(xy, Qt::LeftButton, {}, at(p.x(), p.y()));
    QTest::keyClick(xy, Qt::Key_Return);
    QCOMPARE(int(w.session().labelVolume()->at(72, 22, z)), int(cl::kNotCrack));
    ed.settings().setActiveClass(cl::kCrack);
    ed.settings().setTool(ui::ToolKind::Brush);
    ed.settings().setSize(7);
    QTest::mouseMove(xy, at(30, 60));
    QElapsedTimer t;
    t.start();
    while (w.isBusy() && t.elapsed() < 30000) QTest::qWait(50);
    QTest::qWait(200);
    const QImage shot = w.grab().toImage();
    QVERIFY(!shot.isNull());
    const QByteArray out = qgetenv("CDNET_SCREENSHOT");
    if (!out.isEmpty()) QVERIFY(shot.save(QString::fromLocal8Bit(out)));
  }

  void shortcutsChooseTools() {
    Fixture f;
    f.xy->setFocus();
    QTest::keyClick(f.xy, Qt::Key_B);
    QCOMPARE(f.editor().settings().tool(), ui::ToolKind::Brush);
    const int size = f.editor().settings().size();
    QTest::keyClick(f.xy, Qt::Key_BracketRight);
    QVERIFY(f.editor().settings().size() > size);
    QTest::keyClick(f.xy, Qt::Key_G);
    QCOMPARE(f.editor().settings().tool(), ui::ToolKind::Polygon);
    QTest::keyClick(f.xy, Qt::Key_N);
    QCOMPARE(f.editor().settings().tool(), ui::ToolKind::Navigate);
    // Navigate: a click moves the crosshair and paints nothing.
    QTest::mouseClick(f.xy, Qt::LeftButton, {}, f.at(10, 12));
    QCOMPARE(f.w.cursor().position().x, std::int64_t(10));
    QVERIFY(!f.labels().canUndo());
  }
};

int main(int argc, char** argv) {
  ui::VtkHostWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestLabelTools t;
  return QTest::qExec(&t, argc, argv);
}
#include "test_studio_labels.moc"
