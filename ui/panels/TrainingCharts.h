#pragma once
/// \file TrainingCharts.h
/// Live curves of a training run (Qt Charts): training loss per optimiser step and validation
/// loss per epoch on one chart, validation Dice per epoch on another. GUI thread only.

#include "core/ml/Checkpoint.h"

#include <QVector>
#include <QWidget>

class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace ui {

class TrainingCharts : public QWidget {
  Q_OBJECT
public:
  explicit TrainingCharts(QWidget* parent = nullptr);

  void clear();
  /// Appends training losses (x = step, y = loss).
  void addIterations(const QVector<QPointF>& losses);
  /// Appends one epoch's validation loss (at its last step) and Dice.
  void addEpoch(const core::ml::EpochMetrics& metrics);

  QLineSeries* trainLossSeries() const { return m_trainLoss; }
  QLineSeries* valLossSeries() const { return m_valLoss; }
  QLineSeries* valDiceSeries() const { return m_valDice; }
  QValueAxis* lossStepAxis() const { return m_lossX; }
  QValueAxis* lossAxis() const { return m_lossY; }
  QValueAxis* epochAxis() const { return m_diceX; }

private:
  void rescale();

  QLineSeries* m_trainLoss;
  QLineSeries* m_valLoss;
  QLineSeries* m_valDice;
  QValueAxis* m_lossX;
  QValueAxis* m_lossY;
  QValueAxis* m_diceX;
  QValueAxis* m_diceY;
  double m_maxLoss = 0, m_maxStep = 1;
  int m_maxEpoch = 1;
};

} // namespace ui
