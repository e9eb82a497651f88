#pragma once
/// \file TrainingDock.h
/// The "Train and predict" dock: owns the TrainingController and PredictionController and shows
/// the TrainingPanel's actions, the PredictionPanel, then the training settings and the curves
/// (collapsible sections) in a scroll area that scrolls vertically only. MainWindow adds it with one
/// line. GUI thread only.

#include <QDockWidget>

namespace ui {

class CollapsibleSection;
class CursorModel;
class JobRunner;
class PredictionController;
class ProjectController;
class PredictionPanel;
class Session;
class TrainingController;
class TrainingPanel;

class TrainingDock : public QDockWidget {
  Q_OBJECT
public:
  /// The controllers run on \p jobs' Training and Prediction lanes.
  TrainingDock(Session& session, CursorModel& cursor, JobRunner& jobs, QWidget* parent = nullptr);

  /// Checkpoints go into "<project>.models" next to the project file once one is opened or saved.
  void followProjects(ProjectController& projects);

  TrainingController& training() const { return *m_training; }
  PredictionController& prediction() const { return *m_prediction; }
  TrainingPanel* trainingPanel() const { return m_trainingPanel; }
  PredictionPanel* predictionPanel() const { return m_predictionPanel; }
  CollapsibleSection* settingsSection() const { return m_settingsSection; }
  CollapsibleSection* chartsSection() const { return m_chartsSection; }

private:
  TrainingController* m_training;
  PredictionController* m_prediction;
  TrainingPanel* m_trainingPanel;
  PredictionPanel* m_predictionPanel;
  CollapsibleSection* m_settingsSection;
  CollapsibleSection* m_chartsSection;
};

} // namespace ui
