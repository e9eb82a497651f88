#pragma once
/// \file VolumeView3D.h
/// The 3D view: volume rendering of the image (downsampled for big volumes), the crack surface
/// from the labels or the prediction, the slice planes through the crosshair. Left drag rotates,
/// middle drag pans, right drag or wheel zooms (VTK's trackball camera); the picture is coarser
/// while the mouse moves or the slices scroll, then sharp again. Double-click maximises.
/// GUI thread only; the crack surface is extracted on the JobRunner's Surface lane from a copy of a
/// small mask (one extraction at a time; edits meanwhile ask for one more when it is done).
/// A lazily read volume (showLazy, from the LazyBrowser) is shown instead of the Session's image
/// from one coarse level, read whole on the Surface lane (issue 16: "the 3D view uses a coarse level").

#include "core/volume/Volume.h"
#include "ui/views/CrackSurfaceMask.h"
#include "ui/views/Scene3D.h"
#include "ui/views/VtkHostWidget.h"

#include <QPointer>
#include <QTimer>

#include <memory>

#include <vtkSmartPointer.h>

class vtkPolyData;

namespace core::volume {
class LazyVolume;
}

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

  /// Bytes of a lazily read volume's level that the 3D view reads whole at most (see lazyLevelFor).
  static constexpr std::uint64_t kLazyLevelBudget = std::uint64_t(64) << 20;
  /// Shows \p volume (read lazily) instead of the Session's image: the level lazyLevelFor() picks
  /// is read on the Surface lane and drawn when it is there (sceneReady then); until then only the
  /// outline. No crack surface. nullptr shows the Session's image again.
  void showLazy(std::shared_ptr<core::volume::LazyVolume> volume);
  /// True while a lazily read volume is shown (or being read for showing).
  bool showsLazy() const { return bool(m_lazy); }
  /// The level of \p volume the 3D view reads: among the levels of at most \p budget bytes, the
  /// coarsest whose longest side still has \p maxDim voxels (the finest of them when none has);
  /// the coarsest level when none fits the budget.
  static int lazyLevelFor(const core::volume::LazyVolume& volume, int maxDim, std::uint64_t budget = kLazyLevelBudget);

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
  void startLazyLoad();
  void onLazyLoaded(std::shared_ptr<core::volume::Volume> image, double lower, double upper, int generation);

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
  std::shared_ptr<core::volume::LazyVolume> m_lazy; ///< shown instead of the Session's image
  core::volume::Volume m_lazyImage;                 ///< its level m_lazyLevel, once read
  int m_lazyLevel = 0, m_lazyGeneration = 0;
  bool m_lazyLoading = false; ///< reading (or waiting for the Surface lane to read) m_lazyImage
  double m_lazyLower = 0, m_lazyUpper = 1; ///< 0.5 and 99.5 percentiles of m_lazyImage
};

} // namespace ui
