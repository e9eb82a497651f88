#pragma once
/// \file Scene3D.h
/// The VTK scene of the 3D view: volume rendering of the (downsampled) image, the crack surface,
/// the three slice planes, the volume's outline and an orientation marker. World coordinates are
/// micrometres with voxel (i, j, k) centred at (i, j, k) x spacing. GUI thread only.

#include "core/volume/Volume.h"
#include "ui/model/DisplaySettings.h"

#include <QColor>

#include <vtkSmartPointer.h>

#include <array>

class vtkActor;
class vtkAxesActor;
class vtkColorTransferFunction;
class vtkImageData;
class vtkPiecewiseFunction;
class vtkPolyData;
class vtkRenderer;
class vtkSmartVolumeMapper;
class vtkVolume;

namespace ui {

class Scene3D {
public:
  Scene3D();
  ~Scene3D();
  Scene3D(const Scene3D&) = delete;
  Scene3D& operator=(const Scene3D&) = delete;

  vtkRenderer* renderer() const;
  /// The small corner renderer with the axes (draw on layer 1).
  vtkRenderer* axesRenderer() const;

  /// The full volume's size and spacing (outline and planes). An empty size clears the scene.
  void setBounds(const core::volume::Size3& size, const core::volume::Vec3& spacing);
  /// What volume rendering shows: \p volume (not owned; must outlive the scene's use of it, i.e.
  /// until the next call) downsampled by \p factor from the full volume; nullptr for nothing.
  void setVolume(const core::volume::Volume* volume, int factor);
  /// Transfer function between grey values \p lower and \p upper (the image's percentiles).
  void setTransfer(TransferPreset preset, double opacity, double lower, double upper, bool shade);
  void setVolumeVisible(bool on);
  /// The crack surface (micrometres) in \p colour; nullptr hides it.
  void setSurface(vtkPolyData* surface, const QColor& colour);
  /// Places the slice planes through voxel \p cursor.
  void setPlanes(const core::volume::Index3& cursor, bool visible);
  /// Looks at the whole volume from an oblique direction, z up.
  void resetCamera();
  /// Turns the axes marker to match the main camera. Call before each render.
  void syncAxes();
  bool hasSurface() const { return m_hasSurface; }

private:
  vtkSmartPointer<vtkRenderer> m_renderer, m_axesRenderer;
  vtkSmartPointer<vtkAxesActor> m_axes;
  vtkSmartPointer<vtkVolume> m_volume;
  vtkSmartPointer<vtkSmartVolumeMapper> m_mapper;
  vtkSmartPointer<vtkImageData> m_volumeImage;
  vtkSmartPointer<vtkColorTransferFunction> m_colour;
  vtkSmartPointer<vtkPiecewiseFunction> m_opacity;
  vtkSmartPointer<vtkActor> m_surface, m_outline;
  vtkSmartPointer<vtkPolyData> m_outlineData;
  std::array<vtkSmartPointer<vtkActor>, 3> m_planes;
  std::array<vtkSmartPointer<vtkPolyData>, 3> m_planeData;
  core::volume::Size3 m_size;
  core::volume::Vec3 m_spacing{1, 1, 1};
  bool m_volumeVisible = true, m_hasVolume = false, m_hasSurface = false;
};

} // namespace ui
