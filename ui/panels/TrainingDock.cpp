#include "ui/panels/TrainingDock.h"

#include "ui/controllers/PredictionController.h"
#include "ui/controllers/ProjectController.h"
#include "ui/controllers/ProjectExtras.h"
#include "ui/controllers/TrainingController.h"
#include "ui/panels/PredictionPanel.h"
#include "ui/panels/TrainingPanel.h"

#include <QScrollArea>
#include <QVBoxLayout>

namespace ui {

namespace {
/// A scroll area that asks for a narrow dock: the views keep their room; the panel scrolls.
class NarrowScrollArea : public QScrollArea {
public:
  QSize sizeHint() const override { return {300, QScrollArea::sizeHint().height()}; }
};
} // namespace

TrainingDock::TrainingDock(Session& session, CursorModel& cursor, QWidget* parent)
    : QDockWidget(tr("Train & predict"), parent) {
  setObjectName(QStringLiteral("trainingDock"));
  m_training = new TrainingController(session, this);
  m_prediction = new PredictionController(session, this);
  m_trainingPanel = new TrainingPanel(session, *m_training, *m_prediction);
  m_predictionPanel = new PredictionPanel(session, cursor, *m_prediction);
  auto* content = new QWidget;
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_trainingPanel);
  layout->addWidget(m_predictionPanel);
  auto* scroll = new NarrowScrollArea;
  scroll->setWidget(content);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  setWidget(scroll);
  setMinimumWidth(250);
}

} // namespace ui

namespace ui {

void TrainingDock::followProjects(ProjectController& projects) {
  auto follow = [this](const QString& path) { m_training->setModelsFolder(ProjectExtras::modelsFolder(path)); };
  connect(&projects, &ProjectController::projectOpened, this, follow);
  connect(&projects, &ProjectController::saved, this, follow);
}

} // namespace ui
