#pragma once
/// \file MainWindow.h
/// The studio's main window: the four views, the docks (Display, Tools, Train and predict,
/// Statistics), menus, status bar. The models, controllers and workers belong to its Studio
/// (ui/Studio.h, created first); the window creates the widgets and the window-bound helpers
/// (OpenFlow, RecentFiles, LabelEditor, ProjectController) and hands each the Studio objects it
/// needs. Nothing below the window includes this header: ProjectController reaches the window
/// through the ProjectWindow interface it implements. Menus and actions call the controllers,
/// nothing else happens here. GUI thread only.

#include "core/jobs/Warning.h"
#include "core/volume/Volume.h"
#include "ui/controllers/ProjectWindow.h"
#include "ui/io/OpenFlow.h"
#include "ui/views/SliceTransform.h"
#include "ui/views/SliceView.h"

#include <QMainWindow>
#include <QStringList>

#include <array>

class QLabel;
class QActionGroup;

namespace ui {

class CursorModel;
class DisplayPanel;
class DisplaySettings;
class JobRunner;
class LabelEditor;
class LazyBrowser;
class PyramidOffer;
class ProjectController;
class LoadController;
class RecentFiles;
class Session;
class StatisticsPanel;
class EvolutionPanel;
class Studio;
class TrainingDock;
class ViewLayout;
class VolumeView3D;

class MainWindow : public QMainWindow, private ProjectWindow {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// The models, controllers and workers; the accessors below are the Studio's objects.
  Studio& studio() const { return *m_studio; }
  Session& session() const { return *m_session; }
  CursorModel& cursor() const { return *m_cursor; }
  DisplaySettings& display() const { return *m_display; }
  JobRunner& jobs() const { return *m_jobs; }
  LoadController& loader() const { return *m_loader; }
  SliceView* sliceView(SliceOrientation o) const { return m_slices[std::size_t(o)]; }
  VolumeView3D* view3D() const { return m_view3D; }
  /// The slice views' lazily read volume (File > Open OME-Zarr lazily).
  LazyBrowser* lazyBrowser() const { return m_lazy; }
  /// Offers and builds pyramids of large unchunked volumes on open (issue 16).
  PyramidOffer* pyramidOffer() const { return m_pyramids; }
  ViewLayout* viewLayout() const { return m_layout; }
  /// Label tools, their actions, the Tools dock and the Edit menu.
  LabelEditor& labelEditor() const { return *m_labelEditor; }
  /// Projects, unsaved-changes question, autosave and recovery.
  ProjectController& projects() const { return *m_projects; }
  /// Reports an error (dialog unless disabled, and errorReported()).
  void showError(const QString& title, const QString& message) override { reportError(title, message); }
  StatisticsPanel* statisticsPanel() const { return m_statisticsPanel; }
  EvolutionPanel* evolutionPanel() const { return m_evolutionPanel; }

  /// Opens \p path (file or folder). Returns false when a job runs or the user cancelled a dialog.
  bool openPath(const QString& path, OpenFlow::Ask ask = OpenFlow::Ask::IfNeeded);
  /// Generates the demo phantom (\p size voxels) with its ground-truth cracks as the prediction.
  bool openDemo(core::volume::Size3 size = {128, 128, 128});
  /// Errors show as dialogs (default) or only as errorReported() (tests).
  void setErrorDialogsEnabled(bool on) { m_errorDialogs = on; }
  /// True while a job runs or the 3D view still extracts its surface.
  bool isBusy() const;
  /// Renders every view and saves the whole window as a PNG. False when the file cannot be written.
  bool saveScreenshot(const QString& path);
  void setLeftButtonMode(LeftButtonMode mode);
  /// Shrinks the window to the available area of its screen and moves it inside (done after a
  /// saved geometry is restored).
  void fitToScreen();

Q_SIGNALS:
  /// Something failed: \p title says what ("Cannot open"), \p message names the file and problem.
  void errorReported(const QString& title, const QString& message);

protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

private:
  void createViews();
  void createPanels();
  void createStatusBar();
  void createActions(); // MainWindowActions.cpp
  void addPanelToggles();
  void rebuildRecentMenu();
  void onDatasetChanged();
  void onLoaded(const QString& name);
  void reportError(const QString& title, const QString& message);
  void showVoxel(const core::volume::Index3& voxel, bool inside);
  /// Status bar: a block of the lazily shown volume could not be read (\p message names the file).
  void showDamagedBlock(const QString& message);
  void createToolsDock();
  // ProjectWindow: what ProjectController and ProjectExtras need from the window.
  QMainWindow& mainWindow() override { return *this; }
  TrainingSettings trainingSettings() const override;
  void setTrainingSettings(const TrainingSettings& settings) override;
  CrackSource crackSource() const override;
  void showAnalysisOptions(const core::analysis::AnalysisOptions& options, CrackSource source) override;

  Studio* m_studio;
  // The Studio's objects the window uses most (not owned).
  Session* m_session;
  CursorModel* m_cursor;
  DisplaySettings* m_display;
  JobRunner* m_jobs;
  LoadController* m_loader;
  OpenFlow* m_openFlow;
  RecentFiles* m_recent;
  std::array<SliceView*, 3> m_slices{};
  VolumeView3D* m_view3D = nullptr;
  LazyBrowser* m_lazy = nullptr;
  PyramidOffer* m_pyramids = nullptr;
  ViewLayout* m_layout = nullptr;
  DisplayPanel* m_displayPanel = nullptr;
  TrainingDock* m_trainingDock = nullptr;
  LabelEditor* m_labelEditor = nullptr;
  ProjectController* m_projects = nullptr;
  StatisticsPanel* m_statisticsPanel = nullptr;
  EvolutionPanel* m_evolutionPanel = nullptr;
  QLabel* m_voxelLabel = nullptr;
  QLabel* m_datasetLabel = nullptr;
  QMenu* m_recentMenu = nullptr;
  QMenu* m_viewMenu = nullptr;
  QAction* m_panelsEnd = nullptr; ///< the View menu's separator after the panels' toggles
  QActionGroup* m_modeGroup = nullptr;
  bool m_errorDialogs = true;
  core::jobs::WarningHandler m_previousWarningHandler;
  QStringList m_warnings; ///< warnings since the last load finished
};

} // namespace ui
