#include "ui/panels/TrainingCharts.h"

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QPen>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {
QChartView* makeView(QChart* chart) {
  chart->setBackgroundRoundness(0);
  chart->setMargins(QMargins(2, 2, 2, 2));
  chart->legend()->setAlignment(Qt::AlignBottom);
  QFont small = chart->titleFont();
  small.setPointSizeF(std::max(7.0, small.pointSizeF() * 0.8));
  chart->legend()->setFont(small);
  auto* view = new QChartView(chart);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(230);
  return view;
}

QLineSeries* makeSeries(const QString& name, const QColor& colour, double width, bool points) {
  auto* s = new QLineSeries;
  s->setName(name);
  QPen pen(colour);
  pen.setWidthF(width);
  s->setPen(pen);
  s->setPointsVisible(points);
  return s;
}
} // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent) {
  auto* loss = new QChart;
  loss->setTheme(QChart::ChartThemeDark); // before the series: a theme resets their colours
  loss->setTitle(tr("Loss"));
  m_trainLoss = makeSeries(tr("training (per step)"), QColor(90, 170, 255), 1.2, false);
  m_valLoss = makeSeries(tr("validation (per epoch)"), QColor(255, 170, 60), 2.0, true);
  loss->addSeries(m_trainLoss);
  loss->addSeries(m_valLoss);
  m_lossX = new QValueAxis;
  m_lossX->setTitleText(tr("step"));
  m_lossX->setLabelFormat(QStringLiteral("%d"));
  m_lossY = new QValueAxis;
  m_lossY->setLabelFormat(QStringLiteral("%.2f"));
  loss->addAxis(m_lossX, Qt::AlignBottom);
  loss->addAxis(m_lossY, Qt::AlignLeft);
  for (auto* s : {m_trainLoss, m_valLoss}) {
    s->attachAxis(m_lossX);
    s->attachAxis(m_lossY);
  }

  auto* dice = new QChart;
  dice->setTheme(QChart::ChartThemeDark);
  dice->setTitle(tr("Validation Dice"));
  m_valDice = makeSeries(tr("Dice (per epoch)"), QColor(120, 220, 120), 2.0, true);
  dice->addSeries(m_valDice);
  m_diceX = new QValueAxis;
  m_diceX->setTitleText(tr("epoch"));
  m_diceX->setLabelFormat(QStringLiteral("%d"));
  m_diceY = new QValueAxis;
  m_diceY->setRange(0, 1);
  m_diceY->setLabelFormat(QStringLiteral("%.1f"));
  dice->addAxis(m_diceX, Qt::AlignBottom);
  dice->addAxis(m_diceY, Qt::AlignLeft);
  m_valDice->attachAxis(m_diceX);
  m_valDice->attachAxis(m_diceY);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(makeView(loss));
  layout->addWidget(makeView(dice));
  clear();
}

void TrainingCharts::clear() {
  m_trainLoss->clear();
  m_valLoss->clear();
  m_valDice->clear();
  m_maxEarlyLoss = m_maxLateLoss = m_maxValLoss = 0;
  m_maxStep = 1;
  m_maxEpoch = 1;
  rescale();
}

void TrainingCharts::addIterations(const QVector<QPointF>& losses) {
  for (const QPointF& p : losses) {
    if (!std::isfinite(p.y())) continue;
    // The first steps' loss is far above the rest: scale to what follows once there is more.
    (p.x() > 10 ? m_maxLateLoss : m_maxEarlyLoss) = std::max(p.x() > 10 ? m_maxLateLoss : m_maxEarlyLoss, p.y());
    m_maxStep = std::max(m_maxStep, p.x());
  }
  m_trainLoss->append(losses);
  rescale();
}

void TrainingCharts::addEpoch(const core::ml::EpochMetrics& m) {
  m_maxEpoch = std::max(m_maxEpoch, m.epoch);
  if (m.hasValidation && std::isfinite(m.valLoss)) {
    m_valLoss->append(double(m.iterations), m.valLoss);
    m_maxValLoss = std::max(m_maxValLoss, m.valLoss);
  }
  if (m.hasValidation && std::isfinite(m.valDice)) m_valDice->append(double(m.epoch), m.valDice);
  rescale();
}

void TrainingCharts::rescale() {
  m_lossX->setRange(0, std::max(1.0, m_maxStep));
  m_lossX->setTickCount(5);
  m_diceX->setTickCount(std::min(6, m_maxEpoch + 1));
  const double top = std::max(m_maxValLoss, m_maxLateLoss > 0 ? m_maxLateLoss : m_maxEarlyLoss);
  m_lossY->setRange(0, std::max(0.01, top * 1.05));
  m_diceX->setRange(0, std::max(1, m_maxEpoch));
}

} // namespace ui
