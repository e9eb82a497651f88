#include "ui/model/DisplaySettings.h"

#include "ui/model/ImageStatistics.h"

#include <algorithm>
#include <cmath>

namespace ui {

DisplaySettings::DisplaySettings(QObject* parent) : QObject(parent) {
  m_labelColours = {QColor(0, 0, 0), QColor(40, 150, 255), QColor(255, 40, 40)};
}

void DisplaySettings::setWindowLevel(double window, double level) {
  if (!std::isfinite(window) || !std::isfinite(level)) return;
  window = std::max(window, 1e-12);
  if (window == m_window && level == m_level) return;
  m_window = window;
  m_level = level;
  Q_EMIT windowLevelChanged();
}

void DisplaySettings::setRange(double lower, double upper) {
  if (upper <= lower) upper = lower + std::max(std::abs(lower) * 1e-6, 1e-6);
  setWindowLevel(upper - lower, (upper + lower) / 2);
}

void DisplaySettings::applyPreset(WindowPreset preset, const ImageStatistics& stats, double typeMax) {
  switch (preset) {
  case WindowPreset::Auto: setRange(stats.percentile(0.5), stats.percentile(99.5)); break;
  case WindowPreset::AutoWide: setRange(stats.percentile(0.05), stats.percentile(99.95)); break;
  case WindowPreset::MinMax: setRange(stats.min(), stats.max()); break;
  case WindowPreset::TypeRange:
    if (typeMax > 0) setRange(0, typeMax);
    else setRange(stats.min(), stats.max());
    break;
  }
}

void DisplaySettings::setLabelsVisible(bool on) {
  if (on == m_labelsVisible) return;
  m_labelsVisible = on;
  Q_EMIT overlayChanged();
}

void DisplaySettings::setLabelOpacity(double opacity) {
  opacity = std::clamp(opacity, 0.0, 1.0);
  if (opacity == m_labelOpacity) return;
  m_labelOpacity = opacity;
  Q_EMIT overlayChanged();
}

QColor DisplaySettings::labelColour(int label) const {
  if (label >= 0 && label < int(m_labelColours.size())) return m_labelColours[std::size_t(label)];
  // A fixed palette for labels beyond the convention (never produced today).
  return QColor::fromHsv((label * 47) % 360, 200, 255);
}

void DisplaySettings::setLabelColour(int label, const QColor& colour) {
  if (label < 1 || label >= int(m_labelColours.size()) || m_labelColours[std::size_t(label)] == colour) return;
  m_labelColours[std::size_t(label)] = colour;
  Q_EMIT overlayChanged();
}

void DisplaySettings::setPredictionVisible(bool on) {
  if (on == m_predictionVisible) return;
  m_predictionVisible = on;
  Q_EMIT overlayChanged();
}

void DisplaySettings::setPredictionStyle(PredictionStyle style) {
  if (style == m_predictionStyle) return;
  m_predictionStyle = style;
  Q_EMIT overlayChanged();
}

void DisplaySettings::setPredictionThreshold(int threshold) {
  threshold = std::clamp(threshold, 1, 255);
  if (threshold == m_predictionThreshold) return;
  m_predictionThreshold = threshold;
  Q_EMIT overlayChanged();
  if (m_surfaceSource == SurfaceSource::Prediction) Q_EMIT view3DChanged();
}

void DisplaySettings::setPredictionOpacity(double opacity) {
  opacity = std::clamp(opacity, 0.0, 1.0);
  if (opacity == m_predictionOpacity) return;
  m_predictionOpacity = opacity;
  Q_EMIT overlayChanged();
}

void DisplaySettings::setCrosshairVisible(bool on) {
  if (on == m_crosshairVisible) return;
  m_crosshairVisible = on;
  Q_EMIT decorationsChanged();
}

void DisplaySettings::setVolumeRenderingVisible(bool on) {
  if (on == m_volumeVisible) return;
  m_volumeVisible = on;
  Q_EMIT view3DChanged();
}

void DisplaySettings::setTransferPreset(TransferPreset preset) {
  if (preset == m_transferPreset) return;
  m_transferPreset = preset;
  Q_EMIT view3DChanged();
}

void DisplaySettings::setVolumeOpacity(double opacity) {
  opacity = std::clamp(opacity, 0.0, 1.0);
  if (opacity == m_volumeOpacity) return;
  m_volumeOpacity = opacity;
  Q_EMIT view3DChanged();
}

void DisplaySettings::setSurfaceSource(SurfaceSource source) {
  if (source == m_surfaceSource) return;
  m_surfaceSource = source;
  Q_EMIT view3DChanged();
}

void DisplaySettings::setSlicePlanesVisible(bool on) {
  if (on == m_planesVisible) return;
  m_planesVisible = on;
  Q_EMIT view3DChanged();
}

} // namespace ui
