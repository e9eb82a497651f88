#pragma once
/// \file ProjectWindow.h
/// What ProjectController and ProjectExtras need from the window they serve, and nothing more:
/// the main window (File menu, dialog parent, title, status bar, dock state for saveState and
/// restoreState), error reports, and the settings the Training and Statistics panels hold in
/// their widgets. MainWindow implements it; the controllers never see MainWindow. GUI thread only.

class QMainWindow;
class QString;

namespace core::analysis {
struct AnalysisOptions;
}

namespace ui {

enum class CrackSource; // AnalysisController.h
struct TrainingSettings; // TrainingController.h

class ProjectWindow {
public:
  virtual ~ProjectWindow() = default;

  /// The File menu (first in the menu bar), dialog parent, title, status bar and docks.
  virtual QMainWindow& mainWindow() = 0;
  /// Reports an error: \p title says what failed, \p message names the file and the problem.
  virtual void showError(const QString& title, const QString& message) = 0;

  /// The Training panel's settings, as its widgets show them, and back.
  virtual TrainingSettings trainingSettings() const = 0;
  virtual void setTrainingSettings(const TrainingSettings& settings) = 0;
  /// The Statistics panel's crack source, and its parameters shown from a restored analysis.
  virtual CrackSource crackSource() const = 0;
  virtual void showAnalysisOptions(const core::analysis::AnalysisOptions& options, CrackSource source) = 0;
};

} // namespace ui
