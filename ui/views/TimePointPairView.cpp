#include "ui/views/TimePointPairView.h"

#include "ui/controllers/EvolutionController.h"
#include "ui/model/CursorModel.h"
#include "ui/model/Session.h"
#include "ui/views/SliceView.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace ui {

TimePointPairView::TimePointPairView(EvolutionController& evolution, CursorModel& cursor, QWidget* parent)
    : QWidget(parent, Qt::Window), m_evolution(evolution), m_session(evolution.session()), m_cursor(cursor), m_display(evolution.display()) {
  setObjectName(QStringLiteral("timePointPairView"));
  setWindowTitle(tr("Scans A and B side by side"));
  m_orientationBox = new QComboBox;
  for (SliceOrientation o : {SliceOrientation::XY, SliceOrientation::XZ, SliceOrientation::YZ})
    m_orientationBox->addItem(orientationName(o), int(o));
  m_titleA = new QLabel(tr("A: %1").arg(m_session.name()));
  m_titleB = new QLabel;
  m_label = new QLabel;
  m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_pair = new QWidget;
  auto* grid = new QGridLayout(m_pair);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->addWidget(m_titleA, 0, 0);
  grid->addWidget(m_titleB, 0, 1);
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("View")));
  top->addWidget(m_orientationBox);
  top->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(m_pair, 1);
  layout->addWidget(m_label);
  buildViews();
  connect(m_orientationBox, &QComboBox::currentIndexChanged, this,
          [this](int) { setOrientation(SliceOrientation(m_orientationBox->currentData().toInt())); });
  connect(&m_evolution, &EvolutionController::resultChanged, this, &TimePointPairView::onResultChanged);
  connect(&m_cursor, &CursorModel::positionChanged, this, &TimePointPairView::updateLabel);
  onResultChanged();
  resize(960, 560);
}

void TimePointPairView::closeEvent(QCloseEvent* event) {
  Q_EMIT closed();
  QWidget::closeEvent(event);
}

void TimePointPairView::setOrientation(SliceOrientation o) {
  if (o == m_orientation && m_a) return;
  m_orientation = o;
  const int index = m_orientationBox->findData(int(o));
  if (index >= 0 && index != m_orientationBox->currentIndex()) m_orientationBox->setCurrentIndex(index);
  buildViews();
  onResultChanged();
}

void TimePointPairView::buildViews() {
  delete m_a;
  delete m_b;
  auto* grid = static_cast<QGridLayout*>(m_pair->layout());
  m_a = new SliceView(m_orientation, m_session, m_cursor, m_display);
  m_b = new SliceView(m_orientation, m_session, m_cursor, m_display);
  m_a->setObjectName(QStringLiteral("timePointA"));
  m_b->setObjectName(QStringLiteral("timePointB"));
  grid->addWidget(m_a, 1, 0);
  grid->addWidget(m_b, 1, 1);
  grid->setRowStretch(1, 1);
}

void TimePointPairView::onResultChanged() {
  const bool has = m_evolution.hasResult();
  m_b->setImageOverride(has ? &m_evolution.imageB() : nullptr);
  m_b->setVisible(has);
  m_titleA->setText(tr("A: %1").arg(m_session.name()));
  m_titleB->setText(has ? tr("B on A's grid: %1").arg(m_evolution.pathB()) : tr("B: no second time point"));
  updateLabel();
}

void TimePointPairView::updateLabel() {
  const core::volume::Index3 p = m_cursor.position();
  QString text = tr("Cursor: A (%1, %2, %3)").arg(p.x).arg(p.y).arg(p.z);
  if (m_evolution.hasResult()) {
    const core::volume::Vec3 q = m_evolution.pointInB(p);
    text += tr("  |  B (%1, %2, %3) in its own grid").arg(q.x, 0, 'f', 1).arg(q.y, 0, 'f', 1).arg(q.z, 0, 'f', 1);
  }
  m_label->setText(text);
}

} // namespace ui
