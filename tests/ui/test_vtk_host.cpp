// The Qt 6 host of a VTK render window shows what VTK renders (real pixels of the framebuffer).
#include "ui/views/VtkHostWidget.h"

#include <QtTest>

#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>

class TestVtkHost : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void showsVtkBackground() {
    ui::VtkHostWidget w;
    vtkNew<vtkRenderer> ren;
    ren->SetBackground(1.0, 0.5, 0.0);
    w.renderWindow()->AddRenderer(ren);
    w.resize(200, 150);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QImage img = w.grabFramebuffer();
    QCOMPARE(img.size(), QSize(200, 150) * w.devicePixelRatio());
    const QColor c = img.pixelColor(100, 75);
    QCOMPARE(c.red(), 255);
    QVERIFY(qAbs(c.green() - 128) <= 1);
    QCOMPARE(c.blue(), 0);
    QVERIFY(!w.glRenderer().isEmpty());
    QVERIFY(w.renderNow());
  }
};

int main(int argc, char** argv) {
  ui::VtkHostWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestVtkHost t;
  return QTest::qExec(&t, argc, argv);
}
#include "test_vtk_host.moc"
