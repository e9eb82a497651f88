// "Unsaved labels?" (issue 16): closing the window, opening another volume or another volume
// lazily with unsaved label edits asks Save / Discard / Cancel, through the real dialog (found as
// a QMessageBox of the window and clicked). Sparse labels of a volume opened lazily: Cancel keeps
// the window, the volume and the edits (nothing written); Save writes only the touched chunks and
// goes on; Discard goes on and writes nothing (the edits are gone when reopened). Dense labels of
// an in-memory volume: the project's question, Cancel keeps them, Discard goes on.
#include "core/labels/LabelConvention.h"
#include "core/labels/LabelVolume.h"
#include "core/labels/SparseLabelStore.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/model/Session.h"
#include "ui/model/SparseLabelLayer.h"
#include "ui/views/LazyBrowser.h"

#include <QAbstractButton>
#include <QApplication>
#include <QMessageBox>
#include <QPointer>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <sys/stat.h>

#include <filesystem>
#include <map>

namespace cl = core::labels;
namespace vol = core::volume;
namespace fs = std::filesystem;

namespace {

const vol::Size3 kSize{64, 64, 24};

/// Chunk files under \p dir with their inode and modification time (what a rewrite changes).
std::map<std::string, std::pair<ino_t, std::int64_t>> chunkFiles(const std::string& dir) {
  std::map<std::string, std::pair<ino_t, std::int64_t>> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') {
      struct stat st {};
      ::stat(e.path().c_str(), &st);
      out[fs::relative(e.path(), dir).string()] = {st.st_ino, std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
    }
  return out;
}

/// Clicks \p button of the next question box shown (polling from the event loop, which the
/// dialog's exec() keeps running); \p text receives its text. Counts the boxes answered.
struct Answerer {
  int answered = 0;
  QString text, title;
  void next(QMessageBox::StandardButton button) {
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [this, timer, button] {
      for (QWidget* top : QApplication::topLevelWidgets()) {
        auto* box = qobject_cast<QMessageBox*>(top);
        if (!box || !box->isVisible()) continue;
        timer->stop();
        timer->deleteLater();
        text = box->text();
        title = box->windowTitle();
        ++answered;
        QAbstractButton* b = box->button(button);
        if (b) QTest::mouseClick(b, Qt::LeftButton);
        else box->reject();
        return;
      }
    });
    timer->start();
  }
};

/// Paints crack into a 4 x 4 square at \p at of the lazily opened volume's labels (one undoable step).
void paintSparse(ui::MainWindow& w, vol::Index3 at) {
  cl::SparseLabels& labels = *w.lazyBrowser()->labels().labels();
  labels.edit(vol::Region::slab(kSize, at.z, at.z + 1), cl::stepname::kPolygonFill,
              [at](cl::LabelEdit& e, const cl::SparseLabels::Window& window) { e.fill({window.toLocal(at), {4, 4, 1}}, cl::kCrack); });
}

} // namespace

class TestUnsavedLabels : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string m_image, m_labels;

  std::unique_ptr<ui::MainWindow> openWindow() {
    auto w = std::make_unique<ui::MainWindow>();
    w->setErrorDialogsEnabled(false);
    w->show();
    if (!QTest::qWaitForWindowExposed(w.get())) qFatal("window not exposed");
    w->lazyBrowser()->open(m_image);
    return w;
  }

private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_unsaved_labels");
    vol::Volume image(kSize, vol::VoxelType::UInt16);
    vol::WriteOptions o;
    o.hdf5Chunk = {16, 16, 8};
    o.pyramidLevels = 2;
    m_image = m_dir.filePath("big.zarr").toStdString();
    vol::writeVolume(image, m_image, o);
    m_labels = cl::sparseLabelPath(m_image);
  }

  void closingWithSparseEditsAsksAndCancelKeepsThem() {
    auto w = openWindow();
    Answerer answer;
    // Nothing painted: closing asks nothing (then reopen for the rest).
    QVERIFY(w->close());
    QCOMPARE(answer.answered, 0);
    w = openWindow();
    paintSparse(*w, {20, 20, 5});
    answer.next(QMessageBox::Cancel);
    QVERIFY(!w->close());
    QCOMPARE(answer.answered, 1);
    QVERIFY2(answer.text.contains(QStringLiteral("big.zarr")), qPrintable(answer.text));
    QVERIFY(w->isVisible());
    QVERIFY(w->lazyBrowser()->isOpen());
    QVERIFY(w->lazyBrowser()->labels().labels()->isModified());
    QCOMPARE(int(w->lazyBrowser()->labels().labels()->at(21, 21, 5)), int(cl::kCrack));
    QVERIFY(chunkFiles(m_labels).empty()); // nothing written
    // Save: only the touched chunk is written, then the window closes.
    answer.next(QMessageBox::Save);
    QVERIFY(w->close());
    QCOMPARE(answer.answered, 2);
    QVERIFY(!w->isVisible());
    const auto saved = chunkFiles(m_labels);
    QCOMPARE(saved.size(), std::size_t(1));
    QVERIFY(saved.count("0/1/1")); // z 5 of chunk layer 0, x/y 20..23 in chunk (1, 1)
    w.reset();
    QCOMPARE(chunkFiles(m_labels), saved); // the window's end writes nothing more
    w = openWindow();
    QCOMPARE(int(w->lazyBrowser()->labels().labels()->at(21, 21, 5)), int(cl::kCrack));
    QVERIFY(!w->lazyBrowser()->labels().labels()->isModified());
  }

  void discardWritesNothing() {
    const auto before = chunkFiles(m_labels);
    QCOMPARE(before.size(), std::size_t(1));
    auto w = openWindow();
    paintSparse(*w, {50, 50, 20}); // another chunk (3, 3, 2)
    paintSparse(*w, {21, 21, 6});  // and the saved one
    Answerer answer;
    answer.next(QMessageBox::Discard);
    QVERIFY(w->close());
    QCOMPARE(answer.answered, 1);
    QVERIFY(!w->lazyBrowser()->labels().labels()->isModified());
    QCOMPARE(int(w->lazyBrowser()->labels().labels()->at(51, 51, 20)), 0); // the edits are gone
    w.reset();
    QCOMPARE(chunkFiles(m_labels), before); // neither chunk written, not even at the window's end
    w = openWindow();
    QCOMPARE(int(w->lazyBrowser()->labels().labels()->at(51, 51, 20)), 0);
    QCOMPARE(int(w->lazyBrowser()->labels().labels()->at(22, 22, 6)), 0);
    QCOMPARE(int(w->lazyBrowser()->labels().labels()->at(21, 21, 5)), int(cl::kCrack));
  }

  void openingAnotherVolumeAsks() {
    auto w = openWindow();
    paintSparse(*w, {40, 8, 12}); // chunk (2, 0, 1)
    Answerer answer;
    // Cancel: the demo does not open, the lazy volume and its edits stay.
    answer.next(QMessageBox::Cancel);
    QVERIFY(!w->openDemo({32, 32, 32}));
    QCOMPARE(answer.answered, 1);
    QVERIFY(w->lazyBrowser()->isOpen());
    QVERIFY(w->lazyBrowser()->labels().labels()->isModified());
    QVERIFY(!chunkFiles(m_labels).count("1/0/2"));
    // Save: the chunk is written, the demo opens in place of the lazy volume.
    answer.next(QMessageBox::Save);
    QVERIFY(w->openDemo({32, 32, 32}));
    QCOMPARE(answer.answered, 2);
    QVERIFY(chunkFiles(m_labels).count("1/0/2"));
    QVERIFY(QTest::qWaitFor([&] { return w->session().hasImage(); }, 30000));
    QVERIFY(!w->lazyBrowser()->isOpen());

    // Dense labels of the in-memory volume: the project's question, through its real dialog.
    w->session().labelVolume()->edit("Paint stroke", [](cl::LabelEdit& e) { e.fill({{1, 1, 1}, {3, 3, 3}}, cl::kCrack); });
    answer.next(QMessageBox::Cancel);
    QVERIFY(!w->openDemo({32, 32, 32}));
    QCOMPARE(answer.answered, 3);
    QCOMPARE(int(w->session().labelVolume()->at(2, 2, 2)), int(cl::kCrack));
    answer.next(QMessageBox::Cancel);
    QVERIFY(!w->close());
    QCOMPARE(answer.answered, 4);
    QVERIFY(w->isVisible());
    answer.next(QMessageBox::Discard);
    QVERIFY(w->close());
    QCOMPARE(answer.answered, 5);
  }
};

QTEST_MAIN(TestUnsavedLabels)
#include "test_unsaved_labels.moc"
