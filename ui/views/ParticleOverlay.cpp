#include "ui/views/ParticleOverlay.h"

#include "ui/model/ParticleLayer.h"
#include "ui/model/VoxelAxes.h"
#include "ui/views/SliceView.h"

#include <algorithm>
#include <cmath>

namespace ui {

ParticleOverlay::ParticleOverlay(ParticleLayer& layer, QObject* parent) : QObject(parent), m_layer(layer) {
  connect(&m_layer, &ParticleLayer::layerChanged, this, &ParticleOverlay::refreshAll);
  connect(&m_layer, &ParticleLayer::selectionChanged, this, &ParticleOverlay::refreshAll);
}

ParticleOverlay::~ParticleOverlay() {
  for (SliceView* v : m_views) v->removeOverlay(this);
}

void ParticleOverlay::attach(SliceView* view) {
  if (std::find(m_views.begin(), m_views.end(), view) != m_views.end()) return;
  m_views.push_back(view);
  view->addOverlay(this);
  connect(view, &QObject::destroyed, this, [this, view] {
    m_views.erase(std::remove(m_views.begin(), m_views.end(), view), m_views.end());
    m_cache.erase(view);
  });
}

void ParticleOverlay::detach(SliceView* view) {
  m_views.erase(std::remove(m_views.begin(), m_views.end(), view), m_views.end());
  m_cache.erase(view);
  view->removeOverlay(this);
}

void ParticleOverlay::setMode(Mode mode) {
  if (mode == m_mode) return;
  m_mode = mode;
  refreshAll();
}

void ParticleOverlay::setOpacity(double opacity) {
  m_opacity = std::clamp(opacity, 0.0, 1.0);
  refreshAll();
}

void ParticleOverlay::refreshAll() {
  for (SliceView* v : m_views) v->refreshDecorations();
}

std::uint32_t ParticleOverlay::particleColour(std::uint32_t id) {
  // Golden-ratio hues: neighbours by id differ; bright, saturated, never grey.
  const double h = std::fmod(double(id) * 0.6180339887, 1.0) * 6.0;
  const double s = 0.75, v = 1.0;
  const int i = int(h);
  const double f = h - i, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  double r = v, g = t, b = p;
  switch (i) {
  case 0: r = v, g = t, b = p; break;
  case 1: r = q, g = v, b = p; break;
  case 2: r = p, g = v, b = t; break;
  case 3: r = p, g = q, b = v; break;
  case 4: r = t, g = p, b = v; break;
  default: r = v, g = p, b = q; break;
  }
  return (std::uint32_t(r * 255) << 16) | (std::uint32_t(g * 255) << 8) | std::uint32_t(b * 255);
}

void ParticleOverlay::paintSlice(SliceView& view, std::uint8_t* rgba, int width, int height) {
  if (m_mode == Mode::Off || m_layer.isEmpty() || width <= 0 || height <= 0) return;
  const auto& labels = m_layer.labels();
  Cache& c = m_cache[&view];
  const SliceTransform& tr = view.transform();
  const std::int64_t slice = view.slice();
  if (c.generation != m_layer.generation() || c.slice != slice || c.centreU != tr.centreU || c.centreV != tr.centreV ||
      c.scale != tr.scale || c.width != width || c.height != height) {
    c.generation = m_layer.generation();
    c.slice = slice;
    c.centreU = tr.centreU, c.centreV = tr.centreV, c.scale = tr.scale;
    c.width = width, c.height = height;
    c.ids.assign(std::size_t(width) * std::size_t(height), 0);
    // The voxel under each column and each row, from the view's own mapping.
    const SliceAxes axes = sliceAxes(view.orientation());
    const qreal dpr = view.devicePixelRatioF();
    std::vector<std::int64_t> cu(std::size_t(width), -1), rv(std::size_t(height), -1);
    core::volume::Index3 voxel;
    for (int x = 0; x < width; ++x) {
      view.voxelAt(QPointF((x + 0.5) / dpr, (height / 2 + 0.5) / dpr), voxel);
      const std::int64_t u = component(voxel, axes.u);
      if (u >= 0 && u < component(labels.size(), axes.u)) cu[std::size_t(x)] = u;
    }
    for (int y = 0; y < height; ++y) {
      view.voxelAt(QPointF((width / 2 + 0.5) / dpr, (y + 0.5) / dpr), voxel);
      const std::int64_t v = component(voxel, axes.v);
      if (v >= 0 && v < component(labels.size(), axes.v)) rv[std::size_t(y)] = v;
    }
    const std::uint32_t* p = labels.as<std::uint32_t>();
    core::volume::Index3 at;
    setComponent(at, axes.normal, slice);
    for (int y = 0; y < height; ++y) {
      if (rv[std::size_t(y)] < 0) continue;
      setComponent(at, axes.v, rv[std::size_t(y)]);
      for (int x = 0; x < width; ++x) {
        if (cu[std::size_t(x)] < 0) continue;
        setComponent(at, axes.u, cu[std::size_t(x)]);
        c.ids[std::size_t(y) * std::size_t(width) + std::size_t(x)] = p[labels.index(at.x, at.y, at.z)];
      }
    }
  }
  paintIds(c.ids.data(), width, height, m_layer.selected(), m_opacity, m_mode == Mode::Colour, rgba);
}

void ParticleOverlay::paintIds(const std::uint32_t* ids, int width, int height, std::uint32_t selected, double opacity,
                               bool colour, std::uint8_t* rgba) {
  const int a = int(std::lround(opacity * 255)), k = 255 - a;
  std::uint32_t lastId = 0, lastColour = 0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const std::size_t i = std::size_t(y) * std::size_t(width) + std::size_t(x);
      const std::uint32_t id = ids[i];
      if (id == 0) continue;
      std::uint8_t* d = rgba + i * 4;
      if (id == selected) {
        const bool edge = x == 0 || y == 0 || x == width - 1 || y == height - 1 || ids[i - 1] != id ||
                          ids[i + 1] != id || ids[i - std::size_t(width)] != id || ids[i + std::size_t(width)] != id;
        if (edge) {
          d[0] = std::uint8_t(kOutlineRgb >> 16), d[1] = std::uint8_t(kOutlineRgb >> 8), d[2] = std::uint8_t(kOutlineRgb);
          continue;
        }
      }
      if (!colour) continue;
      if (id != lastId) lastId = id, lastColour = particleColour(id);
      d[0] = std::uint8_t((int((lastColour >> 16) & 255) * a + d[0] * k + 127) / 255);
      d[1] = std::uint8_t((int((lastColour >> 8) & 255) * a + d[1] * k + 127) / 255);
      d[2] = std::uint8_t((int(lastColour & 255) * a + d[2] * k + 127) / 255);
    }
}

} // namespace ui
