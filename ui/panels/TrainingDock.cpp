#include "ui/panels/TrainingDock.h"

#include "ui/controllers/PredictionController.h"
#include "ui/controllers/ProjectController.h"
#include "ui/controllers/ProjectExtras.h"
#include "ui/controllers/TrainingController.h"
#include "ui/panels/PanelWidgets.h"
#include "ui/panels/PredictionPanel.h"
#include "ui/panels/TrainingCharts.h"
#include "ui/panels/TrainingPanel.h"

#include <QVBoxLayout>

namespace ui {

TrainingDock::TrainingDock(Session& session, CursorModel& cursor, JobRunner& jobs, QWidget* parent)
    // "and", not "&": a dock title's ampersand is taken as a shortcut marker in tabs and menus.
    : QDockWidget(tr("Train and predict"), parent) {
  setObjectName(QStringLiteral("trainingDock"));
  m_training = new TrainingController(session, jobs, this);
  m_prediction = new PredictionController(session, jobs, this);
  m_trainingPanel = new TrainingPanel(session, *m_training, *m_prediction);
  m_predictionPanel = new PredictionPanel(session, cursor, *m_prediction);
  // The actions first (train, stop, model, predict, accept, suggest: visible without scrolling
  // on a 1280 x 800 screen), then the settings and the curves, each collapsible.
  m_settingsSection = new CollapsibleSection(tr("Training settings"), m_trainingPanel->settingsWidget());
  m_settingsSection->setObjectName(QStringLiteral("trainingSettingsSection"));
  m_chartsSection = new CollapsibleSection(tr("Curves"), m_trainingPanel->charts());
  m_chartsSection->setObjectName(QStringLiteral("trainingCurvesSection"));
  auto* content = new QWidget;
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_trainingPanel);
  layout->addWidget(m_predictionPanel);
  layout->addWidget(m_settingsSection);
  layout->addWidget(m_chartsSection);
  layout->addStretch(1);
  setWidget(new PanelScrollArea(content));
}

void TrainingDock::followProjects(ProjectController& projects) {
  auto follow = [this](const QString& path) { m_training->setModelsFolder(ProjectExtras::modelsFolder(path)); };
  connect(&projects, &ProjectController::projectOpened, this, follow);
  connect(&projects, &ProjectController::saved, this, follow);
}

} // namespace ui
