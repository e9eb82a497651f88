// Projects through the window under Xvfb: save + reopen round trip (labels, annotated slices,
// prediction, colours, view settings), the title's "*", the Save / Discard / Cancel question when
// edits would be dropped, autosave, recovery after a simulated crash, the message box of a
// corrupted project (closed by the test), a float prediction from cdnet predict, and the warning
// of a header without a valid spacing. Small volumes (64^3).
#include "core/labels/LabelVolume.h"
#include "core/project/ProjectFile.h"
#include "core/project/RecoveryStore.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/controllers/ProjectController.h"
#include "ui/io/LoadController.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"

#include <QAbstractButton>
#include <QDirIterator>
#include <QMessageBox>
#include <QStatusBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

namespace cl = core::labels;
namespace vol = core::volume;

namespace {

/// A 64^3 uint8 NRRD image with a gradient, in \p dir.
QString writeImage(const QTemporaryDir& dir, const QString& name = QStringLiteral("image.nrrd")) {
  vol::Volume v({64, 64, 64}, vol::VoxelType::UInt8, {0.5, 0.5, 0.5});
  for (std::int64_t z = 0; z < 64; ++z)
    for (std::int64_t y = 0; y < 64; ++y)
      for (std::int64_t x = 0; x < 64; ++x) v.setValueAt(x, y, z, double((x + y + z) % 200));
  const QString path = dir.filePath(name);
  vol::writeVolume(v, path.toStdString());
  return path;
}

bool openImage(ui::MainWindow& w, const QString& path) {
  QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
  if (!w.openPath(path, ui::OpenFlow::Ask::Never)) return false;
  return loaded.wait(30000);
}

/// Waits (at most 20 s) for a visible message box of \p w, returns its text and closes it with its
/// OK button from a timer, as a user would; empty when none appeared.
QString closeMessageBox(ui::MainWindow& w) {
  QString text;
  QEventLoop loop;
  QTimer poll;
  QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
    for (QMessageBox* box : w.findChildren<QMessageBox*>())
      if (box->isVisible()) {
        text = box->text();
        box->button(QMessageBox::Ok)->click();
        loop.quit();
        return;
      }
  });
  QTimer::singleShot(20000, &loop, &QEventLoop::quit);
  poll.start(50);
  loop.exec();
  return text;
}

void writeFile(const QString& path, const QByteArray& content) {
  QFile f(path);
  if (f.open(QIODevice::WriteOnly)) f.write(content);
}

bool sameVoxels(const vol::Volume& a, const vol::Volume& b) {
  return a.size() == b.size() && a.type() == b.type() && std::memcmp(a.data(), b.data(), std::size_t(a.bytes())) == 0;
}

} // namespace

class TestStudioProjects : public QObject {
  Q_OBJECT
  QTemporaryDir m_recovery;

private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_studio_projects");
    qputenv("CDNET_RECOVERY_DIR", m_recovery.path().toUtf8());
  }

  void saveAndReopenRoundTrip() {
    QTemporaryDir dir;
    const QString image = writeImage(dir);
    vol::Volume savedLabels, savedPrediction;
    const QString project = dir.filePath("study.cdnet");
    {
      ui::MainWindow w;
      w.setErrorDialogsEnabled(false);
      w.show();
      QVERIFY(openImage(w, image));
      QCOMPARE(w.windowTitle(), QStringLiteral("image.nrrd \u2014 CDNet Studio"));
      cl::LabelVolume& labels = *w.session().labelVolume();
      labels.edit("Paint stroke", [](cl::LabelEdit& e) {
        e.fill({{10, 10, 10}, {5, 6, 7}}, cl::kCrack);
        e.fill({{30, 30, 30}, {4, 4, 1}}, cl::kNotCrack);
        e.setSliceAnnotated(12, true);
      });
      QVERIFY(w.windowTitle().startsWith("image.nrrd*"));
      vol::Volume pred({64, 64, 64}, vol::VoxelType::UInt8, {0.5, 0.5, 0.5});
      pred.setValueAt(1, 2, 3, 222);
      w.session().setPrediction(std::move(pred));
      w.display().setLabelColour(cl::kCrack, QColor(250, 120, 0));
      w.display().setWindowLevel(100, 60);
      w.cursor().setPosition({7, 8, 9});
      QVERIFY(w.projects().saveAs(project));
      QVERIFY(QFileInfo::exists(project));
      QVERIFY(QFileInfo::exists(dir.filePath("study.labels.nrrd")));
      QVERIFY(QFileInfo::exists(dir.filePath("study.prediction.nrrd")));
      QCOMPARE(w.windowTitle(), QStringLiteral("study \u2014 CDNet Studio"));
      QVERIFY(!w.projects().isModified());
      savedLabels = labels.volume().clone();
      savedPrediction = w.session().prediction()->clone();
      // Another edit: modified again; discard it when closing.
      labels.edit("Paint stroke", [](cl::LabelEdit& e) { e.fill({{0, 0, 0}, {2, 2, 2}}, cl::kCrack); });
      QVERIFY(w.windowTitle().startsWith("study*"));
      w.projects().setUnsavedHandler([](const QString&) { return ui::UnsavedChoice::Discard; });
      QVERIFY(w.close());
    }
    ui::MainWindow w2;
    w2.setErrorDialogsEnabled(false);
    w2.show();
    QSignalSpy opened(&w2.projects(), &ui::ProjectController::projectOpened);
    QVERIFY(w2.projects().openProject(project));
    QVERIFY(opened.wait(30000));
    QCOMPARE(w2.projects().projectPath(), QFileInfo(project).absoluteFilePath());
    QVERIFY(sameVoxels(w2.session().labelVolume()->volume(), savedLabels));
    QVERIFY(w2.session().labelVolume()->isSliceAnnotated(12));
    QVERIFY(!w2.session().labelVolume()->isSliceAnnotated(11));
    QVERIFY(w2.session().prediction());
    QVERIFY(sameVoxels(*w2.session().prediction(), savedPrediction));
    QCOMPARE(w2.display().labelColour(cl::kCrack), QColor(250, 120, 0));
    QCOMPARE(w2.display().window(), 100.0);
    QCOMPARE(w2.display().level(), 60.0);
    QCOMPARE(w2.cursor().position().z, std::int64_t(9));
    QVERIFY(!w2.projects().isModified());
    QCOMPARE(w2.windowTitle(), QStringLiteral("study \u2014 CDNet Studio"));
    // A broken project file: a clear error naming it, nothing changes.
    const QString bad = dir.filePath("bad.cdnet");
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ not json");
    f.close();
    QSignalSpy errors(&w2, &ui::MainWindow::errorReported);
    QVERIFY(!w2.projects().openProject(bad));
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.first().at(1).toString().contains("bad.cdnet"));
    QVERIFY(sameVoxels(w2.session().labelVolume()->volume(), savedLabels));
    QVERIFY(w2.close());
  }

  void corruptedProjectShowsAMessageBox() {
    QTemporaryDir dir;
    const QString image = writeImage(dir);
    ui::MainWindow w; // error dialogs on, as for a user
    w.show();
    // Unreadable: refused at once, the box names the file and the problem.
    const QString bad = dir.filePath("cut.cdnet");
    writeFile(bad, "{\"format\": \"cdnet-project\", \"formatVersion\": 1, \"ima");
    QVERIFY(!w.projects().openProject(bad));
    QString text = closeMessageBox(w);
    QVERIFY2(text.contains("cut.cdnet") && text.contains("not valid JSON"), qPrintable(text));
    QVERIFY(!w.session().hasImage());
    // Readable, but its labels belong to another image: found after the image loaded. The image
    // stays open as a new, unsaved project; the project's files are not taken over, so a Save
    // cannot write over them.
    vol::writeVolume(vol::Volume({64, 64, 10}, vol::VoxelType::UInt8), dir.filePath("other.labels.nrrd").toStdString());
    const QString mismatch = dir.filePath("mismatch.cdnet");
    writeFile(mismatch, QByteArray("{'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'image.nrrd'}, "
                                   "'labels': {'path': 'other.labels.nrrd'}, 'annotatedSlices': [[1, 3]]}")
                            .replace('\'', '"'));
    const QByteArray before = [&] {
      QFile f(mismatch);
      return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
    QVERIFY(w.projects().openProject(mismatch));
    text = closeMessageBox(w);
    QVERIFY2(text.contains("mismatch.cdnet") && text.contains("other.labels.nrrd") && text.contains("64 x 64 x 10"),
             qPrintable(text));
    QVERIFY(w.session().hasImage());
    QVERIFY(w.projects().projectPath().isEmpty());
    QVERIFY(w.projects().project().labelsPath.empty());
    QVERIFY(!w.session().labelVolume()->isSliceAnnotated(2));
    QCOMPARE(w.windowTitle(), QStringLiteral("image.nrrd \u2014 CDNet Studio"));
    QFile f(mismatch);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
  }

  void projectReadsTheFloatPredictionOfCdnetPredict() {
    QTemporaryDir dir;
    writeImage(dir);
    vol::Volume prob({64, 64, 64}, vol::VoxelType::Float32, {0.5, 0.5, 0.5});
    prob.setValueAt(5, 6, 7, 0.75);
    prob.setValueAt(8, 8, 8, 1.0);
    vol::writeVolume(prob, dir.filePath("cracks.nrrd").toStdString());
    const QString project = dir.filePath("study.cdnet");
    writeFile(project, QByteArray("{'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'image.nrrd'}, "
                                  "'prediction': {'path': 'cracks.nrrd'}}")
                           .replace('\'', '"'));
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QSignalSpy errors(&w, &ui::MainWindow::errorReported);
    QSignalSpy opened(&w.projects(), &ui::ProjectController::projectOpened);
    QVERIFY(w.projects().openProject(project));
    QVERIFY(opened.wait(30000));
    QCOMPARE(errors.count(), 0);
    const vol::Volume* p = w.session().prediction();
    QVERIFY(p);
    QCOMPARE(p->type(), vol::VoxelType::UInt8);
    QCOMPARE(p->valueAt(5, 6, 7), 191.0); // 0.75 * 255, rounded
    QCOMPARE(p->valueAt(8, 8, 8), 255.0);
    QCOMPARE(p->valueAt(0, 0, 0), 0.0);
    // Saving keeps pointing at the user's file and never rewrites it.
    const QDateTime written = QFileInfo(dir.filePath("cracks.nrrd")).lastModified();
    QVERIFY(w.projects().save());
    QCOMPARE(QString::fromStdString(w.projects().project().predictionPath), dir.filePath("cracks.nrrd"));
    QCOMPARE(QFileInfo(dir.filePath("cracks.nrrd")).lastModified(), written);
    QVERIFY(w.close());
  }

  void headerWithoutSpacingWarnsAndUsesOne() {
    QTemporaryDir dir;
    const QString image = writeImage(dir);
    QFile f(image);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    const int at = bytes.indexOf("space directions:");
    QVERIFY(at > 0);
    const int end = bytes.indexOf('\n', at);
    bytes.replace(at, end - at, "space directions: (nan,0,0) (0,0,0) (0,0,0.5)");
    f.seek(0);
    f.write(bytes);
    f.resize(bytes.size());
    f.close();
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(openImage(w, image));
    QCOMPARE(w.session().image().spacing().x, 1.0);
    QCOMPARE(w.session().image().spacing().y, 1.0);
    QCOMPARE(w.session().image().spacing().z, 0.5);
    QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains("image.nrrd") &&
                                 w.statusBar()->currentMessage().contains("spacing"),
                             5000);
  }

  void unsavedChangesQuestion() {
    QTemporaryDir dir;
    const QString image = writeImage(dir);
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(openImage(w, image));
    int asked = 0;
    ui::UnsavedChoice answer = ui::UnsavedChoice::Cancel;
    QStringList names;
    w.projects().setUnsavedHandler([&](const QString& name) {
      ++asked;
      names << name;
      return answer;
    });
    // No edits: nobody is asked.
    QVERIFY(w.projects().maybeSave());
    QCOMPARE(asked, 0);
    w.session().labelVolume()->edit("Paint stroke", [](cl::LabelEdit& e) { e.fill({{1, 1, 1}, {3, 3, 3}}, cl::kCrack); });
    // Cancel: opening another dataset and closing are refused; the labels stay.
    QVERIFY(!w.openDemo({32, 32, 32}));
    QCOMPARE(asked, 1);
    QVERIFY(!w.close());
    QVERIFY(w.isVisible());
    QCOMPARE(asked, 2);
    QCOMPARE(names.first(), QStringLiteral("image.nrrd"));
    QCOMPARE(int(w.session().labelVolume()->at(2, 2, 2)), int(cl::kCrack));
    // Save without a project path asks for one, then saves there.
    answer = ui::UnsavedChoice::Save;
    const QString project = dir.filePath("saved.cdnet");
    w.projects().setSaveAsPathProvider([&] { return project; });
    QVERIFY(w.projects().maybeSave());
    QVERIFY(QFileInfo::exists(project));
    QVERIFY(!w.projects().isModified());
    // Discard: the window closes.
    w.session().labelVolume()->edit("Paint stroke", [](cl::LabelEdit& e) { e.fill({{5, 5, 5}, {3, 3, 3}}, cl::kCrack); });
    answer = ui::UnsavedChoice::Discard;
    QVERIFY(w.close());
    QVERIFY(!w.isVisible());
  }

  void autosaveWritesRecovery() {
    QTemporaryDir dir;
    const QString image = writeImage(dir);
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(openImage(w, image));
    QCOMPARE(w.projects().autosaveInterval(), 3 * 60 * 1000);
    QVERIFY(!w.projects().autosaveNow()); // nothing edited yet
    w.session().labelVolume()->edit("Paint stroke", [](cl::LabelEdit& e) { e.fill({{1, 1, 1}, {3, 3, 3}}, cl::kCrack); });
    QVERIFY(w.projects().autosaveNow());
    QVERIFY(!w.projects().autosaveNow()); // unchanged since
    const std::string key = QFileInfo(image).absoluteFilePath().toStdString();
    const QString folder = QString::fromStdString(cl::RecoveryStore(key, m_recovery.path().toStdString()).directory());
    QVERIFY(QDir(folder).exists());
    QVERIFY(!QDir(folder).entryList(QDir::Files).isEmpty());
    // A clean close removes this session's recovery data.
    w.projects().setUnsavedHandler([](const QString&) { return ui::UnsavedChoice::Discard; });
    QVERIFY(w.close());
    QVERIFY(!QDir(folder).exists());
  }

  void recoveryOfferedAfterCrash() {
    QTemporaryDir dir;
    const QString image = writeImage(dir);
    const std::string imagePath = QFileInfo(image).absoluteFilePath().toStdString();
    // What a crashed session left: its last autosave, no clean end (and no live process).
    vol::Volume crashed({64, 64, 64}, vol::VoxelType::UInt8, {0.5, 0.5, 0.5});
    for (std::int64_t x = 20; x < 40; ++x) crashed.setValueAt(x, 33, 44, cl::kCrack);
    {
      cl::LabelVolume labels(std::move(crashed), {44});
      cl::ProjectFile project;
      project.imagePath = imagePath;
      project.annotatedSlices = {44};
      cl::RecoveryStore store(imagePath, m_recovery.path().toStdString());
      store.write(cl::RecoveryStore::capture(labels, project, imagePath, ""));
    }
    QCOMPARE(cl::RecoveryStore::findRecoverable(m_recovery.path().toStdString()).size(), std::size_t(1));

    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    std::vector<cl::RecoveryInfo> offered;
    w.projects().setRecoveryHandler([&](const cl::RecoveryInfo& info) {
      offered.push_back(info);
      return ui::RecoveryChoice::Recover;
    });
    QSignalSpy opened(&w.projects(), &ui::ProjectController::projectOpened);
    QVERIFY(w.projects().offerRecovery());
    QCOMPARE(int(offered.size()), 1);
    QCOMPARE(offered[0].imagePath, imagePath);
    QVERIFY(opened.wait(30000));
    const cl::LabelVolume& labels = *w.session().labelVolume();
    QCOMPARE(int(labels.at(25, 33, 44)), int(cl::kCrack));
    QCOMPARE(int(labels.at(25, 34, 44)), 0);
    QVERIFY(labels.isSliceAnnotated(44));
    // Recovered work is unsaved and one undoable step.
    QVERIFY(w.projects().isModified());
    QVERIFY(w.windowTitle().contains('*'));
    QCOMPARE(QString::fromStdString(labels.undoStack().undoName()), QStringLiteral("Recover autosaved labels"));
    // The crashed session's data is gone: nothing is offered twice.
    int again = 0;
    w.projects().setRecoveryHandler([&](const cl::RecoveryInfo&) {
      ++again;
      return ui::RecoveryChoice::Later;
    });
    QVERIFY(!w.projects().offerRecovery());
    QCOMPARE(again, 0);
    w.projects().setUnsavedHandler([](const QString&) { return ui::UnsavedChoice::Discard; });
    QVERIFY(w.close());
  }
};

int main(int argc, char** argv) {
  ui::VtkHostWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestStudioProjects t;
  return QTest::qExec(&t, argc, argv);
}
#include "test_studio_projects.moc"
