#include "ui/views/ParticleSurfaces.h"

#include "ui/model/ParticleLayer.h"
#include "ui/views/VolumeView3D.h"

#include <vtkActor.h>
#include <vtkDiscreteMarchingCubes.h>
#include <vtkImageData.h>
#include <vtkLookupTable.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkUnsignedIntArray.h>
#include <vtkPointData.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ui {

namespace vol = core::volume;

ParticleSurfaces::ParticleSurfaces(ParticleLayer& layer, VolumeView3D& view, QObject* parent)
    : QObject(parent), m_layer(layer), m_view(view) {
  m_actor = vtkSmartPointer<vtkActor>::New();
  m_lut = vtkSmartPointer<vtkLookupTable>::New();
  m_actor->VisibilityOff();
  m_actor->PickableOff();
  m_actor->GetProperty()->SetAmbient(0.25);
  m_actor->GetProperty()->SetDiffuse(0.8);
  m_view.renderer()->AddActor(m_actor);
  connect(&m_layer, &ParticleLayer::layerChanged, this, &ParticleSurfaces::rebuild);
  connect(&m_layer, &ParticleLayer::tableChanged, this, &ParticleSurfaces::recolour);
}

ParticleSurfaces::~ParticleSurfaces() = default;

void ParticleSurfaces::setColourColumn(int column) {
  m_column = column;
  recolour();
}

void ParticleSurfaces::setVisible(bool on) {
  m_visible = on;
  m_actor->SetVisibility(m_visible && m_hasSurface);
  m_view.update();
}

void ParticleSurfaces::rebuild() {
  m_hasSurface = false;
  m_triangles = 0;
  if (m_layer.isEmpty()) {
    m_actor->VisibilityOff();
    m_view.update();
    return;
  }
  // Nearest sample at block centres keeps ids intact (a mean would invent ids).
  const vol::Volume& labels = m_layer.labels();
  const int maxDim = VolumeView3D::maxDimensionFor(m_view.isSoftwareRenderer()) / 2;
  const vol::Size3 n = labels.size();
  const std::int64_t largest = std::max({n.x, n.y, n.z});
  const int f = int(std::max<std::int64_t>(1, (largest + maxDim - 1) / maxDim));
  const int ox = int((n.x + f - 1) / f), oy = int((n.y + f - 1) / f), oz = int((n.z + f - 1) / f);
  auto image = vtkSmartPointer<vtkImageData>::New();
  // One voxel of background around, so particles cut by the border get closed surfaces.
  image->SetDimensions(ox + 2, oy + 2, oz + 2);
  const vol::Vec3 sp = labels.spacing();
  const double shift = (f - 1) / 2.0;
  image->SetSpacing(sp.x * f, sp.y * f, sp.z * f);
  image->SetOrigin((shift - f) * sp.x, (shift - f) * sp.y, (shift - f) * sp.z);
  auto scalars = vtkSmartPointer<vtkUnsignedIntArray>::New();
  scalars->SetNumberOfTuples(vtkIdType(ox + 2) * (oy + 2) * (oz + 2));
  scalars->Fill(0);
  const std::uint32_t* p = labels.as<std::uint32_t>();
  std::uint32_t maxId = 0;
  for (int z = 0; z < oz; ++z)
    for (int y = 0; y < oy; ++y)
      for (int x = 0; x < ox; ++x) {
        const std::int64_t sx = std::min<std::int64_t>(std::int64_t(x) * f + f / 2, n.x - 1);
        const std::int64_t sy = std::min<std::int64_t>(std::int64_t(y) * f + f / 2, n.y - 1);
        const std::int64_t sz = std::min<std::int64_t>(std::int64_t(z) * f + f / 2, n.z - 1);
        const std::uint32_t id = p[labels.index(sx, sy, sz)];
        maxId = std::max(maxId, id);
        scalars->SetValue((vtkIdType(z + 1) * (oy + 2) + (y + 1)) * (ox + 2) + (x + 1), id);
      }
  image->GetPointData()->SetScalars(scalars);
  m_maxId = maxId;
  if (maxId == 0) {
    m_actor->VisibilityOff();
    m_view.update();
    return;
  }
  auto mc = vtkSmartPointer<vtkDiscreteMarchingCubes>::New();
  mc->SetInputData(image);
  mc->GenerateValues(int(maxId), 1, maxId);
  mc->ComputeScalarsOn();
  mc->ComputeNormalsOff();
  mc->Update();
  vtkSmartPointer<vtkPolyData> surface = mc->GetOutput();
  m_triangles = surface->GetNumberOfCells();
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(surface);
  mapper->SetScalarModeToUseCellData();
  mapper->SetColorModeToMapScalars();
  mapper->SetLookupTable(m_lut);
  mapper->SetScalarRange(0, maxId);
  mapper->ScalarVisibilityOn();
  m_actor->SetMapper(mapper);
  m_hasSurface = m_triangles > 0;
  recolour();
}

void ParticleSurfaces::setValues(std::unordered_map<std::uint32_t, double> values) {
  m_values = std::move(values);
  if (m_column == kValuesColumn) recolour();
}

bool ParticleSurfaces::colourOf(std::uint32_t id, double rgb[3]) const {
  if (!m_hasSurface || id > m_maxId) return false;
  double rgba[4];
  m_lut->GetTableValue(vtkIdType(id), rgba);
  for (int i = 0; i < 3; ++i) rgb[i] = rgba[i];
  return true;
}

void ParticleSurfaces::recolour() {
  if (!m_hasSurface) {
    m_actor->SetVisibility(false);
    m_view.update();
    return;
  }
  const auto& t = m_layer.table();
  const int idCol = t.indexOf("id");
  const bool byValues = m_column == kValuesColumn;
  const bool byColumn = !byValues && m_column >= 0 && m_column < t.columnCount() && idCol >= 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  if (byColumn)
    for (double v : t.column(m_column).values)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (byValues)
    for (const auto& [id, v] : m_values)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  auto ramp = vtkSmartPointer<vtkLookupTable>::New();
  ramp->SetHueRange(0.667, 0.0);
  ramp->SetTableRange(0, 1);
  ramp->Build();
  m_lut->SetNumberOfTableValues(vtkIdType(m_maxId) + 1);
  m_lut->SetTableRange(0, m_maxId);
  for (vtkIdType i = 0; i <= vtkIdType(m_maxId); ++i) m_lut->SetTableValue(i, 0.6, 0.6, 0.6, 1.0);
  double rgb[3];
  for (std::int64_t r = 0; r < t.rowCount() && idCol >= 0; ++r) {
    const auto id = vtkIdType(t.value(r, idCol));
    if (id <= 0 || id > vtkIdType(m_maxId)) continue;
    if (byColumn || byValues) {
      double v = std::numeric_limits<double>::quiet_NaN();
      if (byColumn) v = t.value(r, m_column);
      else if (const auto it = m_values.find(std::uint32_t(id)); it != m_values.end()) v = it->second;
      if (!std::isfinite(v)) continue;
      ramp->GetColor(hi > lo ? (v - lo) / (hi - lo) : 0.5, rgb);
    } else {
      // Golden-ratio hues by id.
      ramp->GetColor(std::fmod(double(id) * 0.6180339887, 1.0), rgb);
    }
    m_lut->SetTableValue(id, rgb[0], rgb[1], rgb[2], 1.0);
  }
  m_lut->Modified();
  m_actor->SetVisibility(m_visible);
  m_view.update();
}

} // namespace ui
