#pragma once
/// \file EvolutionPanel.h
/// The second time point in the Statistics panel (issue 19): "Open second time point..." (scan
/// B, its optional crack volume, the affine stage) run by the EvolutionController with progress
/// and Cancel; the registration (transform and quality) or the reason it failed; the Time point
/// switch A / B that flips the slice views between A and B resampled onto A's grid (the cursor
/// stays on the same material), and "Side by side" (both at once, TimePointPairView); the 3D colouring by crack growth (through the Statistics panel's
/// colour choice); two charts: damage (crack fraction) in A against B per matched particle with
/// the diagonal, and growth against depth; the evolution CSV (the CLI's writer). GUI thread only.

#include <QString>
#include <QWidget>

#include <vector>

class QAbstractButton;
class QChart;
class QChartView;
class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ui {

class CursorModel;
class EvolutionController;
class SliceView;
class StatisticsPanel;
class TimePointPairView;

class EvolutionPanel : public QWidget {
  Q_OBJECT
public:
  /// \p cursor: the session's, which the side-by-side views share.
  EvolutionPanel(EvolutionController& controller, StatisticsPanel& statistics, const std::vector<SliceView*>& slices,
                 CursorModel& cursor, QWidget* parent = nullptr);

  EvolutionController& controller() const { return m_controller; }
  /// Opens \p path as scan B with the panel's settings (asks for a file when empty). False when
  /// it did not start (the reason is reported).
  bool openSecondTimePoint(QString path = {});
  /// Writes the evolution CSV to \p path (asks when empty). False on failure (reported).
  bool exportCsv(QString path = {});
  QLineEdit* cracksB() const { return m_cracksB; }
  QCheckBox* affine() const { return m_affine; }
  QLabel* status() const { return m_status; }
  QAbstractButton* timePointB() const { return m_showB; }
  QAbstractButton* timePointA() const { return m_showA; }
  /// "Side by side": shows A and B in a window of their own (TimePointPairView), besides the flip.
  QCheckBox* sideBySideButton() const { return m_sideBySide; }
  /// The side-by-side window (null until first shown).
  TimePointPairView* sideBySide() const { return m_pairView; }
  QChart* damageChart() const;
  QChart* growthChart() const;
  /// Points in the damage and growth charts (the matched particles with finite values).
  int damagePoints() const { return m_damagePoints; }
  int growthPoints() const { return m_growthPoints; }

Q_SIGNALS:
  void errorReported(const QString& title, const QString& message);

private:
  void onResultChanged();
  void replot();
  void updateButtons();

  EvolutionController& m_controller;
  StatisticsPanel& m_statistics;
  std::vector<SliceView*> m_slices;
  CursorModel& m_cursor;
  QPushButton *m_open, *m_cancel, *m_export, *m_browseCracks;
  QLineEdit* m_cracksB;
  QCheckBox* m_affine;
  QCheckBox* m_sideBySide;
  TimePointPairView* m_pairView = nullptr;
  QLabel* m_status;
  QAbstractButton *m_showA, *m_showB;
  QChartView *m_damage, *m_growth;
  int m_damagePoints = 0, m_growthPoints = 0;
};

} // namespace ui
