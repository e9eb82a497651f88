#include "ui/tools/ToolSettings.h"

#include "ui/model/ImageStatistics.h"

#include <algorithm>
#include <cmath>

namespace ui {

double ToolSettings::defaultFloodTolerance(const ImageStatistics& statistics) {
  double range = statistics.percentile(99.5) - statistics.percentile(0.5);
  if (!(range > 0)) range = statistics.max() - statistics.min();
  if (!(range > 0) || !std::isfinite(range)) return 0;
  const double t = 0.05 * range;
  const double unit = std::pow(10.0, std::floor(std::log10(t)) - 1); // two significant digits
  return std::round(t / unit) * unit;
}

void ToolSettings::setTool(ToolKind tool) {
  if (tool == m_tool) return;
  m_tool = tool;
  Q_EMIT toolChanged(tool);
}

void ToolSettings::setSize(int voxels) {
  voxels = std::clamp(voxels, 1, kMaxSize);
  if (voxels == m_size) return;
  m_size = voxels;
  Q_EMIT settingsChanged();
}

void ToolSettings::setPaintOver(core::labels::PaintOver over, std::uint8_t overClass) {
  if (over == m_over && overClass == m_overClass) return;
  m_over = over;
  m_overClass = overClass;
  Q_EMIT settingsChanged();
}

void ToolSettings::setActiveClass(std::uint8_t value) {
  if (value == m_class) return;
  m_class = value;
  Q_EMIT settingsChanged();
}

void ToolSettings::setThreshold(bool enabled, double low, double high) {
  if (low > high) std::swap(low, high);
  if (enabled == m_thresholdOn && low == m_low && high == m_high) return;
  m_thresholdOn = enabled;
  m_low = low;
  m_high = high;
  Q_EMIT settingsChanged();
}

void ToolSettings::setFloodTolerance(double tolerance) {
  tolerance = std::max(0.0, tolerance);
  if (tolerance == m_tolerance) return;
  m_tolerance = tolerance;
  Q_EMIT settingsChanged();
}

core::labels::PaintRule ToolSettings::rule(const core::volume::Volume& image) const {
  core::labels::PaintRule r;
  r.over = m_over;
  r.overClass = m_overClass;
  if (m_thresholdOn) r = r.withThreshold(image, m_low, m_high);
  return r;
}

} // namespace ui
