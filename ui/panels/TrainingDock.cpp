#include "ui/panels/TrainingDock.h"

#include "ui/panels/PanelWidgets.h"
#include "ui/panels/PredictionPanel.h"
#include "ui/panels/TrainingCharts.h"
#include "ui/panels/TrainingPanel.h"

#include <QVBoxLayout>

namespace ui {

TrainingDock::TrainingDock(Session& session, CursorModel& cursor, TrainingController& training,
                           PredictionController& prediction, QWidget* parent)
    // "and", not "&": a dock title's ampersand is taken as a shortcut marker in tabs and menus.
    : QDockWidget(tr("Train and predict"), parent), m_training(&training), m_prediction(&prediction) {
  setObjectName(QStringLiteral("trainingDock"));
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

void TrainingDock::addSection(QWidget* section) {
  auto* layout = static_cast<QVBoxLayout*>(m_predictionPanel->parentWidget()->layout());
  layout->insertWidget(layout->indexOf(m_predictionPanel) + 1, section);
}

} // namespace ui
