#include "ui/views/LazyParticleOverlay.h"

#include "ui/model/ParticleLayer.h"
#include "ui/model/VoxelAxes.h"
#include "ui/views/ParticleOverlay.h"
#include "ui/views/SliceView.h"

#include <QMetaObject>
#include <QPointer>

#include <algorithm>
#include <cmath>

namespace ui {

namespace vol = core::volume;

LazyParticleOverlay::LazyParticleOverlay(ParticleLayer& layer, QObject* parent) : QObject(parent), m_layer(layer) {
  connect(&m_layer, &ParticleLayer::selectionChanged, this, &LazyParticleOverlay::refreshAll);
}

LazyParticleOverlay::~LazyParticleOverlay() {
  setVolume(nullptr);
  for (SliceView* v : m_views) v->removeOverlay(this);
}

void LazyParticleOverlay::attach(SliceView* view) {
  if (std::find(m_views.begin(), m_views.end(), view) != m_views.end()) return;
  m_views.push_back(view);
  view->addOverlay(this);
  connect(view, &QObject::destroyed, this, [this, view] {
    m_views.erase(std::remove(m_views.begin(), m_views.end(), view), m_views.end());
    const auto it = m_cache.find(view);
    if (it != m_cache.end() && m_volume) m_volume->cancel(it->second.viewId);
    m_cache.erase(view);
  });
}

void LazyParticleOverlay::setVolume(std::shared_ptr<vol::LazyVolume> labels) {
  if (m_volume)
    for (auto& [view, c] : m_cache) m_volume->cancel(c.viewId);
  m_volume = std::move(labels);
  ++m_generation;
  refreshAll();
}

void LazyParticleOverlay::refreshAll() {
  for (SliceView* v : m_views) v->refreshDecorations();
}

void LazyParticleOverlay::blocksArrived() {
  ++m_generation;
  refreshAll();
}

std::uint32_t LazyParticleOverlay::idAt(const SliceView* view, int x, int y) const {
  const auto it = m_cache.find(view);
  if (it == m_cache.end() || x < 0 || y < 0 || x >= it->second.width || y >= it->second.height) return 0;
  return it->second.ids[std::size_t(y) * std::size_t(it->second.width) + std::size_t(x)];
}

void LazyParticleOverlay::paintSlice(SliceView& view, std::uint8_t* rgba, int width, int height) {
  const ParticleOverlay::Mode mode = m_style ? m_style->mode() : ParticleOverlay::Mode::Colour;
  if (!m_volume || mode == ParticleOverlay::Mode::Off || width <= 0 || height <= 0) return;
  Cache& c = m_cache[&view];
  if (c.viewId == 0) c.viewId = vol::LazyVolume::newViewId();
  const SliceTransform& tr = view.transform();
  const std::int64_t slice = view.slice();
  if (c.generation != m_generation || c.slice != slice || c.centreU != tr.centreU || c.centreV != tr.centreV ||
      c.scale != tr.scale || c.width != width || c.height != height) {
    c.generation = m_generation;
    c.slice = slice;
    c.centreU = tr.centreU, c.centreV = tr.centreV, c.scale = tr.scale;
    c.width = width, c.height = height;
    c.ids.assign(std::size_t(width) * std::size_t(height), 0);
    // The voxel under each column and each row, from the view's own mapping (as ParticleOverlay).
    const vol::Size3 size = m_volume->levelInfo(0).size;
    const SliceAxes axes = sliceAxes(view.orientation());
    const qreal dpr = view.devicePixelRatioF();
    std::vector<std::int64_t> cu(std::size_t(width), -1), rv(std::size_t(height), -1);
    vol::Index3 voxel;
    std::int64_t u0 = component(size, axes.u), u1 = -1, v0 = component(size, axes.v), v1 = -1;
    for (int x = 0; x < width; ++x) {
      view.voxelAt(QPointF((x + 0.5) / dpr, (height / 2 + 0.5) / dpr), voxel);
      const std::int64_t u = component(voxel, axes.u);
      if (u < 0 || u >= component(size, axes.u)) continue;
      cu[std::size_t(x)] = u;
      u0 = std::min(u0, u), u1 = std::max(u1, u);
    }
    for (int y = 0; y < height; ++y) {
      view.voxelAt(QPointF((width / 2 + 0.5) / dpr, (y + 0.5) / dpr), voxel);
      const std::int64_t v = component(voxel, axes.v);
      if (v < 0 || v >= component(size, axes.v)) continue;
      rv[std::size_t(y)] = v;
      v0 = std::min(v0, v), v1 = std::max(v1, v);
    }
    if (u1 >= u0 && v1 >= v0 && slice >= 0 && slice < component(size, axes.normal) &&
        (u1 - u0 + 1) * (v1 - v0 + 1) <= kMaxVoxels) {
      vol::Region part;
      setComponent(part.start, axes.u, u0);
      setComponent(part.start, axes.v, v0);
      setComponent(part.start, axes.normal, slice);
      vol::Index3 extent;
      setComponent(extent, axes.u, u1 - u0 + 1);
      setComponent(extent, axes.v, v1 - v0 + 1);
      setComponent(extent, axes.normal, 1);
      part.size = {extent.x, extent.y, extent.z};
      // Missing blocks load on the volume's workers; each arrival redraws (one queued call at a time).
      QPointer<LazyParticleOverlay> self(this);
      auto queued = m_queued;
      m_volume->request(c.viewId, 0, part, [self, queued](const vol::BlockEvent&) {
        if (queued->exchange(true)) return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, queued] {
              queued->store(false);
              if (self) self->blocksArrived();
            },
            Qt::QueuedConnection);
      });
      const vol::Volume ids = m_volume->assemble(0, part); // cached blocks only; zeros elsewhere
      const auto* p = ids.as<std::uint32_t>();
      vol::Index3 at;
      setComponent(at, axes.normal, 0);
      for (int y = 0; y < height; ++y) {
        if (rv[std::size_t(y)] < 0) continue;
        setComponent(at, axes.v, rv[std::size_t(y)] - v0);
        for (int x = 0; x < width; ++x) {
          if (cu[std::size_t(x)] < 0) continue;
          setComponent(at, axes.u, cu[std::size_t(x)] - u0);
          c.ids[std::size_t(y) * std::size_t(width) + std::size_t(x)] = p[ids.index(at.x, at.y, at.z)];
        }
      }
    }
  }
  ParticleOverlay::paintIds(c.ids.data(), width, height, m_layer.selected(), m_style ? m_style->opacity() : 0.35,
                            mode == ParticleOverlay::Mode::Colour, rgba);
}

} // namespace ui
