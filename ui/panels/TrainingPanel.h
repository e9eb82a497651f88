#pragma once
/// \file TrainingPanel.h
/// The Training dock's upper half: which slices will train, the settings (validation split,
/// preset and base width, 2.5D neighbour slices, loss, learning-rate schedule, epochs or a time budget, batch, learning rate, augmentations, device
/// and why), Train from scratch / Fine-tune / Stop, progress with elapsed and remaining time, and
/// the live curves (the dock places the settings and the curves). It reads and writes nothing but the controllers. GUI thread only.

#include "ui/controllers/TrainingController.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;

namespace ui {

class PredictionController;
class Session;
class TrainingCharts;

class TrainingPanel : public QWidget {
  Q_OBJECT
public:
  TrainingPanel(Session& session, TrainingController& training, PredictionController& prediction,
                QWidget* parent = nullptr);

  /// The settings as the widgets show them.
  TrainingSettings settings() const;
  /// Sets the widgets from \p s (tests, presets).
  void setSettings(const TrainingSettings& s);

  TrainingController& controller() const { return m_training; }
  TrainingCharts* charts() const { return m_charts; }
  /// The settings form; not in the panel's layout: the dock shows it in a collapsible section.
  QWidget* settingsWidget() const { return m_settingsBox; }
  QPushButton* trainButton() const { return m_train; }
  QPushButton* fineTuneButton() const { return m_fineTune; }
  QPushButton* stopButton() const { return m_stop; }
  QLabel* statusLabel() const { return m_status; }
  QLabel* deviceLabel() const { return m_deviceLine; }
  QLabel* slicesLabel() const { return m_slices; }
  QSpinBox* contextSpin() const { return m_context; }
  QComboBox* lossCombo() const { return m_loss; }
  QComboBox* lrScheduleCombo() const { return m_lrSchedule; }
  QComboBox* precisionCombo() const { return m_precision; }

private:
  void buildSettings(QFormLayout* form);
  void updateSliceCounts();
  void updateButtons();
  /// What "Fine-tune" starts from: the current checkpoint, else the starter model when no model is
  /// loaded (empty when neither).
  QString fineTuneSource() const;
  void onProgress(double fraction, double elapsed, double remaining, const QString& stage);
  void showError(const QString& message);
  void showMessage(const QString& message);

  Session& m_session;
  TrainingController& m_training;
  PredictionController& m_prediction;
  QLabel* m_slices;
  QDoubleSpinBox* m_valSplit;
  QComboBox* m_preset;
  QSpinBox* m_baseWidth;
  QSpinBox* m_context;
  QComboBox* m_loss;
  QComboBox* m_lrSchedule;
  QSpinBox* m_epochs;
  QDoubleSpinBox* m_minutes;
  QSpinBox* m_batch;
  QSpinBox* m_steps;
  QSpinBox* m_crop;
  QDoubleSpinBox* m_learningRate;
  QCheckBox* m_augment;
  QComboBox* m_device;
  QComboBox* m_precision;
  QLabel* m_deviceLine;
  QPushButton* m_train;
  QPushButton* m_fineTune;
  QPushButton* m_stop;
  QProgressBar* m_progress;
  QLabel* m_time;
  QLabel* m_status;
  TrainingCharts* m_charts;
  QWidget* m_settingsBox;
  QTimer* m_countTimer;
};

} // namespace ui
