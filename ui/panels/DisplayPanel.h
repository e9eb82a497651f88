#pragma once
/// \file DisplayPanel.h
/// The "Display" side panel: window/level (presets, numbers), the label overlay (toggle,
/// opacity, legend), the prediction overlay (toggle, colour map or outline, threshold, opacity)
/// and the 3D view's options. Edits DisplaySettings and follows it. GUI thread only.

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QSlider;

namespace ui {

class DisplaySettings;
class Session;

class DisplayPanel : public QWidget {
  Q_OBJECT
public:
  DisplayPanel(Session& session, DisplaySettings& display, QWidget* parent = nullptr);

  /// Applies the window/level preset chosen in the panel (Auto after loading).
  void applyWindowPreset();

private:
  QWidget* buildImageGroup();
  QWidget* buildLabelGroup();
  QWidget* buildPredictionGroup();
  QWidget* build3DGroup();
  void syncFromSettings();
  void onDatasetChanged();

  Session& m_session;
  DisplaySettings& m_display;
  QComboBox* m_windowPreset = nullptr;
  QDoubleSpinBox* m_lower = nullptr;
  QDoubleSpinBox* m_upper = nullptr;
  QCheckBox* m_labelsVisible = nullptr;
  QSlider* m_labelOpacity = nullptr;
  QGroupBox* m_predictionGroup = nullptr;
  QCheckBox* m_predictionVisible = nullptr;
  QComboBox* m_predictionStyle = nullptr;
  QSlider* m_threshold = nullptr;
  QLabel* m_thresholdLabel = nullptr;
  QSlider* m_predictionOpacity = nullptr;
  QCheckBox* m_volumeVisible = nullptr;
  QComboBox* m_transferPreset = nullptr;
  QSlider* m_volumeOpacity = nullptr;
  QComboBox* m_surfaceSource = nullptr;
  QCheckBox* m_planesVisible = nullptr;
};

} // namespace ui
