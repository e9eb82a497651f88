#pragma once
/// \file DisplaySettings.h
/// How the dataset is shown, shared by all views: window/level of the image, the label overlay,
/// the prediction overlay and the 3D view's options. Panels write it, views observe it.
/// GUI thread only.

#include <QColor>
#include <QObject>

#include <array>

namespace ui {

class ImageStatistics;

/// How the prediction overlay is drawn on slices.
enum class PredictionStyle { ColourMap, Outline };
/// Where the 3D crack surface comes from.
enum class SurfaceSource { None, Labels, Prediction };
/// Transfer-function presets of the 3D volume rendering.
enum class TransferPreset { BrightPhase, Linear, Mip };

/// Window/level presets. Auto ones use the image histogram.
enum class WindowPreset { Auto, AutoWide, MinMax, TypeRange };

class DisplaySettings : public QObject {
  Q_OBJECT
public:
  explicit DisplaySettings(QObject* parent = nullptr);

  // Window/level, in the image's grey values. Voxels at or below lower() are black, at or above
  // upper() white.
  double window() const { return m_window; }
  double level() const { return m_level; }
  double lower() const { return m_level - m_window / 2; }
  double upper() const { return m_level + m_window / 2; }
  void setWindowLevel(double window, double level);
  void setRange(double lower, double upper);
  /// Applies a preset computed from \p stats; \p typeMax is the largest value of the voxel type
  /// (255, 65535; ignored for float32, where TypeRange falls back to MinMax).
  void applyPreset(WindowPreset preset, const ImageStatistics& stats, double typeMax);

  // Label overlay (labels 1 = not crack, 2 = crack).
  bool labelsVisible() const { return m_labelsVisible; }
  void setLabelsVisible(bool on);
  double labelOpacity() const { return m_labelOpacity; }  ///< 0..1
  void setLabelOpacity(double opacity);
  /// Colour of label value \p label (1..255); unknown labels get a fixed palette colour.
  QColor labelColour(int label) const;
  void setLabelColour(int label, const QColor& colour);

  // Prediction overlay (uint8 probability x 255).
  bool predictionVisible() const { return m_predictionVisible; }
  void setPredictionVisible(bool on);
  PredictionStyle predictionStyle() const { return m_predictionStyle; }
  void setPredictionStyle(PredictionStyle style);
  int predictionThreshold() const { return m_predictionThreshold; } ///< 0..255: shown when >= this
  void setPredictionThreshold(int threshold);
  double predictionOpacity() const { return m_predictionOpacity; } ///< 0..1
  void setPredictionOpacity(double opacity);

  /// Crosshair lines on the slice views.
  bool crosshairVisible() const { return m_crosshairVisible; }
  void setCrosshairVisible(bool on);

  // 3D view.
  bool volumeRenderingVisible() const { return m_volumeVisible; }
  void setVolumeRenderingVisible(bool on);
  TransferPreset transferPreset() const { return m_transferPreset; }
  void setTransferPreset(TransferPreset preset);
  double volumeOpacity() const { return m_volumeOpacity; } ///< 0..1, scales the opacity curve
  void setVolumeOpacity(double opacity);
  SurfaceSource surfaceSource() const { return m_surfaceSource; }
  void setSurfaceSource(SurfaceSource source);
  bool slicePlanesVisible() const { return m_planesVisible; }
  void setSlicePlanesVisible(bool on);

Q_SIGNALS:
  void windowLevelChanged();
  void overlayChanged();
  /// Crosshair shown or hidden (no resampling needed).
  void decorationsChanged();
  void view3DChanged();

private:
  double m_window = 255, m_level = 127.5;
  bool m_labelsVisible = true;
  double m_labelOpacity = 0.5;
  std::array<QColor, 3> m_labelColours;
  bool m_predictionVisible = true;
  PredictionStyle m_predictionStyle = PredictionStyle::ColourMap;
  int m_predictionThreshold = 128;
  double m_predictionOpacity = 0.75;
  bool m_crosshairVisible = true;
  bool m_volumeVisible = true;
  TransferPreset m_transferPreset = TransferPreset::BrightPhase;
  double m_volumeOpacity = 0.5;
  SurfaceSource m_surfaceSource = SurfaceSource::Prediction;
  bool m_planesVisible = true;
};

} // namespace ui
