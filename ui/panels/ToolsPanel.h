#pragma once
/// \file ToolsPanel.h
/// The Tools dock: tool buttons, brush size, paint-over mode, active class, the threshold-limited
/// brush (a checkbox and the intensity range, prefilled from the current window), the flood
/// tolerance, and the label commands (interpolate, mark annotated, accept prediction, delete
/// component). Writes ToolSettings; the buttons trigger LabelActions' actions. GUI thread only.

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace ui {

class DisplaySettings;
class LabelActions;
class Session;
class ToolSettings;

class ToolsPanel : public QWidget {
  Q_OBJECT
public:
  ToolsPanel(Session& session, DisplaySettings& display, ToolSettings& settings, LabelActions& actions,
             QWidget* parent = nullptr);

  QSpinBox* sizeBox() const { return m_size; }
  QComboBox* paintOverBox() const { return m_over; }
  QComboBox* classBox() const { return m_class; }
  QCheckBox* thresholdBox() const { return m_threshold; }

private:
  void syncFromSettings();
  void applyThreshold();

  Session& m_session;
  DisplaySettings& m_display;
  ToolSettings& m_settings;
  QSpinBox* m_size;
  QComboBox* m_over;
  QComboBox* m_class;
  QCheckBox* m_threshold;
  QDoubleSpinBox* m_low;
  QDoubleSpinBox* m_high;
  QDoubleSpinBox* m_tolerance;
};

} // namespace ui
