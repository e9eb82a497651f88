#include "ui/controllers/ProjectController.h"

#include "core/project/ProjectIO.h"
#include "ui/Studio.h"
#include "ui/controllers/ProjectExtras.h"
#include "ui/controllers/ProjectWindow.h"
#include "ui/controllers/TrainingController.h"
#include "ui/io/LoadController.h"
#include "ui/io/ProjectName.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"

#include <QAction>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

#include <exception>

namespace ui {

namespace cl = core::labels;

namespace {

const char* kRecentKey = "projects/recent";
const char* const kProjectFilter = QT_TRANSLATE_NOOP("ui::ProjectController", "CDNet projects (*.cdnet)");
constexpr const char* kRecoverStep = "Recover autosaved labels";

QString stripExtension(const QString& path) {
  return path.endsWith(QLatin1String(".cdnet")) ? path.left(path.size() - 6) : path;
}

} // namespace

ProjectController::ProjectController(Studio& studio, ProjectWindow& window)
    : QObject(&window.mainWindow()), m_studio(studio), m_window(window), m_main(window.mainWindow()) {
  m_extras = new ProjectExtras(studio, window, this);
  m_unsavedHandler = [this](const QString& name) {
    const cl::LabelVolume* l = m_studio.session().labelVolume();
    const bool labels = l && l->isModified(), model = m_extras->hasUnsavedModel();
    const QString text =
        !model ? tr("The labels of %1 have unsaved changes. Save them?").arg(name)
               : (labels ? tr("The labels and the trained model of %1 are not saved. Save the project? (The model "
                              "is kept in a folder next to the project file.)")
                         : tr("The model trained on %1 is not saved with the project. Save the project? (The model "
                              "is kept in a folder next to the project file.)"))
                     .arg(name);
    const auto answer = QMessageBox::question(
        &m_main, tr("Unsaved changes"), text,
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    return answer == QMessageBox::Save ? UnsavedChoice::Save
                                       : (answer == QMessageBox::Discard ? UnsavedChoice::Discard : UnsavedChoice::Cancel);
  };
  m_recoveryHandler = [this](const cl::RecoveryInfo& info) {
    const QString what = QString::fromStdString(info.projectPath.empty() ? info.imagePath : info.projectPath);
    QMessageBox box(QMessageBox::Question, tr("Recover unsaved work"),
                    tr("CDNet Studio did not close properly. Labels of %1 were autosaved at %2.\nRecover them?")
                        .arg(what, QDateTime::fromSecsSinceEpoch(info.savedAtUnix).toString()),
                    QMessageBox::NoButton, &m_main);
    QPushButton* recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
    QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box.addButton(tr("Later"), QMessageBox::RejectRole);
    box.exec();
    if (box.clickedButton() == recover) return RecoveryChoice::Recover;
    return box.clickedButton() == discard ? RecoveryChoice::Discard : RecoveryChoice::Later;
  };
  m_savePath = [this] {
    return QFileDialog::getSaveFileName(&m_main, tr("Save project"), defaultProjectPath(m_studio.session().name()),
                                        tr(kProjectFilter));
  };
  m_autosave = new QTimer(this);
  m_autosave->setInterval(QSettings().value("labels/autosaveMinutes", 3).toInt() * 60 * 1000);
  connect(m_autosave, &QTimer::timeout, this, &ProjectController::autosaveNow);

  Session& s = m_studio.session();
  connect(&s, &Session::datasetChanged, this, &ProjectController::onDatasetChanged);
  connect(&s, &Session::undoStateChanged, this, &ProjectController::updateTitle);
  connect(m_extras, &ProjectExtras::unsavedModelChanged, this, &ProjectController::updateTitle);
  connect(&s, &Session::predictionChanged, this, [this] { m_predictionDirty = true; });
  auto dropPending = [this] {
    m_pendingProject.reset();
    m_pendingRecovery.reset();
  };
  connect(&m_studio.loader(), &LoadController::failed, this, dropPending);
  connect(&m_studio.loader(), &LoadController::cancelled, this, dropPending);
  createActions();
  // Checkpoints go into "<project>.models" next to the project file once one is opened or saved.
  auto followModels = [this](const QString& path) {
    m_studio.training().setModelsFolder(ProjectExtras::modelsFolder(path));
  };
  connect(this, &ProjectController::projectOpened, this, followModels);
  connect(this, &ProjectController::saved, this, followModels);
}

ProjectController::~ProjectController() = default;

void ProjectController::createActions() {
  QMenu* file = m_main.menuBar()->actions().isEmpty() ? nullptr : m_main.menuBar()->actions().first()->menu();
  if (!file) return;
  QAction* before = nullptr;
  for (QAction* a : file->actions())
    if (a->isSeparator()) {
      before = a;
      break;
    }
  auto add = [&](QAction* a) { file->insertAction(before, a); };
  add(file->insertSeparator(before));
  auto* newProject = new QAction(tr("&New project"), this);
  newProject->setShortcut(QKeySequence::New);
  connect(newProject, &QAction::triggered, this, &ProjectController::newProject);
  auto* open = new QAction(tr("Open pro&ject\u2026"), this);
  open->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  connect(open, &QAction::triggered, this, [this] {
    const QString path = QFileDialog::getOpenFileName(&m_main, tr("Open project"), QString(), tr(kProjectFilter));
    if (!path.isEmpty()) openProject(path);
  });
  auto* save = new QAction(tr("&Save project"), this);
  save->setShortcut(QKeySequence::Save);
  connect(save, &QAction::triggered, this, &ProjectController::save);
  auto* saveAs = new QAction(tr("Save project &as\u2026"), this);
  saveAs->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
  connect(saveAs, &QAction::triggered, this, [this] {
    const QString path = m_savePath();
    if (!path.isEmpty()) this->saveAs(path);
  });
  add(newProject);
  add(open);
  m_recentMenu = new QMenu(tr("Recent pro&jects"), file);
  connect(m_recentMenu, &QMenu::aboutToShow, this, &ProjectController::rebuildRecentMenu);
  file->insertMenu(before, m_recentMenu);
  add(save);
  add(saveAs);
}

bool ProjectController::isModified() const {
  const cl::LabelVolume* l = m_studio.session().labelVolume();
  return (l && l->isModified()) || m_extras->hasUnsavedModel();
}

bool ProjectController::maybeSave() {
  if (m_otherUnsaved && !m_otherUnsaved()) return false;
  if (!isModified()) return true;
  const QString name = m_projectPath.isEmpty() ? QFileInfo(m_studio.session().name()).fileName()
                                               : QFileInfo(m_projectPath).fileName();
  switch (m_unsavedHandler(name)) {
  case UnsavedChoice::Save: return save();
  case UnsavedChoice::Discard: return true;
  case UnsavedChoice::Cancel: return false;
  }
  return false;
}

bool ProjectController::newProject() {
  if (!maybeSave()) return false;
  m_studio.session().close();
  return true;
}

bool ProjectController::openProject(const QString& path) {
  if (m_studio.jobs().isBusy() || !maybeSave()) return false;
  cl::ProjectFile project;
  try {
    project = cl::ProjectFile::load(path.toStdString());
  } catch (const std::exception& e) {
    fail(tr("Cannot open project"), QString::fromStdString(e.what()));
    return false;
  }
  LoadRequest request = LoadRequest::file(QString::fromStdString(project.imagePath));
  request.open = project.imageOpen;
  request.read = project.imageRead;
  m_pendingRecovery.reset();
  m_pendingProject = std::move(project);
  m_pendingPath = QFileInfo(path).absoluteFilePath();
  if (!m_studio.loader().load(request)) {
    m_pendingProject.reset();
    return false;
  }
  return true;
}

void ProjectController::onDatasetChanged() {
  Session& s = m_studio.session();
  m_extras->forgetUnsavedModel(); // asked before the dataset was dropped
  if (!s.hasImage()) {
    m_project = cl::ProjectFile{};
    m_projectPath.clear();
    m_pendingProject.reset();
    m_pendingRecovery.reset();
    restartRecovery();
    updateTitle();
    return;
  }
  if (m_pendingProject || m_pendingRecovery) {
    applyPending();
  } else {
    // A plain volume: a new, unsaved project on it.
    m_project = cl::ProjectFile{};
    m_projectPath.clear();
    const LoadRequest& r = m_studio.loader().currentRequest();
    if (r.kind == LoadRequest::Kind::File && r.path == s.name()) {
      m_project.imagePath = QFileInfo(r.path).absoluteFilePath().toStdString();
      m_project.imageOpen = r.open;
      m_project.imageRead = r.read;
    }
  }
  m_predictionDirty = false;
  restartRecovery();
  updateTitle();
}

void ProjectController::applyPending() {
  Session& s = m_studio.session();
  cl::LabelVolume& labels = *s.labelVolume();
  QString opened;
  QStringList problems;
  if (m_pendingProject) {
    cl::ProjectFile project = std::move(*m_pendingProject);
    const QString path = m_pendingPath;
    m_pendingProject.reset();
    // Everything is read before anything changes: a project that fails leaves the image open as
    // a new, unsaved project, never a half-applied one that Save would write over the good files.
    std::unique_ptr<cl::LabelVolume> loaded;
    std::optional<core::volume::Volume> prediction;
    bool predictionMissing = false;
    try {
      loaded = cl::loadProjectLabels(project, s.image().info());
      if (!project.predictionPath.empty()) {
        if (QFileInfo::exists(QString::fromStdString(project.predictionPath)))
          prediction = cl::readPredictionFile(project.predictionPath, s.image().info());
        else
          predictionMissing = true;
      }
    } catch (const std::exception& e) {
      m_project = cl::ProjectFile{};
      m_project.imagePath = project.imagePath;
      m_project.imageOpen = project.imageOpen;
      m_project.imageRead = project.imageRead;
      m_projectPath.clear();
      fail(tr("Cannot open project"), tr("Cannot open the project %1:\n%2").arg(path, QString::fromStdString(e.what())));
      return;
    }
    m_project = std::move(project);
    m_projectPath = path;
    labels.reset(loaded->volume(), loaded->annotatedSlices());
    labels.markSaved();
    if (prediction) s.setPrediction(std::move(*prediction));
    if (predictionMissing) {
      m_main.statusBar()->showMessage(
          tr("The project's prediction %1 is missing: opened without it.").arg(QString::fromStdString(m_project.predictionPath)),
          8000);
      m_project.predictionPath.clear();
    }
    problems = m_extras->open(m_project);
    addRecent(m_projectPath);
    opened = m_projectPath;
  } else {
    cl::RecoveredWork work = std::move(*m_pendingRecovery);
    m_pendingRecovery.reset();
    m_project = work.project;
    m_projectPath = QString::fromStdString(work.info.projectPath);
    try {
      // One undoable step, and the work counts as unsaved.
      labels.edit(kRecoverStep, [&](cl::LabelEdit& e) {
        e.assign(work.labels);
        for (std::int64_t z : work.project.annotatedSlices) e.setSliceAnnotated(z, true);
      });
    } catch (const std::exception& e) {
      fail(tr("Cannot recover"), QString::fromStdString(e.what()));
      return;
    }
    cl::RecoveryStore::discard(work.info);
    opened = m_projectPath.isEmpty() ? s.name() : m_projectPath;
  }
  for (const cl::LabelClassInfo& c : m_project.labelClasses)
    if (c.value > 0)
      m_studio.display().setLabelColour(c.value, QColor(int(c.rgba >> 24), int(c.rgba >> 16) & 255, int(c.rgba >> 8) & 255,
                                                        int(c.rgba & 255)));
  applyViewSettings();
  if (!problems.isEmpty()) {
    m_main.statusBar()->showMessage(problems.join(QLatin1Char(' ')), 15000);
    fail(tr("Project opened without some of its files"), problems.join(QLatin1Char('\n')));
  }
  Q_EMIT projectOpened(opened);
}

void ProjectController::rememberViewSettings() {
  const DisplaySettings& d = m_studio.display();
  const auto& c = m_studio.cursor().position();
  QJsonObject o;
  o["window"] = d.window();
  o["level"] = d.level();
  o["labelOpacity"] = d.labelOpacity();
  o["predictionThreshold"] = d.predictionThreshold();
  o["cursor"] = QJsonArray{qint64(c.x), qint64(c.y), qint64(c.z)};
  o["docks"] = QString::fromLatin1(m_main.saveState().toBase64()); // QMainWindow::saveState: docks and toolbars
  m_project.viewSettingsJson = QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
  m_project.labelClasses.clear();
  m_project.labelClasses.push_back({0, "unlabelled", 0});
  const char* names[] = {"", "not crack", "crack"};
  for (int v = 1; v <= 2; ++v) {
    const QColor col = d.labelColour(v);
    m_project.labelClasses.push_back({std::uint8_t(v), names[v],
                                      (std::uint32_t(col.red()) << 24) | (std::uint32_t(col.green()) << 16) |
                                          (std::uint32_t(col.blue()) << 8) | std::uint32_t(col.alpha())});
  }
}

void ProjectController::applyViewSettings() {
  const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(m_project.viewSettingsJson)).object();
  DisplaySettings& d = m_studio.display();
  if (o.contains("window") && o.contains("level")) d.setWindowLevel(o["window"].toDouble(), o["level"].toDouble());
  if (o.contains("labelOpacity")) d.setLabelOpacity(o["labelOpacity"].toDouble());
  if (o.contains("predictionThreshold")) d.setPredictionThreshold(o["predictionThreshold"].toInt());
  const QJsonArray c = o["cursor"].toArray();
  if (c.size() == 3) m_studio.cursor().setPosition({c[0].toInteger(), c[1].toInteger(), c[2].toInteger()});
  if (o.contains("docks")) m_main.restoreState(QByteArray::fromBase64(o["docks"].toString().toLatin1()));
}

bool ProjectController::save() {
  if (m_projectPath.isEmpty()) {
    const QString path = m_savePath();
    return !path.isEmpty() && saveAs(path);
  }
  return writeProject(m_projectPath, false);
}

bool ProjectController::saveAs(const QString& path) {
  QString p = QFileInfo(path).absoluteFilePath();
  if (!p.endsWith(QLatin1String(".cdnet"))) p += QLatin1String(".cdnet");
  return writeProject(p, true);
}

bool ProjectController::writeProject(const QString& path, bool saveAs) {
  Session& s = m_studio.session();
  if (!s.labelVolume()) {
    fail(tr("Cannot save"), tr("There is no volume to save a project of."));
    return false;
  }
  if (m_project.imagePath.empty()) {
    fail(tr("Cannot save"), tr("%1 is not a file on disk: a project needs its image as a file.").arg(s.name()));
    return false;
  }
  QString modelKept, modelProblem;
  try {
    rememberViewSettings();
    if (const core::volume::Volume* pred = s.prediction()) {
      if (saveAs || m_predictionDirty || m_project.predictionPath.empty()) {
        const std::string predPath = (stripExtension(path) + ".prediction.nrrd").toStdString();
        core::volume::writeVolume(*pred, predPath); // atomic: temporary file, then rename
        m_project.predictionPath = predPath;
      }
    } else {
      m_project.predictionPath.clear();
    }
    modelKept = m_extras->save(m_project, path, saveAs, &modelProblem); // model and analysis files before the project names them
    if (saveAs) cl::saveProjectAs(m_project, path.toStdString(), *s.labelVolume());
    else cl::saveProject(m_project, path.toStdString(), *s.labelVolume());
  } catch (const std::exception& e) {
    fail(tr("Cannot save"), QString::fromStdString(e.what()));
    return false;
  }
  m_predictionDirty = false;
  m_extras->markSaved(!modelKept.isEmpty());
  const bool keyChanged = m_projectPath != path;
  m_projectPath = path;
  addRecent(path);
  if (keyChanged) restartRecovery();
  updateTitle();
  m_main.statusBar()->showMessage(modelKept.isEmpty() ? tr("Saved %1").arg(path)
                                                       : tr("Saved %1; the model is kept in %2").arg(path, modelKept),
                                    modelKept.isEmpty() ? 4000 : 10000);
  if (!modelProblem.isEmpty())
    fail(tr("Model not saved"), tr("The project was saved without its model: %1").arg(modelProblem));
  Q_EMIT saved(path);
  return true;
}

void ProjectController::restartRecovery() {
  if (m_store) m_store->endSession();
  m_store.reset();
  m_autosave->stop();
  if (!m_studio.session().hasImage() || m_project.imagePath.empty()) return;
  const std::string key = m_projectPath.isEmpty() ? m_project.imagePath : m_projectPath.toStdString();
  m_store = std::make_unique<cl::RecoveryStore>(key);
  if (!m_store->beginSession()) {
    m_main.statusBar()->showMessage(tr("This project is open in another CDNet Studio: no autosave here."), 8000);
    m_store.reset();
    return;
  }
  if (m_autosave->interval() > 0) m_autosave->start();
}

void ProjectController::endSession() {
  if (m_store) m_store->endSession();
  m_store.reset();
}

bool ProjectController::autosaveNow() {
  const cl::LabelVolume* l = m_studio.session().labelVolume();
  if (!m_store || !l || !m_store->needsAutosave(*l) || l->hasOpenEdit()) return false;
  try {
    rememberViewSettings();
    m_project.annotatedSlices = l->annotatedSlices();
    m_store->autosave(*l, m_project, m_projectPath.toStdString());
  } catch (const std::exception& e) {
    m_main.statusBar()->showMessage(tr("Autosave failed: %1").arg(QString::fromStdString(e.what())), 8000);
    return false;
  }
  return true;
}

void ProjectController::setAutosaveInterval(int milliseconds) {
  m_autosave->setInterval(std::max(0, milliseconds));
  if (milliseconds <= 0) m_autosave->stop();
  else if (m_store) m_autosave->start();
}

int ProjectController::autosaveInterval() const { return m_autosave->interval(); }

bool ProjectController::offerRecovery() {
  for (const cl::RecoveryInfo& info : cl::RecoveryStore::findRecoverable(cl::RecoveryStore::defaultRoot())) {
    const RecoveryChoice choice = m_recoveryHandler(info);
    if (choice == RecoveryChoice::Later) continue;
    if (choice == RecoveryChoice::Discard) {
      cl::RecoveryStore::discard(info);
      continue;
    }
    try {
      cl::RecoveredWork work = cl::RecoveryStore::restore(info);
      if (work.project.imagePath.empty()) throw std::runtime_error("the recovery names no image file");
      LoadRequest request = LoadRequest::file(QString::fromStdString(work.project.imagePath));
      request.open = work.project.imageOpen;
      request.read = work.project.imageRead;
      m_pendingProject.reset();
      m_pendingRecovery = std::move(work);
      if (!m_studio.loader().load(request)) {
        m_pendingRecovery.reset();
        return false;
      }
      return true;
    } catch (const std::exception& e) {
      fail(tr("Cannot recover"), QString::fromStdString(e.what()));
      return false;
    }
  }
  return false;
}

void ProjectController::updateTitle() {
  const Session& s = m_studio.session();
  QString name = m_projectPath.isEmpty() ? QFileInfo(s.name()).fileName() : QFileInfo(m_projectPath).completeBaseName();
  if (!s.hasImage()) name.clear();
  if (name.isEmpty()) {
    m_main.setWindowTitle(tr("CDNet Studio"));
    return;
  }
  m_main.setWindowTitle(tr("%1%2 \u2014 CDNet Studio").arg(name, isModified() ? QStringLiteral("*") : QString()));
}

void ProjectController::addRecent(const QString& path) {
  QSettings settings;
  QStringList list = settings.value(kRecentKey).toStringList();
  list.removeAll(path);
  list.prepend(path);
  while (list.size() > 10) list.removeLast();
  settings.setValue(kRecentKey, list);
}

void ProjectController::rebuildRecentMenu() {
  m_recentMenu->clear();
  const QStringList list = QSettings().value(kRecentKey).toStringList();
  for (const QString& p : list) {
    QAction* a = m_recentMenu->addAction(QFileInfo(p).fileName(), this, [this, p] { openProject(p); });
    a->setStatusTip(p);
    a->setToolTip(p);
  }
  if (list.isEmpty()) m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
}

void ProjectController::fail(const QString& title, const QString& message) { m_window.showError(title, message); }

} // namespace ui
