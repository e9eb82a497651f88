#include "ui/views/Scene3D.h"

#include "ui/views/SliceTransform.h"
#include "ui/views/VtkBridge.h"

#include <vtkActor.h>
#include <vtkAxesActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkColorTransferFunction.h>
#include <vtkImageData.h>
#include <vtkPiecewiseFunction.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkSmartVolumeMapper.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>

#include <algorithm>
#include <cmath>

namespace ui {

namespace vol = core::volume;

namespace {

vtkSmartPointer<vtkActor> lineActor(vtkPolyData* data, const QColor& colour, double width) {
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(data);
  auto actor = vtkSmartPointer<vtkActor>::New();
  actor->SetMapper(mapper);
  actor->GetProperty()->SetColor(colour.redF(), colour.greenF(), colour.blueF());
  actor->GetProperty()->SetLineWidth(float(width));
  actor->GetProperty()->LightingOff();
  actor->PickableOff();
  return actor;
}

} // namespace

Scene3D::Scene3D() {
  m_renderer = vtkSmartPointer<vtkRenderer>::New();
  m_renderer->GradientBackgroundOn();
  m_renderer->SetBackground(0.05, 0.06, 0.09);  // bottom
  m_renderer->SetBackground2(0.22, 0.26, 0.36); // top
  m_renderer->SetLayer(0);

  m_colour = vtkSmartPointer<vtkColorTransferFunction>::New();
  m_opacity = vtkSmartPointer<vtkPiecewiseFunction>::New();
  m_mapper = vtkSmartPointer<vtkSmartVolumeMapper>::New();
  m_mapper->SetInteractiveUpdateRate(10);
  m_volume = vtkSmartPointer<vtkVolume>::New();
  m_volume->SetMapper(m_mapper);
  m_volume->GetProperty()->SetColor(m_colour);
  m_volume->GetProperty()->SetScalarOpacity(m_opacity);
  m_volume->GetProperty()->SetInterpolationTypeToLinear();
  m_volume->VisibilityOff();
  m_renderer->AddVolume(m_volume);

  auto surfaceMapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  surfaceMapper->ScalarVisibilityOff();
  m_surface = vtkSmartPointer<vtkActor>::New();
  m_surface->SetMapper(surfaceMapper);
  m_surface->GetProperty()->SetSpecular(0.3);
  m_surface->GetProperty()->SetSpecularPower(20);
  m_surface->VisibilityOff();
  m_renderer->AddActor(m_surface);

  m_outlineData = vtkSmartPointer<vtkPolyData>::New();
  m_outline = lineActor(m_outlineData, QColor(150, 160, 180), 1);
  m_outline->VisibilityOff();
  m_renderer->AddActor(m_outline);
  for (int i = 0; i < 3; ++i) {
    m_planeData[std::size_t(i)] = vtkSmartPointer<vtkPolyData>::New();
    m_planes[std::size_t(i)] = lineActor(m_planeData[std::size_t(i)], orientationColour(SliceOrientation(i)), 2);
    m_planes[std::size_t(i)]->VisibilityOff();
    m_renderer->AddActor(m_planes[std::size_t(i)]);
  }

  m_axesRenderer = vtkSmartPointer<vtkRenderer>::New();
  m_axesRenderer->SetViewport(0.0, 0.0, 0.16, 0.2);
  m_axesRenderer->SetLayer(1);
  m_axesRenderer->InteractiveOff();
  m_axes = vtkSmartPointer<vtkAxesActor>::New();
  m_axes->SetShaftTypeToCylinder();
  m_axes->SetTotalLength(1, 1, 1);
  m_axes->SetXAxisLabelText("x");
  m_axes->SetYAxisLabelText("y");
  m_axes->SetZAxisLabelText("z");
  m_axesRenderer->AddActor(m_axes);
}

Scene3D::~Scene3D() = default;

vtkRenderer* Scene3D::renderer() const { return m_renderer; }
vtkRenderer* Scene3D::axesRenderer() const { return m_axesRenderer; }

void Scene3D::setBounds(const vol::Size3& size, const vol::Vec3& spacing) {
  m_size = size;
  m_spacing = spacing;
  const bool any = !size.empty();
  m_outline->SetVisibility(any);
  if (!any) {
    for (auto& p : m_planes) p->VisibilityOff();
    setVolume(nullptr, 1);
    setSurface(nullptr, Qt::white);
    return;
  }
  const double x0 = -0.5 * spacing.x, y0 = -0.5 * spacing.y, z0 = -0.5 * spacing.z;
  const double x1 = (double(size.x) - 0.5) * spacing.x, y1 = (double(size.y) - 0.5) * spacing.y,
               z1 = (double(size.z) - 0.5) * spacing.z;
  auto points = vtkSmartPointer<vtkPoints>::New();
  for (int i = 0; i < 8; ++i) points->InsertNextPoint(i & 1 ? x1 : x0, i & 2 ? y1 : y0, i & 4 ? z1 : z0);
  auto lines = vtkSmartPointer<vtkCellArray>::New();
  for (int i = 0; i < 8; ++i)
    for (int bit : {1, 2, 4})
      if (!(i & bit)) {
        const vtkIdType ids[2] = {i, i | bit};
        lines->InsertNextCell(2, ids);
      }
  m_outlineData->SetPoints(points);
  m_outlineData->SetLines(lines);
  m_outlineData->Modified();
}

void Scene3D::setVolume(const vol::Volume* volume, int factor) {
  m_hasVolume = volume && !volume->empty();
  if (!m_hasVolume) {
    m_volume->VisibilityOff();
    m_volumeImage = nullptr;
    m_mapper->RemoveAllInputConnections(0);
    return;
  }
  // Block centres of a factor-f downsample sit (f-1)/2 voxels in.
  const double shift = (factor - 1) / 2.0;
  const vol::Vec3 origin{shift * m_spacing.x, shift * m_spacing.y, shift * m_spacing.z};
  m_volumeImage = wrapVolume(*volume, origin);
  m_mapper->SetInputData(m_volumeImage);
  m_volume->SetVisibility(m_volumeVisible);
}

void Scene3D::setTransfer(TransferPreset preset, double opacity, double lower, double upper, bool shade) {
  if (!(upper > lower)) upper = lower + 1;
  const double span = upper - lower;
  m_colour->RemoveAllPoints();
  m_opacity->RemoveAllPoints();
  auto* prop = m_volume->GetProperty();
  prop->SetShade(shade && preset != TransferPreset::Mip);
  prop->SetAmbient(0.35);
  prop->SetDiffuse(0.7);
  prop->SetSpecular(0.15);
  const double o = std::clamp(opacity, 0.0, 1.0);
  switch (preset) {
  case TransferPreset::BrightPhase:
    // Bone-like: the bright solid phase semi-transparent, pores and binder clear.
    m_mapper->SetBlendModeToComposite();
    m_colour->AddRGBPoint(lower, 0.35, 0.3, 0.25);
    m_colour->AddRGBPoint(lower + 0.5 * span, 0.75, 0.62, 0.45);
    m_colour->AddRGBPoint(upper, 1.0, 0.96, 0.88);
    m_opacity->AddPoint(lower, 0.0);
    m_opacity->AddPoint(lower + 0.45 * span, 0.0);
    m_opacity->AddPoint(lower + 0.7 * span, 0.12 * o);
    m_opacity->AddPoint(upper, 0.4 * o);
    break;
  case TransferPreset::Linear:
    m_mapper->SetBlendModeToComposite();
    m_colour->AddRGBPoint(lower, 0.0, 0.0, 0.0);
    m_colour->AddRGBPoint(upper, 1.0, 1.0, 1.0);
    m_opacity->AddPoint(lower, 0.0);
    m_opacity->AddPoint(upper, 0.2 * o);
    break;
  case TransferPreset::Mip:
    m_mapper->SetBlendModeToMaximumIntensity();
    m_colour->AddRGBPoint(lower, 0.0, 0.0, 0.0);
    m_colour->AddRGBPoint(upper, 1.0, 1.0, 1.0);
    m_opacity->AddPoint(lower, 0.0);
    m_opacity->AddPoint(upper, std::max(o, 0.05));
    break;
  }
}

void Scene3D::setVolumeVisible(bool on) {
  m_volumeVisible = on;
  m_volume->SetVisibility(on && m_hasVolume);
}

void Scene3D::setSurface(vtkPolyData* surface, const QColor& colour) {
  m_hasSurface = surface && surface->GetNumberOfCells() > 0;
  auto* mapper = vtkPolyDataMapper::SafeDownCast(m_surface->GetMapper());
  mapper->SetInputData(m_hasSurface ? surface : vtkSmartPointer<vtkPolyData>::New().Get());
  m_surface->GetProperty()->SetColor(colour.redF(), colour.greenF(), colour.blueF());
  m_surface->SetVisibility(m_hasSurface);
}

void Scene3D::setPlanes(const vol::Index3& cursor, bool visible) {
  if (m_size.empty()) return;
  const double lo[3] = {-0.5 * m_spacing.x, -0.5 * m_spacing.y, -0.5 * m_spacing.z};
  const double hi[3] = {(double(m_size.x) - 0.5) * m_spacing.x, (double(m_size.y) - 0.5) * m_spacing.y,
                        (double(m_size.z) - 0.5) * m_spacing.z};
  for (int i = 0; i < 3; ++i) {
    const SliceAxes ax = sliceAxes(SliceOrientation(i));
    const double at = double(component(cursor, ax.normal)) * component(m_spacing, ax.normal);
    auto points = vtkSmartPointer<vtkPoints>::New();
    for (int c = 0; c < 4; ++c) {
      double p[3];
      p[ax.normal] = at;
      p[ax.u] = (c == 1 || c == 2) ? hi[ax.u] : lo[ax.u];
      p[ax.v] = (c >= 2) ? hi[ax.v] : lo[ax.v];
      points->InsertNextPoint(p);
    }
    auto lines = vtkSmartPointer<vtkCellArray>::New();
    const vtkIdType loop[5] = {0, 1, 2, 3, 0};
    lines->InsertNextCell(5, loop);
    m_planeData[std::size_t(i)]->SetPoints(points);
    m_planeData[std::size_t(i)]->SetLines(lines);
    m_planeData[std::size_t(i)]->Modified();
    m_planes[std::size_t(i)]->SetVisibility(visible);
  }
}

void Scene3D::resetCamera() {
  if (m_size.empty()) return;
  vtkCamera* cam = m_renderer->GetActiveCamera();
  const double cx = (double(m_size.x) - 1) / 2 * m_spacing.x, cy = (double(m_size.y) - 1) / 2 * m_spacing.y,
               cz = (double(m_size.z) - 1) / 2 * m_spacing.z;
  cam->SetFocalPoint(cx, cy, cz);
  cam->SetPosition(cx + 1.0, cy - 1.6, cz + 0.9);
  cam->SetViewUp(0, 0, 1);
  cam->ParallelProjectionOff();
  m_renderer->ResetCamera(-0.5 * m_spacing.x, (double(m_size.x) - 0.5) * m_spacing.x, -0.5 * m_spacing.y,
                          (double(m_size.y) - 0.5) * m_spacing.y, -0.5 * m_spacing.z,
                          (double(m_size.z) - 0.5) * m_spacing.z);
  cam->Zoom(1.15);
  m_renderer->ResetCameraClippingRange();
}

void Scene3D::syncAxes() {
  vtkCamera* main = m_renderer->GetActiveCamera();
  vtkCamera* cam = m_axesRenderer->GetActiveCamera();
  double d[3];
  main->GetDirectionOfProjection(d);
  cam->SetFocalPoint(0.5, 0.5, 0.5);
  cam->SetPosition(0.5 - 5 * d[0], 0.5 - 5 * d[1], 0.5 - 5 * d[2]);
  cam->SetViewUp(main->GetViewUp());
  m_axesRenderer->ResetCamera();
}

} // namespace ui
