// Opening a large unchunked volume in the real window offers an OME-Zarr pyramid (issue 16):
// above the threshold (a setting, small here) File > Open asks; "Build pyramid" builds it on the
// Data lane with progress, next to the file with a record of the source, then the views show it
// lazily with the file's exact voxels and nothing is loaded into memory; opening the same file
// again opens that pyramid at once without asking, and a changed file no longer matches it (asked
// again, it is built anew); below
// the threshold the file loads into memory without a question; Cancel (the status bar's button)
// during the build, or an error (the file cut short while it is read), leaves nothing beside the
// file, not even a temporary, and says so.
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/io/LoadController.h"
#include "ui/io/PyramidOffer.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/Session.h"
#include "ui/views/LazyBrowser.h"

#include <QApplication>
#include <QDir>
#include <QPushButton>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <atomic>
#include <cstring>

namespace vol = core::volume;

namespace {

vol::Volume pattern(vol::Size3 s) {
  vol::Volume v(s, vol::VoxelType::UInt16, {0.5, 0.5, 1.0});
  auto* p = v.as<std::uint16_t>();
  for (std::int64_t z = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y)
      for (std::int64_t x = 0; x < s.x; ++x) p[v.index(x, y, z)] = std::uint16_t((x * 31 + y * 7 + z * 113) % 4000);
  return v;
}

/// Clicks \p button of the modal dialog \p dialog whenever one shows; counts the dialogs in \p seen.
QTimer* clickWhenShown(const QString& dialog, const QString& button, int* seen) {
  auto* timer = new QTimer(qApp);
  timer->setInterval(20);
  QObject::connect(timer, &QTimer::timeout, [=] {
    QWidget* w = QApplication::activeModalWidget();
    if (!w || w->objectName() != dialog) return;
    if (auto* b = w->findChild<QPushButton*>(button)) {
      ++*seen;
      b->click();
    }
  });
  timer->start();
  return timer;
}

QStringList entries(const QString& dir) {
  return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestPyramidOffer : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_pyramid_offer");
    QSettings().clear();
  }

  void offerBuildsOpensLazilyAndIsReused() {
    QTemporaryDir dir;
    const QString path = dir.filePath("big.nrrd");
    const vol::Volume v = pattern({300, 40, 24}); // 576000 bytes; longer than 256 voxels: 2 levels
    vol::writeVolume(v, path.toStdString());
    QSettings().setValue(ui::PyramidOffer::kThresholdKey, 500000);
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy progressed(&w.jobs(), &ui::JobRunner::progressed);
    QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
    int offers = 0;
    std::unique_ptr<QTimer> clicker(clickWhenShown("pyramidOffer", "buildPyramid", &offers));
    QVERIFY(w.openPath(path));
    QVERIFY(QTest::qWaitFor([&] { return w.lazyBrowser()->isOpen(); }, 60000));
    QCOMPARE(offers, 1);
    QVERIFY(progressed.count() > 0);
    const QString pyramid = dir.filePath("big.nrrd.pyramid.zarr");
    QCOMPARE(ui::PyramidOffer::pyramidPathFor(path), pyramid);
    QVERIFY(QFileInfo::exists(QDir(pyramid).filePath(ui::PyramidOffer::kRecordName)));
    QCOMPARE(QString::fromStdString(w.lazyBrowser()->volume()->path()), pyramid);
    // Shown lazily, not loaded into memory; the pyramid holds the file's exact voxels.
    QVERIFY(!w.session().hasImage());
    QCOMPARE(loaded.count(), 0);
    const vol::LazyVolume& lazy = *w.lazyBrowser()->volume();
    QCOMPARE(lazy.levels(), 2);
    QCOMPARE(lazy.levelInfo(0).size, v.size());
    const vol::Volume back = const_cast<vol::LazyVolume&>(lazy).read(0, vol::Region::whole(v.size()));
    QVERIFY(std::memcmp(back.data(), v.data(), v.bytes()) == 0);

    // Again: the pyramid built earlier opens at once, without a question and without a rebuild.
    const QDateTime built = QFileInfo(QDir(pyramid).filePath(".zattrs")).lastModified();
    w.lazyBrowser()->close();
    QVERIFY(w.openPath(path));
    QVERIFY(QTest::qWaitFor([&] { return w.lazyBrowser()->isOpen(); }, 30000));
    QCOMPARE(offers, 1);
    QCOMPARE(QFileInfo(QDir(pyramid).filePath(".zattrs")).lastModified(), built);
    QCOMPARE(ui::PyramidOffer::existingPyramid(path), pyramid);
    // A changed file no longer matches its pyramid.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(60), QFileDevice::FileModificationTime));
    f.close();
    QVERIFY(ui::PyramidOffer::existingPyramid(path).isEmpty());
    // Opening it asks again and builds the pyramid anew in the same place.
    w.lazyBrowser()->close();
    QVERIFY(w.openPath(path));
    QVERIFY(QTest::qWaitFor([&] { return w.lazyBrowser()->isOpen(); }, 60000));
    QCOMPARE(offers, 2);
    QCOMPARE(ui::PyramidOffer::existingPyramid(path), pyramid);
    QCOMPARE(entries(dir.path()), (QStringList{"big.nrrd", "big.nrrd.pyramid.zarr"}));
    // Where the file's folder cannot be written: the user's cache folder.
    QVERIFY(ui::PyramidOffer::pyramidPathFor(path, false)
                .startsWith(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + "/pyramids/"));
  }

  void belowTheThresholdLoadsWithoutAsking() {
    QTemporaryDir dir;
    const QString path = dir.filePath("small.nrrd");
    vol::writeVolume(pattern({30, 20, 10}), path.toStdString()); // 12000 bytes
    QSettings().setValue(ui::PyramidOffer::kThresholdKey, 500000);
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    int offers = 0;
    std::unique_ptr<QTimer> clicker(clickWhenShown("pyramidOffer", "cancelOpen", &offers));
    QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
    QVERIFY(w.openPath(path));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    QCOMPARE(offers, 0);
    QVERIFY(w.session().hasImage());
    QCOMPARE(entries(dir.path()), QStringList{"small.nrrd"});
  }

  void cancelLeavesNoPartialPyramid() {
    QTemporaryDir dir;
    const QString path = dir.filePath("slow.nrrd");
    vol::writeVolume(pattern({64, 64, 256}), path.toStdString()); // 4 slabs of 64 slices
    QSettings().setValue(ui::PyramidOffer::kThresholdKey, 500000);
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // The build stops after its first slab until the test has pressed Cancel.
    std::atomic<int> slabs{0};
    QSemaphore resume;
    w.pyramidOffer()->setAfterSlabForTests([&] {
      if (++slabs == 1) resume.acquire();
    });
    QSignalSpy failed(w.pyramidOffer(), &ui::PyramidOffer::pyramidFailed);
    int offers = 0;
    std::unique_ptr<QTimer> clicker(clickWhenShown("pyramidOffer", "buildPyramid", &offers));
    QVERIFY(w.openPath(path));
    QVERIFY(QTest::qWaitFor([&] { return slabs.load() == 1; }, 30000));
    QVERIFY2(entries(dir.path()).size() > 1, "a partial pyramid exists while building");
    auto* cancel = w.statusBar()->findChild<QPushButton*>("cancelJob");
    QVERIFY(cancel);
    QVERIFY(QTest::qWaitFor([&] { return cancel->isVisible() && cancel->isEnabled(); }, 5000));
    cancel->click();
    resume.release();
    QVERIFY(QTest::qWaitFor([&] { return failed.count() == 1 && !w.jobs().isBusy(); }, 30000));
    QCOMPARE(slabs.load(), 1);
    QVERIFY(failed.first().first().toString().contains("cancelled"));
    QVERIFY(failed.first().first().toString().contains(path));
    QCOMPARE(entries(dir.path()), QStringList{"slow.nrrd"});
    QVERIFY(!w.lazyBrowser()->isOpen());
    QVERIFY(w.statusBar()->currentMessage().contains("removed"));
  }

  void anErrorWhileBuildingLeavesNoPartialPyramid() {
    QTemporaryDir dir;
    const QString path = dir.filePath("cut.nrrd");
    vol::writeVolume(pattern({64, 64, 256}), path.toStdString());
    QSettings().setValue(ui::PyramidOffer::kThresholdKey, 500000);
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    std::atomic<int> slabs{0};
    QSemaphore resume;
    w.pyramidOffer()->setAfterSlabForTests([&] {
      if (++slabs == 1) resume.acquire();
    });
    QSignalSpy failed(w.pyramidOffer(), &ui::PyramidOffer::pyramidFailed);
    int offers = 0;
    std::unique_ptr<QTimer> clicker(clickWhenShown("pyramidOffer", "buildPyramid", &offers));
    QVERIFY(w.openPath(path));
    QVERIFY(QTest::qWaitFor([&] { return slabs.load() == 1; }, 30000));
    QVERIFY(entries(dir.path()).size() > 1);
    // The file loses its second half while the pyramid is being built: reading it fails.
    QVERIFY(QFile::resize(path, QFileInfo(path).size() / 2));
    resume.release();
    QVERIFY(QTest::qWaitFor([&] { return failed.count() == 1 && !w.jobs().isBusy(); }, 30000));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains("Cannot build") && message.contains(path) && message.contains("removed"), qPrintable(message));
    QCOMPARE(entries(dir.path()), QStringList{"cut.nrrd"});
    QVERIFY(!w.lazyBrowser()->isOpen());
  }
};

QTEST_MAIN(TestPyramidOffer)
#include "test_pyramid_offer.moc"
