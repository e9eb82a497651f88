#pragma once
/// \file StatisticsPlots.h
/// The plots of the Statistics panel (Qt Charts): a histogram of any column of the particle
/// table, a scatter of any two columns, the depth profile (damage against depth bins). Each can be
/// saved as PNG or SVG (by the file's extension). Follows the ParticleLayer. GUI thread only.

#include "core/analysis/Summaries.h"

#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QSpinBox;

namespace ui {

class ParticleLayer;
class ParticleTableModel;

class StatisticsPlots : public QWidget {
  Q_OBJECT
public:
  enum class Kind { Histogram = 0, Scatter = 1, DepthProfile = 2 };

  StatisticsPlots(ParticleLayer& layer, ParticleTableModel& model, QWidget* parent = nullptr);

  /// Shows plot \p kind of column \p x (and \p y for a scatter; the depth profile plots the
  /// profile column \p y, default crack_fraction_weighted). Column indices of the particle table.
  void showPlot(Kind kind, int x = -1, int y = -1);
  Kind kind() const;
  /// The histogram last drawn (counts per bin).
  const core::analysis::Histogram& histogram() const { return m_histogram; }
  /// Points in the chart's data series (bins, particles or depth bins).
  int pointCount() const { return m_points; }
  /// Saves the chart as SVG (.svg) or PNG (anything else). Returns false when it cannot be written.
  bool save(const QString& path);
  QChartView* chartView() const { return m_view; }

private:
  void replot();
  void updateColumnChoices();

  ParticleLayer& m_layer;
  ParticleTableModel& m_model;
  QComboBox* m_kind;
  QComboBox* m_x;
  QComboBox* m_y;
  QSpinBox* m_bins;
  QChartView* m_view;
  core::analysis::Histogram m_histogram;
  int m_points = 0;
};

} // namespace ui
