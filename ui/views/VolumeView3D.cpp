#include "ui/views/VolumeView3D.h"

#include "core/volume/Downsample.h"
#include "core/volume/lazy/LazyVolume.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/ImageStatistics.h"
#include "ui/model/Session.h"
#include "ui/views/VtkBridge.h"

#include <QMouseEvent>
#include <QWheelEvent>

#include <vtkCommand.h>
#include <vtkFlyingEdges3D.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkImageData.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkPolyData.h>
#include <vtkRenderer.h>

#include <QDebug>

#include <algorithm>
#include <cmath>
#include <memory>

namespace ui {

namespace vol = core::volume;

namespace {

constexpr int kMaskMaxDim = 256;

/// Mask voxels with a 6-neighbour outside the mask: about the triangle count of the surface / 2.
std::int64_t boundaryVoxels(const vol::Volume& mask) {
  const vol::Size3 s = mask.size();
  const std::uint8_t* m = mask.as<std::uint8_t>();
  std::int64_t n = 0;
  for (std::int64_t z = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y)
      for (std::int64_t x = 0; x < s.x; ++x) {
        const std::int64_t i = mask.index(x, y, z);
        if (!m[i]) continue;
        const bool edge = x == 0 || x + 1 == s.x || y == 0 || y + 1 == s.y || z == 0 || z + 1 == s.z || !m[i - 1] ||
                          !m[i + 1] || !m[i - s.x] || !m[i + s.x] || !m[i - s.x * s.y] || !m[i + s.x * s.y];
        n += edge;
      }
  return n;
}

/// Halves a mask (a block is set when any of its 8 voxels is).
vol::Volume maxPool2(const vol::Volume& mask) {
  const vol::Size3 s = mask.size();
  const vol::Size3 o{(s.x + 1) / 2, (s.y + 1) / 2, (s.z + 1) / 2};
  const vol::Vec3 sp = mask.spacing();
  vol::Volume out(o, vol::VoxelType::UInt8, {sp.x * 2, sp.y * 2, sp.z * 2});
  const std::uint8_t* m = mask.as<std::uint8_t>();
  std::uint8_t* d = out.as<std::uint8_t>();
  for (std::int64_t z = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y)
      for (std::int64_t x = 0; x < s.x; ++x)
        if (m[mask.index(x, y, z)]) d[out.index(x / 2, y / 2, z / 2)] = 1;
  return out;
}

/// The crack surface of a binary mask, in micrometres. Runs on a worker thread: it owns its input.
/// A noisy mask (a prediction at a low threshold) can have a surface of hundreds of millions of
/// triangles: the mask is coarsened until its boundary stays under a budget, so memory stays small.
vtkSmartPointer<vtkPolyData> extractSurface(std::shared_ptr<const vol::Volume> mask, int factor, vol::Vec3 spacing) {
  constexpr std::int64_t kMaxBoundaryVoxels = 1'000'000;
  std::shared_ptr<const vol::Volume> m = std::move(mask);
  while (boundaryVoxels(*m) > kMaxBoundaryVoxels && std::max({m->size().x, m->size().y, m->size().z}) > 16) {
    m = std::make_shared<const vol::Volume>(maxPool2(*m));
    factor *= 2;
  }
  const double shift = (factor - 1) / 2.0;
  auto image = wrapVolume(*m, {shift * spacing.x, shift * spacing.y, shift * spacing.z});
  auto fe = vtkSmartPointer<vtkFlyingEdges3D>::New();
  fe->SetInputData(image);
  fe->SetValue(0, 0.5);
  fe->ComputeNormalsOn();
  fe->ComputeGradientsOff();
  fe->ComputeScalarsOff();
  fe->Update();
  auto out = vtkSmartPointer<vtkPolyData>::New();
  out->ShallowCopy(fe->GetOutput());
  return out;
}

} // namespace

VolumeView3D::VolumeView3D(Session& session, CursorModel& cursor, DisplaySettings& display, JobRunner& jobs,
                           QWidget* parent)
    : VtkHostWidget(parent), m_session(session), m_cursor(cursor), m_display(display),
      m_surfaceLane(&jobs.lane(Lane::Surface)) {
  setObjectName(QStringLiteral("view3D"));
  setMinimumSize(120, 100);
  renderWindow()->SetNumberOfLayers(2);
  renderWindow()->AddRenderer(m_scene.renderer());
  renderWindow()->AddRenderer(m_scene.axesRenderer());
  auto style = vtkSmartPointer<vtkInteractorStyleTrackballCamera>::New();
  interactor()->SetInteractorStyle(style);
  interactor()->SetDesiredUpdateRate(10);
  interactor()->SetStillUpdateRate(0.0001);
  renderWindow()->SetDesiredUpdateRate(0.0001);

  m_surfaceTimer.setSingleShot(true);
  m_surfaceTimer.setInterval(400);
  m_planeTimer.setSingleShot(true);
  m_stillTimer.setSingleShot(true);
  m_stillTimer.setInterval(350);
  connect(&m_surfaceTimer, &QTimer::timeout, this, &VolumeView3D::startSurface);
  connect(&m_planeTimer, &QTimer::timeout, this, [this] {
    m_scene.setPlanes(m_cursor.position(), m_display.slicePlanesVisible());
    renderInteractive();
  });
  connect(&m_stillTimer, &QTimer::timeout, this, [this] {
    if (m_interacting) return;
    renderWindow()->SetDesiredUpdateRate(interactor()->GetStillUpdateRate());
    update();
  });

  connect(&m_session, &Session::datasetChanged, this, &VolumeView3D::onDatasetChanged);
  connect(&m_session, &Session::labelsChanged, this, &VolumeView3D::onLabelsChanged);
  connect(&m_session, &Session::predictionChanged, this, &VolumeView3D::onPredictionChanged);
  connect(&m_cursor, &CursorModel::positionChanged, this, [this] {
    // Hardware OpenGL: follow the slices at about 15 frames a second. Software OpenGL: a 3D frame
    // can take a large part of a second, so wait until the slices stop moving.
    if (isSoftwareRenderer()) m_planeTimer.start(250);
    else if (!m_planeTimer.isActive()) m_planeTimer.start(60);
  });
  connect(&m_display, &DisplaySettings::view3DChanged, this, &VolumeView3D::onSettingsChanged);
}

VolumeView3D::~VolumeView3D() {
  if (m_surfaceLane) m_surfaceLane->abandon(this);
}

bool VolumeView3D::isBusy() const {
  return m_extracting || m_surfaceTimer.isActive() || m_surfaceWanted || m_lazyLoading;
}

int VolumeView3D::lazyLevelFor(const vol::LazyVolume& volume, int maxDim, std::uint64_t budget) {
  int chosen = -1;
  for (int k = volume.levels() - 1; k >= 0; --k) { // coarsest first; finer levels are larger
    const vol::VolumeInfo& li = volume.levelInfo(k);
    if (li.bytes() > budget) break;
    chosen = k;
    if (std::max({li.size.x, li.size.y, li.size.z}) >= maxDim) break;
  }
  return chosen < 0 ? volume.levels() - 1 : chosen;
}

void VolumeView3D::showLazy(std::shared_ptr<vol::LazyVolume> volume) {
  ++m_lazyGeneration; // a level still being read for another volume is dropped when it arrives
  m_lazy = std::move(volume);
  m_lazyImage = vol::Volume();
  m_localPreview = vol::Volume();
  m_lazyLoading = false;
  if (!m_lazy) {
    onDatasetChanged();
    return;
  }
  ++m_surfaceGeneration; // a surface of the Session's image being extracted is dropped
  m_surfaceWanted = false;
  m_surfaceTimer.stop();
  const vol::VolumeInfo& full = m_lazy->levelInfo(0);
  m_scene.setBounds(full.size, full.spacing);
  m_scene.setSurface(nullptr, Qt::white);
  m_scene.setVolume(nullptr, 1);
  m_volumeDirty = false;
  m_scene.setPlanes(m_cursor.position(), m_display.slicePlanesVisible());
  m_scene.resetCamera();
  m_lazyLevel = lazyLevelFor(*m_lazy, maxDimensionFor(!glRenderer().isEmpty() && isSoftwareRenderer()));
  m_lazyLoading = true;
  startLazyLoad();
  update();
}

void VolumeView3D::startLazyLoad() {
  if (!m_lazy || !m_lazyLoading || !m_surfaceLane) return;
  const int generation = m_lazyGeneration;
  std::shared_ptr<vol::LazyVolume> volume = m_lazy;
  const int level = m_lazyLevel;
  auto image = std::make_shared<vol::Volume>();
  auto window = std::make_shared<std::pair<double, double>>(0.0, 1.0);
  const bool started = m_surfaceLane->start(
      tr("Reading a coarse level for the 3D view"),
      [volume, level, image, window](core::jobs::ProgressSink&, core::jobs::CancelToken& cancel) {
        *image = volume->read(level, vol::Region::whole(volume->levelInfo(level).size), cancel);
        const ImageStatistics st = ImageStatistics::compute(*image);
        *window = {st.percentile(0.5), st.percentile(99.5)};
      },
      [this, image, window, generation](JobState state, const QString& error) {
        if (generation != m_lazyGeneration) return;
        m_lazyLoading = false;
        if (state == JobState::Completed) {
          m_lazyImage = std::move(*image);
          m_lazyLower = window->first;
          m_lazyUpper = window->second;
          m_volumeDirty = true;
        } else if (state == JobState::Failed) {
          qWarning().noquote() << "3D view:" << error;
        }
        update();
        Q_EMIT sceneReady();
      },
      this);
  // The lane extracts a surface of the Session's image still: read when it is done.
  if (!started)
    QTimer::singleShot(100, this, [this, generation] {
      if (generation == m_lazyGeneration) startLazyLoad();
    });
}

void VolumeView3D::resetCamera() {
  m_scene.resetCamera();
  update();
}

void VolumeView3D::onDatasetChanged() {
  if (m_lazy) return; // the LazyBrowser gives the views back to the Session first (showLazy(nullptr))
  ++m_surfaceGeneration; // a surface still being extracted is for the old dataset: dropped when it arrives
  if (!m_session.hasImage()) {
    m_scene.setBounds({}, {1, 1, 1});
    m_mask.clear();
    m_localPreview = vol::Volume();
    m_volumeDirty = false;
    update();
    Q_EMIT sceneReady();
    return;
  }
  const vol::Volume& image = m_session.image();
  m_scene.setBounds(image.size(), image.spacing());
  m_scene.setSurface(nullptr, Qt::white);
  m_volumeDirty = true; // at the next paint, when OpenGL says whether it is software
  m_scene.setVolume(nullptr, 1);
  applyTransfer();
  m_scene.setPlanes(m_cursor.position(), m_display.slicePlanesVisible());
  m_scene.resetCamera();
  rebuildMask();
  startSurface();
  update();
}

void VolumeView3D::applyTransfer() {
  if (!m_lazy && !m_session.hasImage()) return;
  const bool shade = !glRenderer().isEmpty() && !isSoftwareRenderer();
  if (m_lazy) {
    m_scene.setTransfer(m_display.transferPreset(), m_display.volumeOpacity(), m_lazyLower, m_lazyUpper, shade);
  } else {
    const auto& st = m_session.statistics();
    m_scene.setTransfer(m_display.transferPreset(), m_display.volumeOpacity(), st.percentile(0.5), st.percentile(99.5),
                        shade);
  }
  m_scene.setVolumeVisible(m_display.volumeRenderingVisible());
}

void VolumeView3D::onSettingsChanged() {
  applyTransfer();
  m_scene.setPlanes(m_cursor.position(), m_display.slicePlanesVisible());
  SurfaceSource wanted = m_display.surfaceSource();
  if (wanted == SurfaceSource::Prediction && !m_session.prediction()) wanted = SurfaceSource::Labels;
  if (!m_lazy && m_session.hasImage() && (wanted != m_maskSource || (wanted == SurfaceSource::Prediction &&
                                                          m_display.predictionThreshold() != m_maskThreshold))) {
    rebuildMask();
    m_surfaceTimer.start();
  }
  update();
}

void VolumeView3D::rebuildMask() {
  SurfaceSource source = m_display.surfaceSource();
  if (source == SurfaceSource::Prediction && !m_session.prediction()) source = SurfaceSource::Labels;
  m_maskSource = source;
  m_maskThreshold = m_display.predictionThreshold();
  if (!m_session.hasImage() || source == SurfaceSource::None) {
    m_mask.clear();
    return;
  }
  const int factor = core::volume::downsampleFactorFor(m_session.image().size(), kMaskMaxDim);
  if (source == SurfaceSource::Labels)
    m_mask.rebuild(m_session.labels(), CrackSurfaceMask::Source::Labels, 0, factor);
  else
    m_mask.rebuild(*m_session.prediction(), CrackSurfaceMask::Source::Prediction, m_maskThreshold, factor);
}

void VolumeView3D::onLabelsChanged(const vol::Region& region) {
  if (m_lazy || m_maskSource != SurfaceSource::Labels) return;
  m_mask.update(m_session.labels(), region);
  m_surfaceTimer.start();
}

void VolumeView3D::onPredictionChanged(const vol::Region& region) {
  if (m_lazy) return;
  SurfaceSource wanted = m_display.surfaceSource();
  if (wanted == SurfaceSource::Prediction && !m_session.prediction()) wanted = SurfaceSource::Labels;
  if (wanted != m_maskSource) rebuildMask();
  else if (m_maskSource == SurfaceSource::Prediction) m_mask.update(*m_session.prediction(), region);
  else return;
  m_surfaceTimer.start();
}

void VolumeView3D::startSurface() {
  m_surfaceTimer.stop();
  if (m_lazy) { // no surface of a lazily read volume
    m_surfaceWanted = false;
    return;
  }
  if (m_extracting) {
    m_surfaceWanted = true;
    return;
  }
  m_surfaceWanted = false;
  const vol::Size3 ms = m_mask.mask().size();
  // No surface for an empty mask, nor for a single slice (an image, not a volume).
  if (m_mask.mask().empty() || ms.x < 2 || ms.y < 2 || ms.z < 2 || m_mask.count() == 0) {
    m_scene.setSurface(nullptr, Qt::white);
    update();
    Q_EMIT sceneReady();
    return;
  }
  auto copy = std::make_shared<const vol::Volume>(m_mask.mask().clone());
  const int factor = m_mask.factor();
  const vol::Vec3 spacing = m_session.image().spacing();
  const int generation = ++m_surfaceGeneration;
  auto surface = std::make_shared<vtkSmartPointer<vtkPolyData>>();
  m_extracting = m_surfaceLane && m_surfaceLane->start(
      tr("Crack surface"), [copy, factor, spacing, surface](auto&, auto&) { *surface = extractSurface(copy, factor, spacing); },
      [this, surface, generation](JobState, const QString&) { onSurfaceReady(*surface, generation); }, this);
  if (!m_extracting) Q_EMIT sceneReady(); // no lane (shutting down): no surface
}

void VolumeView3D::onSurfaceReady(vtkSmartPointer<vtkPolyData> surface, int generation) {
  m_extracting = false;
  if (m_lazy) { // a surface of the Session's image, shown no more; the lazy volume's level is read next
    m_surfaceWanted = false;
    return;
  }
  const bool current = generation == m_surfaceGeneration;
  if (current && surface && m_session.hasImage()) {
    const QColor colour =
        m_maskSource == SurfaceSource::Labels ? m_display.labelColour(2) : QColor(QRgb(kPredictionSurfaceRgb));
    m_scene.setSurface(surface, colour);
    update();
  }
  if (m_surfaceWanted || !current) {
    m_surfaceWanted = false;
    if (m_session.hasImage()) {
      startSurface();
      return;
    }
  }
  Q_EMIT sceneReady();
}

void VolumeView3D::renderInteractive() {
  renderWindow()->SetDesiredUpdateRate(interactor()->GetDesiredUpdateRate());
  update();
  m_stillTimer.start();
}

void VolumeView3D::setupVolume() {
  m_volumeDirty = false;
  if (m_lazy ? m_lazyImage.empty() : !m_session.hasImage()) return;
  const vol::Volume* volume = m_lazy ? &m_lazyImage : &m_session.preview3D();
  int factor = m_lazy ? std::max(1, int(std::lround(double(m_lazy->levelInfo(0).size.x) /
                                                    double(m_lazy->levelInfo(m_lazyLevel).size.x))))
                      : m_session.previewFactor();
  m_localPreview = vol::Volume();
  const int extra = core::volume::downsampleFactorFor(volume->size(), maxDimensionFor(isSoftwareRenderer()));
  if (extra > 1) {
    m_localPreview = core::volume::downsampleMean(*volume, extra);
    volume = &m_localPreview;
    factor *= extra;
  }
  m_scene.setVolume(volume, factor);
  applyTransfer();
}

void VolumeView3D::prepareRender() {
  if (m_volumeDirty) setupVolume();
  m_scene.syncAxes();
}

void VolumeView3D::forwardMouse(QMouseEvent* event, unsigned long vtkEvent) {
  const qreal dpr = devicePixelRatioF();
  auto* iren = interactor();
  const auto mods = event->modifiers();
  iren->SetEventInformationFlipY(int(event->position().x() * dpr), int(event->position().y() * dpr),
                                 (mods & Qt::ControlModifier) ? 1 : 0, (mods & Qt::ShiftModifier) ? 1 : 0);
  iren->SetAltKey((mods & Qt::AltModifier) ? 1 : 0);
  iren->InvokeEvent(vtkEvent, event);
  update();
}

void VolumeView3D::mousePressEvent(QMouseEvent* event) {
  m_interacting = true;
  switch (event->button()) {
  case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonPressEvent); break;
  case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonPressEvent); break;
  case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonPressEvent); break;
  default: break;
  }
}

void VolumeView3D::mouseMoveEvent(QMouseEvent* event) { forwardMouse(event, vtkCommand::MouseMoveEvent); }

void VolumeView3D::mouseReleaseEvent(QMouseEvent* event) {
  switch (event->button()) {
  case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonReleaseEvent); break;
  case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonReleaseEvent); break;
  case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonReleaseEvent); break;
  default: break;
  }
  m_interacting = false;
  renderWindow()->SetDesiredUpdateRate(interactor()->GetStillUpdateRate());
  update();
}

void VolumeView3D::mouseDoubleClickEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) Q_EMIT maximiseToggled();
}

void VolumeView3D::wheelEvent(QWheelEvent* event) {
  const qreal dpr = devicePixelRatioF();
  auto* iren = interactor();
  iren->SetEventInformationFlipY(int(event->position().x() * dpr), int(event->position().y() * dpr));
  const int dy = event->angleDelta().y();
  if (dy == 0) return;
  iren->InvokeEvent(dy > 0 ? vtkCommand::MouseWheelForwardEvent : vtkCommand::MouseWheelBackwardEvent, event);
  renderInteractive();
  event->accept();
}

} // namespace ui
