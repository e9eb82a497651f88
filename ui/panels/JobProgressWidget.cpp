#include "ui/panels/JobProgressWidget.h"

#include "ui/jobs/JobRunner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include <cmath>

namespace ui {

JobProgressWidget::JobProgressWidget(JobRunner& runner, QWidget* parent) : QWidget(parent), m_runner(runner) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  m_stage = new QLabel(this);
  m_bar = new QProgressBar(this);
  m_bar->setRange(0, 1000);
  m_bar->setTextVisible(false);
  m_bar->setFixedWidth(160);
  m_bar->setMaximumHeight(14);
  m_cancel = new QPushButton(tr("Cancel"), this);
  m_cancel->setObjectName(QStringLiteral("cancelJob"));
  row->addWidget(m_stage);
  row->addWidget(m_bar);
  row->addWidget(m_cancel);
  setVisible(false);
  connect(m_cancel, &QPushButton::clicked, &m_runner, &JobRunner::cancel);
  connect(&m_runner, &JobRunner::progressed, this, [this](double f, const QString& stage) {
    m_stage->setText(stage);
    m_bar->setValue(int(std::lround(std::clamp(f, 0.0, 1.0) * 1000)));
  });
  connect(&m_runner, &JobRunner::stateChanged, this, [this](JobState s) {
    const bool busy = s == JobState::Running || s == JobState::Cancelling;
    setVisible(busy);
    m_cancel->setEnabled(s == JobState::Running);
    if (s == JobState::Cancelling) m_stage->setText(tr("Cancelling\u2026"));
    if (s == JobState::Running) m_bar->setValue(0);
  });
}

} // namespace ui
