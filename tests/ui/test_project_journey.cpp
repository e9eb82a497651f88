// The journey of issue 22 through the real window under Xvfb: open a small phantom volume from a
// file, paint a stroke with the mouse, train briefly from the Train button (base 8, CPU, a few
// steps) before the first save, run the particle analysis, move and show docks, save, close, and
// reopen the project in a new window: the model (copied next to the project), the training
// settings, the analysis with its parameters and the dock layout come back. Then the bad inputs:
// a damaged or missing model file and a missing analysis table open the rest with a message
// naming the file; a project as older versions wrote it still opens. And closing with a trained
// model that is not saved asks, as unsaved labels do.
#include "core/labels/LabelEdit.h"
#include "core/labels/LabelVolume.h"
#include "core/project/ProjectFile.h"
#include "core/ml/Model.h"
#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/controllers/PredictionController.h"
#include "ui/controllers/ProjectController.h"
#include "ui/controllers/ProjectExtras.h"
#include "ui/controllers/TrainingController.h"
#include "ui/io/LoadController.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/Session.h"
#include "ui/panels/PredictionPanel.h"
#include "ui/panels/StatisticsPanel.h"
#include "ui/panels/TrainingDock.h"
#include "ui/panels/TrainingPanel.h"
#include "ui/tools/LabelEditor.h"
#include "ui/tools/ToolSettings.h"

#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <memory>

namespace vol = core::volume;
namespace cl = core::labels;

namespace {

constexpr vol::Size3 kSize{64, 64, 24};

vol::Volume phantomImage() {
  core::phantom::PhantomOptions o = core::phantom::presetOptions(core::phantom::PhantomPreset::Simple);
  o.size = kSize;
  o.seed = 5;
  o.particleRadiusMin = 8;
  o.particleRadiusMax = 14;
  o.imageType = vol::VoxelType::UInt8;
  return core::phantom::generatePhantom(o).image;
}

bool openImage(ui::MainWindow& w, const QString& path) {
  QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
  return w.openPath(path, ui::OpenFlow::Ask::Never) && loaded.wait(30000);
}

void showActive(ui::MainWindow& w) {
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  w.activateWindow();
  QApplication::setActiveWindow(&w);
}

/// A crack stroke with the mouse on slice \p z, and not-crack around it (the API), so training has
/// both classes.
void paintStroke(ui::MainWindow& w, std::int64_t z) {
  w.display().setCrosshairVisible(false);
  w.cursor().setPosition({32, 32, z});
  w.labelEditor().settings().setTool(ui::ToolKind::Brush);
  w.labelEditor().settings().setSize(3);
  w.labelEditor().settings().setActiveClass(cl::kCrack);
  ui::SliceView* xy = w.sliceView(ui::SliceOrientation::XY);
  const auto at = [&](int x, int y) { return xy->widgetPosition({x, y, z}).toPoint(); };
  QTest::mousePress(xy, Qt::LeftButton, {}, at(10, 30));
  for (int x = 15; x <= 50; x += 5) QTest::mouseMove(xy, at(x, 30));
  QTest::mouseRelease(xy, Qt::LeftButton, {}, at(50, 30));
  w.session().labelVolume()->edit("Background", [&](cl::LabelEdit& e) { e.fill({{4, 40, z}, {56, 20, 1}}, cl::kNotCrack); });
}

/// Trains from the panel's Train button: base 8, CPU, one epoch of 3 steps. Returns the checkpoint.
QString trainBriefly(ui::MainWindow& w, int crop) {
  auto* dock = w.findChild<ui::TrainingDock*>();
  ui::TrainingSettings s = dock->trainingPanel()->settings();
  s.baseWidth = 8;
  s.epochs = 1;
  s.iterationsPerEpoch = 3;
  s.batch = 2;
  s.crop = crop;
  s.valFraction = 0;
  s.augment = false;
  s.device = core::ml::DeviceRequest::Cpu;
  dock->trainingPanel()->setSettings(s);
  QSignalSpy ready(&dock->training(), &ui::TrainingController::modelReady);
  QTest::mouseClick(dock->trainingPanel()->trainButton(), Qt::LeftButton);
  if (!ready.wait(90000)) return {};
  dock->training().wait();
  return dock->prediction().checkpoint();
}

/// True when the prediction panel says there is no model.
bool saysNoModel(ui::MainWindow& w) {
  for (QLabel* l : w.findChild<ui::TrainingDock*>()->predictionPanel()->findChildren<QLabel*>())
    if (l->text().startsWith(QStringLiteral("No model yet"))) return true;
  return false;
}

struct Reopened {
  std::unique_ptr<ui::MainWindow> w;
  std::shared_ptr<QStringList> errorList = std::make_shared<QStringList>();
  QString errors() const { return errorList->join(QLatin1Char('\n')); }
};

/// A new window that opens \p project (null when it did not open); errors are collected.
Reopened reopen(const QString& project) {
  Reopened r;
  r.w = std::make_unique<ui::MainWindow>();
  r.w->setErrorDialogsEnabled(false);
  QObject::connect(r.w.get(), &ui::MainWindow::errorReported,
                   [errors = r.errorList](const QString&, const QString& m) { *errors << m; });
  r.w->show();
  QSignalSpy opened(&r.w->projects(), &ui::ProjectController::projectOpened);
  if (!r.w->projects().openProject(project) || !opened.wait(30000)) r.w.reset();
  return r;
}

} // namespace

class TestProjectJourney : public QObject {
  Q_OBJECT
  QTemporaryDir m_recovery, m_hidden;

private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_project_journey");
    qputenv("CDNET_RECOVERY_DIR", m_recovery.path().toUtf8());
    QVERIFY(m_hidden.isValid());
  }

  void journeyRestoresModelSettingsAnalysisAndLayout() {
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("phantom.nrrd"));
    vol::writeVolume(phantomImage(), image.toStdString());
    const QString project = dir.filePath(QStringLiteral("study.cdnet"));
    vol::Volume savedLabels, savedParticles;
    std::int64_t particleRows = 0;
    {
      ui::MainWindow w;
      w.setErrorDialogsEnabled(false);
      showActive(w);
      QVERIFY(openImage(w, image));
      paintStroke(w, 12);
      QVERIFY(w.session().labelVolume()->at(30, 30, 12) == cl::kCrack);
      auto* dock = w.findChild<ui::TrainingDock*>();
      // Trained before the first save: the run goes to a folder outside the project's (the user's
      // data directory in the studio).
      dock->training().setModelsFolder(m_hidden.path());
      const QString trained = trainBriefly(w, 64);
      QVERIFY(!trained.isEmpty());
      QVERIFY(trained.startsWith(m_hidden.path()));
      QVERIFY(!saysNoModel(w));
      QVERIFY(w.projects().extras().hasUnsavedModel());
      QVERIFY(w.windowTitle().contains(QLatin1Char('*')));
      // The analysis, with parameters that differ from the defaults.
      ui::StatisticsPanel* stats = w.statisticsPanel();
      auto o = stats->options();
      o.segmentation.minVolume = 150;
      o.segmentation.contactRatio = 0.7;
      o.binWidthUm = 3;
      stats->setOptions(o);
      stats->setCrackSource(ui::CrackSource::Labels);
      QSignalSpy analysed(&stats->controller(), &ui::AnalysisController::completed);
      QVERIFY(stats->runAnalysis());
      QTRY_COMPARE_WITH_TIMEOUT(analysed.count(), 1, 60000);
      particleRows = stats->layer().table().rowCount();
      QVERIFY(particleRows > 0);
      savedParticles = stats->layer().labels().clone();
      // The layout: Statistics hidden (shown at first start), Train and predict moved to the left.
      auto* statsDock = w.findChild<QDockWidget*>(QStringLiteral("statisticsDock"));
      QVERIFY(statsDock && statsDock->isVisible());
      statsDock->hide();
      w.addDockWidget(Qt::LeftDockWidgetArea, dock);
      QCOMPARE(w.dockWidgetArea(dock), Qt::LeftDockWidgetArea);

      QVERIFY(w.projects().saveAs(project));
      const QString kept = ui::ProjectExtras::modelsFolder(project);
      QVERIFY2(dock->prediction().checkpoint().startsWith(kept + QLatin1Char('/')), qPrintable(dock->prediction().checkpoint()));
      QVERIFY(QFileInfo::exists(dock->prediction().checkpoint()));
      // The current model is the copy now: the panel names it.
      QCOMPARE(QString::fromStdString(dock->prediction().model().source()), dock->prediction().checkpoint());
      bool named = false;
      for (QLabel* l : dock->predictionPanel()->findChildren<QLabel*>()) named = named || l->text().contains(kept);
      QVERIFY(named);
      QVERIFY2(w.statusBar()->currentMessage().contains(dock->prediction().checkpoint()),
               qPrintable(w.statusBar()->currentMessage())); // says where the model is
      QVERIFY(!w.projects().extras().hasUnsavedModel());
      QVERIFY(!w.projects().isModified());
      savedLabels = w.session().labelVolume()->volume().clone();
      // Nothing is unsaved: closing does not ask.
      int asked = 0;
      w.projects().setUnsavedHandler([&](const QString&) {
        ++asked;
        return ui::UnsavedChoice::Cancel;
      });
      QVERIFY(w.close());
      QCOMPARE(asked, 0);
    }
    const cl::ProjectFile file = cl::ProjectFile::load(project.toStdString());
    QVERIFY(!file.modelPaths.empty());
    QVERIFY(file.training && file.analysis);

    Reopened r = reopen(project);
    QVERIFY(r.w);
    QVERIFY2(r.errors().isEmpty(), qPrintable(r.errors()));
    ui::MainWindow& w = *r.w;
    auto* dock = w.findChild<ui::TrainingDock*>();
    // The model: loaded from the file next to the project, and the panel says so.
    QVERIFY(!dock->prediction().model().empty());
    const QString checkpoint = dock->prediction().checkpoint();
    QVERIFY2(checkpoint.startsWith(ui::ProjectExtras::modelsFolder(project) + QLatin1Char('/')), qPrintable(checkpoint));
    QCOMPARE(dock->prediction().model().options().baseWidth, 8);
    QVERIFY(!core::ml::Model::load(checkpoint.toStdString()).empty());
    QVERIFY(!saysNoModel(w));
    // The training settings.
    const ui::TrainingSettings s = dock->trainingPanel()->settings();
    QCOMPARE(s.crop, 64);
    QCOMPARE(s.baseWidth, 8);
    QCOMPARE(s.iterationsPerEpoch, 3);
    QVERIFY(s.device == core::ml::DeviceRequest::Cpu);
    QVERIFY(!s.augment);
    // The analysis and its parameters.
    ui::StatisticsPanel* stats = w.statisticsPanel();
    QCOMPARE(stats->layer().table().rowCount(), particleRows);
    QCOMPARE(stats->proxy()->rowCount(), int(particleRows));
    QCOMPARE(std::memcmp(stats->layer().labels().data(), savedParticles.data(), std::size_t(savedParticles.bytes())), 0);
    QCOMPARE(stats->layer().options().segmentation.minVolume, std::int64_t(150));
    QCOMPARE(stats->options().segmentation.minVolume, std::int64_t(150));
    QCOMPARE(stats->options().binWidthUm, 3.0);
    QCOMPARE(stats->layer().options().segmentation.contactRatio, 0.7);
    QCOMPARE(stats->options().segmentation.contactRatio, 0.7);
    QVERIFY(stats->crackSource() == ui::CrackSource::Labels);
    QVERIFY(stats->layer().depthProfile().rowCount() > 0);
    // The layout.
    auto* statsDock = w.findChild<QDockWidget*>(QStringLiteral("statisticsDock"));
    QVERIFY(statsDock->isHidden());
    QCOMPARE(w.dockWidgetArea(dock), Qt::LeftDockWidgetArea);
    // The labels, of course.
    QCOMPARE(std::memcmp(w.session().labelVolume()->volume().data(), savedLabels.data(), std::size_t(savedLabels.bytes())), 0);
    QVERIFY(!w.projects().isModified());
    QVERIFY(w.close());
    r.w.reset();

    // A damaged model: the rest opens, the message names the file.
    {
      QFile f(checkpoint);
      QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
      f.write("not a checkpoint");
    }
    Reopened damaged = reopen(project);
    QVERIFY(damaged.w);
    QVERIFY2(damaged.errors().contains(checkpoint), qPrintable(damaged.errors()));
    QVERIFY(damaged.w->findChild<ui::TrainingDock*>()->prediction().model().empty());
    QVERIFY(saysNoModel(*damaged.w));
    QCOMPARE(std::memcmp(damaged.w->session().labelVolume()->volume().data(), savedLabels.data(), std::size_t(savedLabels.bytes())), 0);
    QCOMPARE(damaged.w->statisticsPanel()->layer().table().rowCount(), particleRows);
    QCOMPARE(damaged.w->findChild<ui::TrainingDock*>()->trainingPanel()->settings().crop, 64);
    damaged.w->close();
    damaged.w.reset();

    // A missing model and a missing analysis table: both named, labels kept.
    QVERIFY(QFile::remove(checkpoint));
    QVERIFY(QFile::remove(QString::fromStdString(file.analysis->tablePath)));
    Reopened missing = reopen(project);
    QVERIFY(missing.w);
    const QString all = missing.errors();
    QVERIFY2(all.contains(checkpoint) && all.contains(QString::fromStdString(file.analysis->tablePath)), qPrintable(all));
    QVERIFY(missing.w->statisticsPanel()->layer().isEmpty());
    QCOMPARE(std::memcmp(missing.w->session().labelVolume()->volume().data(), savedLabels.data(), std::size_t(savedLabels.bytes())), 0);
    missing.w->close();
    missing.w.reset();

    // A project as older versions wrote it (no training, no analysis, no docks, no models).
    const QString old = dir.filePath(QStringLiteral("old.cdnet"));
    {
      QFile f(old);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QStringLiteral(R"({"format": "cdnet-project", "formatVersion": 1, "image": {"path": "phantom.nrrd"},
                    "labels": {"path": "study.labels.nrrd"}, "models": [], "annotatedSlices": [],
                    "view": {"window": 200, "level": 100}})")
                  .toUtf8());
    }
    Reopened older = reopen(old);
    QVERIFY(older.w);
    QVERIFY2(older.errors().isEmpty(), qPrintable(older.errors()));
    QCOMPARE(std::memcmp(older.w->session().labelVolume()->volume().data(), savedLabels.data(), std::size_t(savedLabels.bytes())), 0);
    QCOMPARE(older.w->findChild<ui::TrainingDock*>()->trainingPanel()->settings().crop, ui::TrainingSettings{}.crop);
    older.w->close();
  }

  void closingWithAnUnsavedModelAsks() {
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("phantom.nrrd"));
    vol::writeVolume(phantomImage(), image.toStdString());
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    showActive(w);
    QVERIFY(openImage(w, image));
    paintStroke(w, 8);
    // The labels are saved first: what is left unsaved is the model alone.
    QVERIFY(w.projects().saveAs(dir.filePath(QStringLiteral("q.cdnet"))));
    QVERIFY(!w.projects().isModified());
    int asked = 0;
    ui::UnsavedChoice answer = ui::UnsavedChoice::Cancel;
    w.projects().setUnsavedHandler([&](const QString&) {
      ++asked;
      return answer;
    });
    QVERIFY(w.projects().maybeSave()); // nothing unsaved yet
    QCOMPARE(asked, 0);
    w.findChild<ui::TrainingDock*>()->training().setModelsFolder(m_hidden.filePath(QStringLiteral("q")));
    QVERIFY(!trainBriefly(w, 32).isEmpty());
    QVERIFY(w.projects().isModified());
    QVERIFY(w.windowTitle().startsWith(QStringLiteral("q*")));
    // Cancel: the window stays, and opening another volume is refused too.
    QVERIFY(!w.close());
    QCOMPARE(asked, 1);
    QVERIFY(w.isVisible());
    QVERIFY(!w.openDemo({32, 32, 32}));
    QCOMPARE(asked, 2);
    // A checkpoint that vanished before Save: the labels are saved, the message names the file, and
    // the model still counts as unsaved.
    const QString trained = w.findChild<ui::TrainingDock*>()->prediction().checkpoint();
    QVERIFY(QFile::rename(trained, trained + QStringLiteral(".aside")));
    QStringList errors;
    connect(&w, &ui::MainWindow::errorReported, this, [&](const QString&, const QString& m) { errors << m; });
    QVERIFY(w.projects().save());
    QVERIFY2(errors.join('\n').contains(trained), qPrintable(errors.join('\n')));
    QVERIFY(w.projects().isModified());
    QVERIFY(QFile::rename(trained + QStringLiteral(".aside"), trained));
    // Save: the model goes next to the project; then closing asks no more.
    answer = ui::UnsavedChoice::Save;
    QVERIFY(w.close());
    QCOMPARE(asked, 3);
    QVERIFY(QFileInfo::exists(w.findChild<ui::TrainingDock*>()->prediction().checkpoint()));
    QVERIFY(w.findChild<ui::TrainingDock*>()->prediction().checkpoint().startsWith(dir.filePath(QStringLiteral("q.models/"))));
    QVERIFY(!w.projects().isModified());
  }
};

QTEST_MAIN(TestProjectJourney)
#include "test_project_journey.moc"
