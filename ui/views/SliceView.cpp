#include "ui/views/SliceView.h"

#include "ui/views/FrameHold.h"

#include "core/labels/LabelEdit.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/views/SliceTool.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ui {

namespace vol = core::volume;

namespace {

/// Marks \p area (u0, v0, u1, v1 micrometres on the plane) as missing: diagonal stripes of
/// kMissingColour on a dark magenta.
void hatchMissing(std::uint8_t* rgba, const SliceTransform& t, const std::array<double, 4>& area) {
  const double ax = t.pixelX(area[0]), bx = t.pixelX(area[2]), ay = t.pixelY(area[1]), by = t.pixelY(area[3]);
  const int x0 = std::clamp(int(std::lround(std::min(ax, bx))), 0, t.width);
  const int x1 = std::clamp(int(std::lround(std::max(ax, bx))), 0, t.width);
  const int y0 = std::clamp(int(std::lround(std::min(ay, by))), 0, t.height);
  const int y1 = std::clamp(int(std::lround(std::max(ay, by))), 0, t.height);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      std::uint8_t* px = rgba + (std::size_t(y) * std::size_t(t.width) + std::size_t(x)) * 4;
      const bool stripe = ((x + y) / 6) % 2 == 0;
      px[0] = stripe ? kMissingColour[0] : 80;
      px[1] = stripe ? kMissingColour[1] : 0;
      px[2] = stripe ? kMissingColour[2] : 80;
      px[3] = 255;
    }
}

} // namespace

SliceView::SliceView(SliceOrientation orientation, Session& session, CursorModel& cursor, DisplaySettings& display,
                     QWidget* parent)
    : VtkHostWidget(parent), m_orientation(orientation), m_axes(sliceAxes(orientation)), m_session(session),
      m_cursor(cursor), m_display(display), m_sessionSource(std::make_unique<SessionSliceSource>(session)),
      m_source(m_sessionSource.get()) {
  setObjectName(QStringLiteral("sliceView") + orientationName(orientation));
  setCursor(Qt::CrossCursor);
  setMinimumSize(120, 100);
  m_transform.vDown = m_axes.vDown;

  connect(&m_session, &Session::datasetChanged, this, &SliceView::onDatasetChanged);
  connect(&m_session, &Session::labelsChanged, this, [this](const vol::Region& r) {
    m_renderer.invalidateLabels();
    onRegionChanged(r);
  });
  connect(&m_session, &Session::predictionChanged, this, [this](const vol::Region& r) {
    m_renderer.invalidatePrediction();
    onRegionChanged(r);
  });
  connect(&m_cursor, &CursorModel::positionChanged, this, &SliceView::onCursorMoved);
  connect(&m_display, &DisplaySettings::windowLevelChanged, this, &SliceView::markDirty);
  connect(&m_display, &DisplaySettings::overlayChanged, this, &SliceView::markDirty);
  connect(&m_display, &DisplaySettings::decorationsChanged, this, &SliceView::refreshDecorations);
  allocateBuffers();
}

SliceView::~SliceView() {
  releaseFrameHold();
  if (context() && context()->isValid()) {
    makeCurrent();
    m_blitter.release(*context());
    doneCurrent();
  }
}

std::int64_t SliceView::slice() const { return component(m_cursor.position(), m_axes.normal); }

std::int64_t SliceView::sliceCount() const {
  return m_source->hasImage() ? component(m_source->imageInfo().size, m_axes.normal) : 0;
}

double SliceView::planeExtent(int axis) const {
  if (!m_source->hasImage()) return 1;
  const vol::VolumeInfo im = m_source->imageInfo();
  return double(component(im.size, axis)) * component(im.spacing, axis);
}

void SliceView::setSource(SliceSource* source) {
  if (m_source != m_sessionSource.get()) disconnect(m_source, nullptr, this, nullptr);
  m_source = source ? source : m_sessionSource.get();
  if (m_source != m_sessionSource.get()) {
    connect(m_source, &SliceSource::changed, this, &SliceView::onSourceChanged);
    connect(m_source, &SliceSource::labelsChanged, this, &SliceView::onSourceLabelsChanged);
  }
  onDatasetChanged();
}

void SliceView::allocateBuffers() {
  const qreal dpr = devicePixelRatioF();
  const int w = std::max(1, int(width() * dpr + 0.5)), h = std::max(1, int(height() * dpr + 0.5));
  if (w == m_transform.width && h == m_transform.height && !m_shown.empty()) return;
  m_transform.width = w;
  m_transform.height = h;
  const std::size_t bytes = std::size_t(w) * std::size_t(h) * 4;
  m_base.assign(bytes, 0);
  m_shown.assign(bytes, 0);
  m_dirtyData = true;
}

void SliceView::initializeGL() {
  VtkHostWidget::initializeGL();
  m_blitter.forget(); // a new context: the old one's objects went with it
}

void SliceView::paintGL() {
  prepareRender();
  context()->functions()->glBindFramebuffer(GL_FRAMEBUFFER, defaultFramebufferObject());
  m_blitter.draw(*context(), m_shown.data(), m_transform.width, m_transform.height);
}

void SliceView::resizeGL(int w, int h) {
  VtkHostWidget::resizeGL(w, h);
  allocateBuffers();
  if (m_fit) m_transform.fit(planeExtent(m_axes.u), planeExtent(m_axes.v));
  m_dirtyData = true;
}

void SliceView::markDirty() {
  m_dirtyData = true;
  update();
}

void SliceView::onSourceChanged() {
  if (m_source->pendingBlocks() == 0) releaseFrameHold(); // everything asked for is there (or failed)
  markDirty();
}

void SliceView::releaseFrameHold() {
  if (m_frameHold) m_frameHold->release(this);
  m_frameHold = nullptr;
}

void SliceView::onSourceLabelsChanged(const vol::Region& region) {
  if (region.empty()) return;
  m_labelRegion = core::labels::unite(m_labelRegion, region); // the box around both
  update();
}

void SliceView::refreshDecorations() {
  m_dirtyDecor = true;
  m_changedPixels = QRect(); // all of it
  update();
}

void SliceView::setImageOverride(const vol::Volume* image) {
  if (image == m_imageOverride) return;
  m_imageOverride = image;
  m_renderer.invalidateAll();
  markDirty();
}

void SliceView::onDatasetChanged() {
  m_renderer.invalidateAll();
  m_fit = true;
  m_transform.fit(planeExtent(m_axes.u), planeExtent(m_axes.v));
  markDirty();
}

void SliceView::onCursorMoved(const vol::Index3& position, const vol::Index3& previous) {
  if (component(position, m_axes.normal) != m_shownSlice) {
    markDirty();
    // Reading starts now, not when the frame draws this view. A warm read is done within a few
    // milliseconds: the window's frame waits for it (FrameHold, at most one frame's time), so the
    // new slice is drawn once, complete, instead of coarse first and refined a frame later.
    if (isVisible() && !m_shown.empty()) {
      m_source->prefetch(m_orientation, slice(), m_transform);
      if (m_source->pendingBlocks() > 0) {
        m_frameHold = FrameHold::of(this);
        m_frameHold->hold(this);
      } else {
        releaseFrameHold();
      }
    }
  } else if (component(position, m_axes.u) != component(previous, m_axes.u) ||
             component(position, m_axes.v) != component(previous, m_axes.v)) {
    refreshDecorations();
  }
}

void SliceView::onRegionChanged(const vol::Region& region) {
  const std::int64_t s = slice();
  const std::int64_t a = component(region.start, m_axes.normal);
  if (s >= a && s < a + component(region.size, m_axes.normal)) markDirty();
}

void SliceView::prepareRender() {
  allocateBuffers();
  if (m_dirtyData) composite();
  else if (!m_labelRegion.empty()) compositeLabels();
  if (m_dirtyDecor) decorate();
}

void SliceView::compositeLabels() {
  const vol::Region region = m_labelRegion;
  m_labelRegion = {};
  SlicePicture p;
  if (!m_source->refreshLabels(region, p) || !p.image) {
    composite();
    return;
  }
  // The view pixels over the region widened by one voxel of the picture's level (a coarse voxel
  // sampled inside the region covers more), one pixel of margin for rounding.
  const vol::Vec3 sp = m_source->imageInfo().spacing, pictureSp = p.image->spacing();
  const double su = component(sp, m_axes.u), sv = component(sp, m_axes.v);
  const double mu = component(pictureSp, m_axes.u), mv = component(pictureSp, m_axes.v);
  const double xa = m_transform.pixelX(double(component(region.start, m_axes.u)) * su - mu);
  const double xb = m_transform.pixelX(double(component(region.end(), m_axes.u)) * su + mu);
  const double ya = m_transform.pixelY(double(component(region.start, m_axes.v)) * sv - mv);
  const double yb = m_transform.pixelY(double(component(region.end(), m_axes.v)) * sv + mv);
  PixelRect clip;
  clip.x0 = std::clamp(int(std::floor(std::min(xa, xb))) - 1, 0, m_transform.width);
  clip.x1 = std::clamp(int(std::ceil(std::max(xa, xb))) + 1, clip.x0, m_transform.width);
  clip.y0 = std::clamp(int(std::floor(std::min(ya, yb))) - 1, 0, m_transform.height);
  clip.y1 = std::clamp(int(std::ceil(std::max(ya, yb))) + 1, clip.y0, m_transform.height);
  if (clip.empty()) return;
  SliceTransform at = m_transform;
  at.centreU -= p.offsetU;
  at.centreV -= p.offsetV;
  m_renderer.invalidateAll(); // the picture's labels changed
  m_renderer.render({p.image, p.labels, p.prediction}, m_orientation, p.slice, at, SliceStyle::from(m_display),
                    m_base.data(), m_transform.width * 4, &clip);
  for (const auto& area : p.missing) hatchMissing(m_base.data(), m_transform, area);
  const QRect changed(clip.x0, clip.y0, clip.x1 - clip.x0, clip.y1 - clip.y0);
  // Decorations are drawn again over all of m_base, but only the changed pixels differ: only they
  // are uploaded (unless something else asked for all of it).
  if (!m_dirtyDecor) m_changedPixels = changed;
  else if (!m_changedPixels.isNull()) m_changedPixels |= changed;
  m_dirtyDecor = true;
}

void SliceView::composite() {
  SliceLayers layers;
  m_shownSlice = slice();
  SliceTransform at = m_transform;
  std::int64_t index = m_shownSlice;
  const bool inMemory = m_source == m_sessionSource.get();
  std::vector<std::array<double, 4>> missing;
  if (m_source->hasImage()) {
    SlicePicture p = m_source->picture(m_orientation, m_shownSlice, m_transform);
    missing = std::move(p.missing);
    layers = {p.image, p.labels, p.prediction};
    // Another time point resampled onto the image's grid (issue 19) replaces the image in memory.
    if (inMemory && m_imageOverride && p.image && m_imageOverride->size() == p.image->size()) layers.image = m_imageOverride;
    index = p.slice;
    at.centreU -= p.offsetU; // the picture's plane starts at its own corner
    at.centreV -= p.offsetV;
  }
  if (!inMemory) m_renderer.invalidateAll(); // a composed picture: nothing of it may be reused
  m_renderer.render(layers, m_orientation, index, at, SliceStyle::from(m_display), m_base.data(), m_transform.width * 4);
  for (const auto& area : missing) hatchMissing(m_base.data(), m_transform, area);
  m_complete = m_source->lastPictureFinal();
  const std::size_t pending = m_source->pendingBlocks();
  if (pending != m_pending) {
    m_pending = pending;
    Q_EMIT loadingChanged(qulonglong(pending));
  }
  ++m_compositeCount;
  m_dirtyData = false;
  m_labelRegion = {};
  m_dirtyDecor = true;
  m_changedPixels = QRect(); // all of it
}

bool SliceView::voxelAt(const QPointF& pos, vol::Index3& voxel) const {
  if (!m_source->hasImage()) return false;
  const vol::VolumeInfo im = m_source->imageInfo();
  const qreal dpr = devicePixelRatioF();
  const std::int64_t iu = voxelIndex(m_transform.planeU(pos.x() * dpr), component(im.spacing, m_axes.u));
  const std::int64_t iv = voxelIndex(m_transform.planeV(pos.y() * dpr), component(im.spacing, m_axes.v));
  voxel = m_cursor.position();
  setComponent(voxel, m_axes.u, iu);
  setComponent(voxel, m_axes.v, iv);
  return iu >= 0 && iu < component(im.size, m_axes.u) && iv >= 0 && iv < component(im.size, m_axes.v);
}

QPointF SliceView::widgetPosition(const vol::Index3& voxel) const {
  if (!m_source->hasImage()) return {};
  const vol::Vec3 sp = m_source->imageInfo().spacing;
  const qreal dpr = devicePixelRatioF();
  const double u = (double(component(voxel, m_axes.u)) + 0.5) * component(sp, m_axes.u);
  const double v = (double(component(voxel, m_axes.v)) + 0.5) * component(sp, m_axes.v);
  return {m_transform.pixelX(u) / dpr, m_transform.pixelY(v) / dpr};
}

void SliceView::resetView() {
  m_fit = true;
  m_transform.fit(planeExtent(m_axes.u), planeExtent(m_axes.v));
  markDirty();
}

double SliceView::zoomFactor() const {
  SliceTransform fitted = m_transform;
  fitted.fit(planeExtent(m_axes.u), planeExtent(m_axes.v));
  return fitted.scale / m_transform.scale;
}

void SliceView::zoomBy(double factor, const QPointF& anchor) {
  if (!(factor > 0)) return;
  const qreal dpr = devicePixelRatioF();
  const double ax = anchor.x() * dpr, ay = anchor.y() * dpr;
  const double pu = m_transform.planeU(ax), pv = m_transform.planeV(ay);
  const double fitScale = [&] {
    SliceTransform f = m_transform;
    f.fit(planeExtent(m_axes.u), planeExtent(m_axes.v));
    return f.scale;
  }();
  // Between 1/4 of "fit" and 64 device pixels per voxel edge.
  const vol::Vec3 sp = m_source->imageInfo().spacing;
  const double minScale = std::min(component(sp, m_axes.u), component(sp, m_axes.v)) / 64.0;
  m_transform.scale = std::clamp(m_transform.scale / factor, std::min(minScale, fitScale), fitScale * 4);
  m_transform.centreU = pu - (ax - m_transform.width / 2.0) * m_transform.scale;
  m_transform.centreV = pv - (m_axes.vDown ? 1 : -1) * (ay - m_transform.height / 2.0) * m_transform.scale;
  m_fit = false;
  markDirty();
}

void SliceView::panBy(const QPointF& delta) {
  const qreal dpr = devicePixelRatioF();
  m_transform.centreU -= delta.x() * dpr * m_transform.scale;
  m_transform.centreV -= (m_axes.vDown ? 1 : -1) * delta.y() * dpr * m_transform.scale;
  m_fit = false;
  markDirty();
}

void SliceView::setTool(SliceTool* tool) {
  m_tool = tool;
  refreshDecorations();
}

void SliceView::moveCrosshairTo(const QPointF& pos) {
  vol::Index3 voxel;
  voxelAt(pos, voxel); // clamped by the cursor model when outside
  m_cursor.setPosition(voxel);
}

void SliceView::changeSlice(std::int64_t delta) {
  if (m_source->hasImage()) m_cursor.moveAlong(m_axes.normal, delta);
}

void SliceView::mousePressEvent(QMouseEvent* event) {
  if (m_tool && m_tool->mousePressed(*this, *event)) return;
  m_pressPos = m_lastPos = event->position();
  if (!m_source->hasImage()) return;
  if (event->button() == Qt::LeftButton) {
    if (m_leftMode == LeftButtonMode::WindowLevel || (event->modifiers() & Qt::ShiftModifier)) {
      m_drag = Drag::WindowLevel;
      m_pressWindow = m_display.window();
      m_pressLevel = m_display.level();
    } else {
      m_drag = Drag::Crosshair;
      moveCrosshairTo(event->position());
    }
  } else if (event->button() == Qt::MiddleButton) {
    m_drag = Drag::Pan;
  } else if (event->button() == Qt::RightButton) {
    m_drag = Drag::Zoom;
  }
}

void SliceView::mouseMoveEvent(QMouseEvent* event) {
  const QPointF pos = event->position();
  vol::Index3 voxel;
  const bool inside = voxelAt(pos, voxel);
  Q_EMIT hovered(voxel, inside); // also while a tool paints: the status bar follows the mouse
  if (m_tool && m_tool->mouseMoved(*this, *event)) return;
  switch (m_drag) {
  case Drag::Crosshair: moveCrosshairTo(pos); break;
  case Drag::WindowLevel: {
    // Horizontal: window (x2 per 150 px); vertical: level (a window's width per 200 px, up = brighter).
    const QPointF d = pos - m_pressPos;
    const double window = m_pressWindow * std::exp(d.x() / 150.0 * std::log(2.0));
    m_display.setWindowLevel(window, m_pressLevel + d.y() / 200.0 * m_pressWindow);
    break;
  }
  case Drag::Pan: panBy(pos - m_lastPos); break;
  case Drag::Zoom: zoomBy(std::exp(-(pos.y() - m_lastPos.y()) * 0.01), m_pressPos); break;
  case Drag::None: break;
  }
  m_lastPos = pos;
}

void SliceView::mouseReleaseEvent(QMouseEvent* event) {
  vol::Index3 voxel;
  const bool inside = voxelAt(event->position(), voxel);
  const bool consumed = m_tool && m_tool->mouseReleased(*this, *event);
  Q_EMIT hovered(voxel, inside); // after the stroke: the voxel under the mouse, with its new label
  if (consumed) return;
  m_drag = Drag::None;
}

void SliceView::mouseDoubleClickEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) Q_EMIT maximiseToggled();
}

void SliceView::wheelEvent(QWheelEvent* event) {
  const int steps = event->angleDelta().y() / 120 != 0 ? event->angleDelta().y() / 120 : (event->angleDelta().y() > 0 ? 1 : event->angleDelta().y() < 0 ? -1 : 0);
  if (steps == 0) return;
  if (event->modifiers() & Qt::ControlModifier) zoomBy(std::pow(1.2, steps), event->position());
  else changeSlice(steps);
  event->accept();
}

void SliceView::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
  case Qt::Key_Up: changeSlice(1); break;
  case Qt::Key_Down: changeSlice(-1); break;
  case Qt::Key_PageUp: changeSlice(10); break;
  case Qt::Key_PageDown: changeSlice(-10); break;
  case Qt::Key_Home: m_cursor.setAlong(m_axes.normal, 0); break;
  case Qt::Key_End: m_cursor.setAlong(m_axes.normal, sliceCount() - 1); break;
  case Qt::Key_R: resetView(); break;
  case Qt::Key_Plus:
  case Qt::Key_Equal: zoomBy(1.25, QPointF(width() / 2.0, height() / 2.0)); break;
  case Qt::Key_Minus: zoomBy(0.8, QPointF(width() / 2.0, height() / 2.0)); break;
  default: VtkHostWidget::keyPressEvent(event); return;
  }
  event->accept();
}

void SliceView::leaveEvent(QEvent* event) {
  Q_EMIT hovered(m_cursor.position(), false);
  VtkHostWidget::leaveEvent(event);
}

} // namespace ui
