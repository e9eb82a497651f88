#include "ui/panels/TrainingCharts.h"

#include "ui/panels/ChartStyle.h"

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
  styleChart(loss); // before the series: a theme resets their colours
  loss->setTitle(tr("Loss"));
  m_trainLoss = makeSeries(tr("training (per step)"), QColor(90, 170, 255), 1.2, false);
  m_valLoss = makeSeries(tr("validation (per epoch)"), QColor(255, 170, 60), 2.0, true);
  loss->addSeries(m_trainLoss);
  loss->addSeries(m_valLoss);
  m_lossX = new QValueAxis;
  m_lossX->setTitleText(tr("step"));
  m_lossY = new QValueAxis;
  loss->addAxis(m_lossX, Qt::AlignBottom);
  loss->addAxis(m_lossY, Qt::AlignLeft);
  for (auto* s : {m_trainLoss, m_valLoss}) {
    s->attachAxis(m_lossX);
    s->attachAxis(m_lossY);
  }

  auto* dice = new QChart;
  styleChart(dice);
  dice->setTitle(tr("Validation Dice"));
  m_valDice = makeSeries(tr("Dice (per epoch)"), QColor(120, 220, 120), 2.0, true);
  dice->addSeries(m_valDice);
  m_diceX = new QValueAxis;
  m_diceX->setTitleText(tr("epoch"));
  m_diceY = new QValueAxis;
  setRealAxis(m_diceY, 0, 1);
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
  m_maxLoss = 0;
  m_maxStep = 1;
  m_maxEpoch = 1;
  rescale();
}

void TrainingCharts::addIterations(const QVector<QPointF>& losses) {
  for (const QPointF& p : losses) {
    if (!std::isfinite(p.y())) continue;
    m_maxLoss = std::max(m_maxLoss, p.y()); // every point inside the chart, the first steps' too
    m_maxStep = std::max(m_maxStep, p.x());
  }
  m_trainLoss->append(losses);
  rescale();
}

void TrainingCharts::addEpoch(const core::ml::EpochMetrics& m) {
  m_maxEpoch = std::max(m_maxEpoch, m.epoch);
  if (m.hasValidation && std::isfinite(m.valLoss)) {
    m_valLoss->append(double(m.iterations), m.valLoss);
    m_maxLoss = std::max(m_maxLoss, m.valLoss);
  }
  if (m.hasValidation && std::isfinite(m.valDice)) m_valDice->append(double(m.epoch), m.valDice);
  rescale();
}

void TrainingCharts::rescale() {
  // Ranges fit the data (rounded out to whole ticks); whole-number axes print whole numbers.
  setIntegerAxis(m_lossX, 0, std::max(1.0, m_maxStep));
  setRealAxis(m_lossY, 0, m_maxLoss > 0 ? m_maxLoss : 1.0);
  setIntegerAxis(m_diceX, 0, std::max(1, m_maxEpoch));
}

} // namespace ui
