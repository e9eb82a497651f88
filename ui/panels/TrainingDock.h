#pragma once
/// \file TrainingDock.h
/// The "Train and predict" dock: shows the TrainingPanel's actions, the PredictionPanel, then the
/// training settings and the curves (collapsible sections) in a scroll area that scrolls vertically
/// only. The controllers belong to the Studio; MainWindow adds the dock with one line. GUI thread
/// only.

#include <QDockWidget>

namespace ui {

class CollapsibleSection;
class CursorModel;
class JobRunner;
class PredictionController;
class PredictionPanel;
class Session;
class TrainingController;
class TrainingPanel;

class TrainingDock : public QDockWidget {
  Q_OBJECT
public:
  TrainingDock(Session& session, CursorModel& cursor, TrainingController& training, PredictionController& prediction,
               QWidget* parent = nullptr);

  TrainingController& training() const { return *m_training; }
  PredictionController& prediction() const { return *m_prediction; }
  TrainingPanel* trainingPanel() const { return m_trainingPanel; }
  PredictionPanel* predictionPanel() const { return m_predictionPanel; }
  /// Adds \p section below the prediction panel (before the settings).
  void addSection(QWidget* section);
  CollapsibleSection* settingsSection() const { return m_settingsSection; }
  CollapsibleSection* chartsSection() const { return m_chartsSection; }

private:
  TrainingController* m_training;     ///< not owned (the Studio's)
  PredictionController* m_prediction; ///< not owned (the Studio's)
  TrainingPanel* m_trainingPanel;
  PredictionPanel* m_predictionPanel;
  CollapsibleSection* m_settingsSection;
  CollapsibleSection* m_chartsSection;
};

} // namespace ui
