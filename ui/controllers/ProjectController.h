#pragma once
/// \file ProjectController.h
/// Projects (.cdnet) and safety for the window: New / Open / Save / Save As / recent projects
/// through core::labels::ProjectIO (labels as NRRD next to the project, written atomically; the
/// prediction too), the window title ("name* — CDNet Studio" while modified), the Save / Discard /
/// Cancel question before unsaved edits are dropped, autosave every few minutes through
/// core::labels::RecoveryStore, and the offer to recover a crashed session at start.
/// Both questions go through replaceable handlers, so tests answer them without a modal dialog.
/// GUI thread only.

#include "core/project/ProjectFile.h"
#include "core/project/RecoveryStore.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QMainWindow;
class QMenu;
class QTimer;

namespace ui {

class ProjectExtras;
class ProjectWindow;
class Studio;

/// The answer to "save the changes?".
enum class UnsavedChoice { Save, Discard, Cancel };
/// The answer to "recover the autosaved work?".
enum class RecoveryChoice { Recover, Discard, Later };

class ProjectController : public QObject {
  Q_OBJECT
public:
  using UnsavedHandler = std::function<UnsavedChoice(const QString& name)>;
  using RecoveryHandler = std::function<RecoveryChoice(const core::labels::RecoveryInfo& info)>;
  using PathProvider = std::function<QString()>;

  /// Adds the project actions to \p window's File menu and follows the studio's session; questions
  /// and errors go to \p window, which must outlive the controller (its parent is the main window).
  ProjectController(Studio& studio, ProjectWindow& window);
  ~ProjectController() override;

  /// The project file (empty while the work was never saved as a project).
  const QString& projectPath() const { return m_projectPath; }
  const core::labels::ProjectFile& project() const { return m_project; }
  /// True when the labels have edits that are not saved, or a model trained in this session is
  /// not saved with the project yet.
  bool isModified() const;
  /// The model, training settings and analysis the project keeps (ProjectExtras.h).
  ProjectExtras& extras() const { return *m_extras; }

  /// Drops the dataset and starts an empty project (asks first when there are unsaved edits).
  bool newProject();
  /// Opens a project: its image through the loader, then its labels, prediction, annotated
  /// slices, colours and view settings. False (and errorReported) when it cannot start.
  bool openProject(const QString& path);
  /// Saves to projectPath(), or asks for a path (saveAsPathProvider) when there is none.
  bool save();
  /// Saves the project (and its labels next to it) as \p path.
  bool saveAs(const QString& path);
  /// Asks (unsavedHandler) when there are unsaved edits; Save saves. False when the user
  /// cancelled or saving failed: the caller must not drop the work.
  bool maybeSave();
  /// The window closes cleanly: removes this session's recovery data.
  void endSession();

  /// Writes the recovery file now when the labels changed since the last autosave. True if written.
  bool autosaveNow();
  /// Autosave period (default from the setting labels/autosaveMinutes, 3 minutes; 0 = off).
  void setAutosaveInterval(int milliseconds);
  int autosaveInterval() const;
  /// Looks for work left by a crashed session and offers it (recoveryHandler). True when a
  /// recovery was started (the image loads, then the autosaved labels replace the empty ones).
  bool offerRecovery();

  void setUnsavedHandler(UnsavedHandler h) { m_unsavedHandler = std::move(h); }
  /// Asked first by maybeSave() for work the project does not hold (the labels of a volume opened
  /// lazily: UnsavedLabels); false stops as Cancel does.
  void setOtherUnsavedWork(std::function<bool()> check) { m_otherUnsaved = std::move(check); }
  void setRecoveryHandler(RecoveryHandler h) { m_recoveryHandler = std::move(h); }
  void setSaveAsPathProvider(PathProvider p) { m_savePath = std::move(p); }

Q_SIGNALS:
  /// A project finished opening (image, labels and settings applied) or a recovery was applied.
  void projectOpened(const QString& path);
  void saved(const QString& path);

private:
  void createActions();
  void onDatasetChanged();
  void applyPending();
  void updateTitle();
  void restartRecovery();
  void rememberViewSettings();
  void applyViewSettings();
  void rebuildRecentMenu();
  void addRecent(const QString& path);
  bool writeProject(const QString& path, bool saveAs);
  void fail(const QString& title, const QString& message);

  Studio& m_studio;
  ProjectWindow& m_window;
  QMainWindow& m_main; ///< m_window.mainWindow()
  ProjectExtras* m_extras = nullptr;
  core::labels::ProjectFile m_project;
  QString m_projectPath;
  // What the next datasetChanged() belongs to: a project being opened, or a recovery.
  std::optional<core::labels::ProjectFile> m_pendingProject;
  QString m_pendingPath;
  std::optional<core::labels::RecoveredWork> m_pendingRecovery;
  bool m_predictionDirty = false;
  std::unique_ptr<core::labels::RecoveryStore> m_store;
  QTimer* m_autosave = nullptr;
  QMenu* m_recentMenu = nullptr;
  UnsavedHandler m_unsavedHandler;
  std::function<bool()> m_otherUnsaved;
  RecoveryHandler m_recoveryHandler;
  PathProvider m_savePath;
};

} // namespace ui
