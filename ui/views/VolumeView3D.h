#pragma once
/// \file VolumeView3D.h
/// The 3D view: volume rendering of the image (downsampled for big volumes), the crack surface
/// from the labels or the prediction, the slice planes through the crosshair. Left drag rotates,
/// middle drag pans, right drag or wheel zooms (VTK's trackball camera); the picture is coarser
/// while the mouse moves or the slices scroll, then sharp again. Double-click maximises.
/// GUI thread only; the crack surface is extracted on the JobRunner's Surface lane from a copy of a
/// small mask (one extraction at a time; edits meanwhile ask for one more when it is done).

#include "core/volume/Volume.h"
#include "ui/views/CrackSurfaceMask.h"
#include "ui/views/Scene3D.h"
#include "ui/views/VtkHostWidget.h"

#include <QPointer>
#include <QTimer>

#include <vtkSmartPointer.h>

class vtkPolyData;

namespace ui {

class CursorModel;
class DisplaySettings;
class JobLane;
class JobRunner;
class Session;

class VolumeView3D : public VtkHostWidget {
  Q_OBJECT
public:
  /// Extracts crack surfaces on \p jobs' Surface lane.
  VolumeView3D(Session& session, CursorModel& cursor, DisplaySettings& display, JobRunner& jobs,
               QWidget* parent = nullptr);
  ~VolumeView3D() override;

  void resetCamera();
  /// The main renderer (other layers, e.g. particle surfaces, add their actors here).
  vtkRenderer* renderer() const { return m_scene.renderer(); }
  /// True while the crack surface is being extracted or waits to be.
  bool isBusy() const;
  /// True when a crack surface is shown.
  bool hasSurface() const { return m_scene.hasSurface(); }
  /// Colour of the crack surface made from the prediction (from the labels: the crack label's colour).
  static constexpr std::uint32_t kPredictionSurfaceRgb = 0xffaa28; ///< R 255, G 170, B 40
  /// Largest dimension of the 3D data: 256 (hardware OpenGL) or 128 (software OpenGL).
  static int maxDimensionFor(bool softwareRenderer) { return softwareRenderer ? 128 : 256; }

Q_SIGNALS:
  void maximiseToggled();
  /// The scene is complete (surface extracted or none to extract).
  void sceneReady();

protected:
  void prepareRender() override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;

private:
  void onDatasetChanged();
  void onLabelsChanged(const core::volume::Region& region);
  void onPredictionChanged(const core::volume::Region& region);
  void onSettingsChanged();
  void applyTransfer();
  void setupVolume();
  void rebuildMask();
  void startSurface();
  void onSurfaceReady(vtkSmartPointer<vtkPolyData> surface, int generation);
  void forwardMouse(QMouseEvent* event, unsigned long vtkEvent);
  void renderInteractive();

  Session& m_session;
  CursorModel& m_cursor;
  DisplaySettings& m_display;
  Scene3D m_scene;
  CrackSurfaceMask m_mask;
  SurfaceSource m_maskSource = SurfaceSource::None;
  int m_maskThreshold = -1;
  QPointer<JobLane> m_surfaceLane;
  int m_surfaceGeneration = 0;
  bool m_surfaceWanted = false;
  bool m_extracting = false; ///< from start until onSurfaceReady ran
  QTimer m_surfaceTimer; ///< debounces label edits before re-extracting the surface
  QTimer m_planeTimer;   ///< coalesces slice-plane moves
  QTimer m_stillTimer;   ///< full quality again after interaction
  bool m_interacting = false;
  bool m_volumeDirty = false;          ///< volume rendering input to set up at the next paint
  core::volume::Volume m_localPreview; ///< further downsampled preview for software OpenGL
};

} // namespace ui
