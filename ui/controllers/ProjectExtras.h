#pragma once
/// \file ProjectExtras.h
/// What a project keeps beside its labels and prediction (ProjectController calls it on Save and
/// Open): the current model, copied into "<project>.models/" next to the project file unless it
/// already lies there (atomically, before the project file names it); the Training panel's
/// settings; the particle analysis (particle ids and phase flags as NRRD, the table as CSV with
/// its depth profile, the parameters in the project JSON); the second time point (scan B, its
/// cracks, the affine choice, the registration and the evolution CSV; reopening runs the
/// comparison again on the Data lane); and whether a trained model is not yet
/// saved with the project (asked about before it is dropped, like unsaved labels).
/// GUI thread only.

#include "core/project/ProjectFile.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace ui {

class ProjectWindow;
class Studio;
struct TrainingSettings;

/// The panel's settings as the project stores them, and back (fields the panel does not show
/// are kept from \p base).
core::labels::ProjectTraining toProjectTraining(const TrainingSettings& s);
TrainingSettings fromProjectTraining(const core::labels::ProjectTraining& t, TrainingSettings base);

class ProjectExtras : public QObject {
  Q_OBJECT
public:
  /// The models and analysis come from \p studio, the panels' settings through \p window.
  ProjectExtras(Studio& studio, ProjectWindow& window, QObject* parent = nullptr);

  /// True when a model trained in this session is not saved with the project yet.
  bool hasUnsavedModel() const { return m_modelUnsaved; }
  /// The model folder of project \p projectPath: "<folder>/<name>.models".
  static QString modelsFolder(const QString& projectPath);

  /// Before the project file is written: keeps the current model (copied when it lies elsewhere),
  /// the training settings and the analysis (its files rewritten when it changed, when \p saveAs
  /// or when they are missing) in \p project. Throws std::runtime_error naming the file when the
  /// analysis cannot be written. A model that cannot be copied does not stop the save (the labels
  /// matter more): \p modelProblem says why, and the model stays unsaved.
  /// Returns where the model is kept (empty: no model kept).
  QString save(core::labels::ProjectFile& project, const QString& projectPath, bool saveAs, QString* modelProblem);
  /// After the project file was written (\p modelKept: save() kept the model).
  void markSaved(bool modelKept);
  /// After a project opened: applies its training settings, analysis and model. A missing or
  /// damaged model or analysis file is skipped (and dropped from \p project, so Save does not
  /// name it again); the returned messages name the file and the problem.
  QStringList open(core::labels::ProjectFile& project);
  /// The dataset changed (a new volume or project): the question was asked before; forget it.
  void forgetUnsavedModel() { m_modelUnsaved = false; }

Q_SIGNALS:
  void unsavedModelChanged();

private:
  void saveAnalysis(core::labels::ProjectFile& project, const QString& projectPath, bool saveAs);
  void openAnalysis(const core::labels::ProjectAnalysis& a);
  void saveEvolution(core::labels::ProjectFile& project, const QString& projectPath);
  /// Starts the comparison with the project's second time point again (false: not started).
  bool openEvolution(const core::labels::ProjectEvolution& e, QString& problem);

  Studio& m_studio;
  ProjectWindow& m_window;
  bool m_modelUnsaved = false;
  std::uint64_t m_savedAnalysisGeneration = 0;
};

} // namespace ui
