#pragma once
/// \file ToolSettings.h
/// The state of the label tools: which tool is active, the brush size, what may be painted over,
/// the class painted, the intensity window of the threshold-limited brush and the flood tolerance.
/// The Tools panel writes it; LabelTools reads it. GUI thread only.

#include "core/labels/LabelConvention.h"
#include "core/labels/PaintRule.h"

#include <QObject>

namespace core::volume {
class Volume;
}

namespace ui {

class ImageStatistics;

/// The tools of the slice views. Navigate leaves the mouse to the view (crosshair, pan, zoom).
enum class ToolKind { Navigate, Brush, Eraser, Sphere, Polygon, Flood };

class ToolSettings : public QObject {
  Q_OBJECT
public:
  explicit ToolSettings(QObject* parent = nullptr) : QObject(parent) {}

  ToolKind tool() const { return m_tool; }
  void setTool(ToolKind tool);
  /// Brush diameter in voxels, 1..kMaxSize.
  int size() const { return m_size; }
  void setSize(int voxels);
  static constexpr int kMaxSize = 201;
  /// What tools may overwrite; overClass() is the class of PaintOver::OneClass.
  core::labels::PaintOver paintOver() const { return m_over; }
  std::uint8_t overClass() const { return m_overClass; }
  void setPaintOver(core::labels::PaintOver over, std::uint8_t overClass);
  /// The class painted by brush, sphere, polygon and flood fill (kCrack or kNotCrack).
  std::uint8_t activeClass() const { return m_class; }
  void setActiveClass(std::uint8_t value);
  /// Threshold-limited painting: only voxels with image values in [low, high].
  bool thresholdEnabled() const { return m_thresholdOn; }
  double thresholdLow() const { return m_low; }
  double thresholdHigh() const { return m_high; }
  void setThreshold(bool enabled, double low, double high);
  /// Flood fill tolerance in image grey values.
  double floodTolerance() const { return m_tolerance; }
  void setFloodTolerance(double tolerance);

  /// A flood tolerance that suits \p statistics' data: 5 % of its robust range (0.5 to 99.5
  /// percentile; the full range when that is flat), to two significant digits. 0 for a flat image.
  static double defaultFloodTolerance(const ImageStatistics& statistics);

  /// The paint rule for tools writing over \p image (the threshold refers to it).
  core::labels::PaintRule rule(const core::volume::Volume& image) const;

Q_SIGNALS:
  void toolChanged(ui::ToolKind tool);
  /// Anything but the tool changed.
  void settingsChanged();

private:
  ToolKind m_tool = ToolKind::Navigate;
  int m_size = 7;
  core::labels::PaintOver m_over = core::labels::PaintOver::Everything;
  std::uint8_t m_overClass = core::labels::kNotCrack;
  std::uint8_t m_class = core::labels::kCrack;
  bool m_thresholdOn = false;
  double m_low = 0, m_high = 255;
  double m_tolerance = 10;
};

} // namespace ui
