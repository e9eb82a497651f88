#pragma once
/// \file TrainingDock.h
/// The "Train & predict" dock: owns the TrainingController and PredictionController and shows
/// the TrainingPanel above the PredictionPanel in a scroll area. MainWindow adds it with one
/// line. GUI thread only.

#include <QDockWidget>

namespace ui {

class CursorModel;
class PredictionController;
class ProjectController;
class PredictionPanel;
class Session;
class TrainingController;
class TrainingPanel;

class TrainingDock : public QDockWidget {
  Q_OBJECT
public:
  TrainingDock(Session& session, CursorModel& cursor, QWidget* parent = nullptr);

  /// Checkpoints go into "<project>.models" next to the project file once one is opened or saved.
  void followProjects(ProjectController& projects);

  TrainingController& training() const { return *m_training; }
  PredictionController& prediction() const { return *m_prediction; }
  TrainingPanel* trainingPanel() const { return m_trainingPanel; }
  PredictionPanel* predictionPanel() const { return m_predictionPanel; }

private:
  TrainingController* m_training;
  PredictionController* m_prediction;
  TrainingPanel* m_trainingPanel;
  PredictionPanel* m_predictionPanel;
};

} // namespace ui
