#pragma once
/// \file ParticleSurfaces.h
/// The particles in the 3D view: one surface per particle (vtkDiscreteMarchingCubes on the
/// particle labels sampled at most 64 voxels per axis on software OpenGL, 128 otherwise), coloured
/// by a chosen column of the particle table through a lookup table keyed by particle id (blue for
/// the column's minimum to red for its maximum; by id when no column is chosen). Recolouring never
/// re-extracts. Built on the GUI thread (the sampled volume is small). GUI thread only.

#include <QObject>

#include <vtkSmartPointer.h>

#include <cstdint>
#include <unordered_map>

class vtkActor;
class vtkLookupTable;

namespace ui {

class ParticleLayer;
class VolumeView3D;

class ParticleSurfaces : public QObject {
  Q_OBJECT
public:
  ParticleSurfaces(ParticleLayer& layer, VolumeView3D& view, QObject* parent = nullptr);
  ~ParticleSurfaces() override;

  /// Colours by table column \p column (index; -1: by particle id; kValuesColumn: by the values
  /// of setValues, e.g. the crack growth from a second time point).
  void setColourColumn(int column);
  static constexpr int kValuesColumn = -2;
  /// Values per particle id for kValuesColumn (particles without one are grey).
  void setValues(std::unordered_map<std::uint32_t, double> values);
  /// The colour of particle \p id now (r, g, b in 0..1); false when unknown.
  bool colourOf(std::uint32_t id, double rgb[3]) const;
  int colourColumn() const { return m_column; }
  void setVisible(bool on);
  bool isVisible() const { return m_visible; }
  /// True when a particle surface is in the scene.
  bool hasSurface() const { return m_hasSurface; }
  /// Number of triangles of the current surface.
  long long triangleCount() const { return m_triangles; }

private:
  void rebuild();
  void recolour();

  ParticleLayer& m_layer;
  VolumeView3D& m_view;
  vtkSmartPointer<vtkActor> m_actor;
  vtkSmartPointer<vtkLookupTable> m_lut;
  int m_column = -1;
  bool m_visible = true, m_hasSurface = false;
  long long m_triangles = 0;
  unsigned m_maxId = 0;
  std::unordered_map<std::uint32_t, double> m_values;
};

} // namespace ui
