#include "ui/views/SliceSource.h"

#include "ui/model/Session.h"
#include "ui/views/LazyOverlay.h"

#include <QMetaObject>

#include <algorithm>
#include <cmath>

namespace ui {

namespace vol = core::volume;

SessionSliceSource::SessionSliceSource(const Session& session, QObject* parent) : SliceSource(parent), m_session(session) {}

bool SessionSliceSource::hasImage() const { return m_session.hasImage(); }

vol::VolumeInfo SessionSliceSource::imageInfo() const {
  return m_session.hasImage() ? m_session.image().info() : vol::VolumeInfo{};
}

SlicePicture SessionSliceSource::picture(SliceOrientation, std::int64_t slice, const SliceTransform&) {
  SlicePicture p;
  if (!m_session.hasImage()) return p;
  p.image = &m_session.image();
  p.labels = &m_session.labels();
  p.prediction = m_session.prediction();
  p.slice = slice;
  return p;
}

LazySliceSource::LazySliceSource(std::shared_ptr<vol::LazyVolume> volume, QObject* parent)
    : SliceSource(parent), m_volume(std::move(volume)) {}

LazySliceSource::~LazySliceSource() {
  m_volume->cancel(m_view);
  if (m_overlay) m_overlay->cancel(m_overlayView);
}

void LazySliceSource::setOverlay(std::shared_ptr<LazyOverlay> overlay) {
  if (m_overlay) {
    m_overlay->cancel(m_overlayView);
    disconnect(m_overlay.get(), nullptr, this, nullptr);
  }
  m_overlay = std::move(overlay);
  if (m_overlay) connect(m_overlay.get(), &LazyOverlay::changed, this, &SliceSource::changed);
  Q_EMIT changed();
}

vol::VolumeInfo LazySliceSource::imageInfo() const { return m_volume->levelInfo(0); }

std::size_t LazySliceSource::pendingBlocks() const { return m_volume->pendingBlocks(m_view); }

SlicePicture LazySliceSource::picture(SliceOrientation o, std::int64_t slice, const SliceTransform& view) {
  const vol::VolumeInfo info = m_volume->levelInfo(0);
  const SliceAxes ax = sliceAxes(o);
  const double spu = component(info.spacing, ax.u), spv = component(info.spacing, ax.v);
  // The visible part of the slice, in full-resolution voxels.
  auto range = [](double a, double b, double sp, std::int64_t n, std::int64_t& lo, std::int64_t& count) {
    lo = std::clamp<std::int64_t>(voxelIndex(std::min(a, b), sp), 0, n - 1);
    const std::int64_t hi = std::clamp<std::int64_t>(voxelIndex(std::max(a, b), sp) + 1, lo + 1, n);
    count = hi - lo;
  };
  std::int64_t u0 = 0, nu = 0, v0 = 0, nv = 0;
  range(view.planeU(0), view.planeU(view.width), spu, component(info.size, ax.u), u0, nu);
  range(view.planeV(0), view.planeV(view.height), spv, component(info.size, ax.v), v0, nv);
  const std::int64_t s = std::clamp<std::int64_t>(slice, 0, component(info.size, ax.normal) - 1);
  const vol::Region visible = vol::sliceRegion(o, s, u0, v0, nu, nv);
  // The level matching the zoom: about one voxel per device pixel.
  const int level = m_volume->levelForScale(view.scale / std::min(spu, spv));
  const vol::Region wanted = m_volume->mapRegion(visible, 0, level);
  const bool moved = level != m_requestLevel || !(wanted == m_requested);
  // Blocks delivered earlier and evicted since (another view, a small budget) are asked for once
  // more when the last request is done; not again and again when the budget cannot hold them.
  const bool evicted = !moved && !m_retried && m_failed == 0 && pendingBlocks() == 0 &&
                       m_volume->bestAvailableLevel(level, wanted) != level;
  if (moved || evicted) {
    m_retried = evicted;
    m_requestLevel = level;
    m_requested = wanted;
    m_failed = 0;
    m_volume->request(m_view, level, wanted,
                      [this](const vol::BlockEvent& e) {
                        if (!e.error.empty()) ++m_failed;
                        // One queued call at a time: a burst of blocks is one redraw.
                        if (m_notifyQueued.exchange(true)) return;
                        QMetaObject::invokeMethod(
                            this,
                            [this] {
                              m_notifyQueued = false;
                              Q_EMIT changed();
                            },
                            Qt::QueuedConnection);
                      },
                      true);
  }
  const int best = m_volume->bestAvailableLevel(level, wanted);
  const int drawn = best >= 0 ? best : level; // nothing complete yet: what there is of the wanted level
  const vol::Region part = m_volume->mapRegion(wanted, level, drawn);
  m_picture = m_volume->assemble(drawn, part);
  const vol::VolumeInfo li = m_volume->levelInfo(drawn);
  SlicePicture p;
  p.image = &m_picture;
  p.level = drawn;
  // The picture's slice is its only one; its corner sits at the part's start on the plane.
  p.slice = 0;
  p.offsetU = double(component(part.start, ax.u)) * component(li.spacing, ax.u);
  p.offsetV = double(component(part.start, ax.v)) * component(li.spacing, ax.v);
  if (m_overlay) {
    m_overlayPicture = m_overlay->compose(o, drawn, li, part, m_overlayView);
    if (!m_overlayPicture.empty()) p.prediction = &m_overlayPicture;
  }
  return p;
}

} // namespace ui
