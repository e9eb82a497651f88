// Opening real files through the window's loader (core::volume::openVolume on the worker): a
// written NRRD, a raw file with its parameters, crop and downsample, and a truncated file.
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/io/LoadController.h"
#include "ui/model/Session.h"
#include "ui/views/VtkHostWidget.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

namespace vol = core::volume;

namespace {

vol::Volume ramp(vol::Size3 s) {
  vol::Volume v(s, vol::VoxelType::UInt16, {0.2, 0.2, 0.4});
  for (std::int64_t z = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y)
      for (std::int64_t x = 0; x < s.x; ++x) v.setValueAt(x, y, z, double(x + 100 * y + 1000 * z));
  return v;
}

bool loadAndWait(ui::MainWindow& w, const ui::LoadRequest& r, QString* error = nullptr) {
  QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
  QSignalSpy failed(&w.loader(), &ui::LoadController::failed);
  if (!w.loader().load(r)) return false;
  if (!QTest::qWaitFor([&] { return loaded.count() + failed.count() > 0; }, 30000)) return false;
  if (error && failed.count()) *error = failed.at(0).at(1).toString();
  return loaded.count() == 1;
}

} // namespace

class TestOpenFiles : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_open_files");
  }

  void opensNrrdWithCropAndDownsample() {
    QTemporaryDir dir;
    const QString path = dir.filePath("ramp.nrrd");
    vol::writeVolume(ramp({20, 16, 12}), path.toStdString());
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // As File > Open does it: the header is probed on the worker, the volume fits, it loads.
    QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
    QVERIFY(w.openPath(path));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    const vol::Volume& im = w.session().image();
    QCOMPARE(im.size(), (vol::Size3{20, 16, 12}));
    QCOMPARE(im.valueAt(7, 3, 5), 5307.0);
    QCOMPARE(w.session().labels().size(), im.size());
    QVERIFY(w.session().description().contains("20 x 16 x 12 uint16"));
    // Crop x 4..11, y 2..9, z 6..11 and downsample by 2.
    ui::LoadRequest r = ui::LoadRequest::file(path);
    r.read.crop = vol::Region{{4, 2, 6}, {8, 8, 6}};
    r.read.downsample = 2;
    QVERIFY(loadAndWait(w, r));
    const vol::Volume& c = w.session().image();
    QCOMPARE(c.size(), (vol::Size3{4, 4, 3}));
    QVERIFY(std::abs(c.spacing().x - 0.4) < 1e-9);
    // Block (0,0,0) averages x 4-5, y 2-3, z 6-7: 4.5 + 250 + 6500.
    QVERIFY(std::abs(c.valueAt(0, 0, 0) - 6754.5) <= 0.5);
  }

  void opensRawWithItsParameters() {
    QTemporaryDir dir;
    const QString path = dir.filePath("scan.raw");
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray(16, 'H')); // a header to skip
      for (int i = 0; i < 6 * 5 * 4; ++i) {
        const quint16 v = quint16(i * 3);
        f.write(reinterpret_cast<const char*>(&v), 2);
      }
    }
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    ui::LoadRequest r = ui::LoadRequest::file(path);
    r.open.format = "raw";
    vol::RawParams p;
    p.size = {6, 5, 4};
    p.type = vol::VoxelType::UInt16;
    p.headerOffset = 16;
    r.open.raw = p;
    QVERIFY(loadAndWait(w, r));
    QCOMPARE(w.session().image().size(), (vol::Size3{6, 5, 4}));
    QCOMPARE(w.session().image().valueAt(1, 2, 3), double((1 + 6 * 2 + 30 * 3) * 3));
    // Too short for what is claimed: an error naming the file, and the dataset stays.
    p.size = {6, 5, 40};
    r.open.raw = p;
    QString error;
    QVERIFY(!loadAndWait(w, r, &error));
    QVERIFY2(error.contains("scan.raw"), qPrintable(error));
    QCOMPARE(w.session().image().size(), (vol::Size3{6, 5, 4}));
  }
};

int main(int argc, char** argv) {
  ui::VtkHostWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestOpenFiles t;
  return QTest::qExec(&t, argc, argv);
}
#include "test_open_files.moc"
