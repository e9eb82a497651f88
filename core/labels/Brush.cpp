#include "core/labels/Brush.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace core::labels {

using volume::Region;
using volume::Vec3;

namespace {

struct DabGeometry {
  double cx, cy, cz;   ///< centre (voxel coordinates)
  double r2;           ///< squared radius
  bool useX, useY, useZ; ///< axes the shape extends along (the normal of a disc does not)
};

double snap(double p, int size) { return (size % 2) ? std::round(p) : std::floor(p) + 0.5; }

DabGeometry geometry(const BrushSettings& s, const Vec3& c) {
  DabGeometry g;
  const bool sphere = s.shape == BrushShape::Sphere;
  g.useX = sphere || s.orientation != volume::Orientation::YZ;
  g.useY = sphere || s.orientation != volume::Orientation::XZ;
  g.useZ = sphere || s.orientation != volume::Orientation::XY;
  g.cx = g.useX ? snap(c.x, s.size) : std::round(c.x);
  g.cy = g.useY ? snap(c.y, s.size) : std::round(c.y);
  g.cz = g.useZ ? snap(c.z, s.size) : std::round(c.z);
  const double r = s.size / 2.0;
  g.r2 = r * r + 1e-9;
  return g;
}

void axisRange(double c, bool use, double r, std::int64_t& lo, std::int64_t& hi) {
  if (!use) {
    lo = hi = std::int64_t(c);
    return;
  }
  lo = std::int64_t(std::ceil(c - r - 1e-9));
  hi = std::int64_t(std::floor(c + r + 1e-9));
}

void checkSettings(const BrushSettings& s, const volume::Size3& size) {
  if (s.size < 1) throw std::invalid_argument("brush size must be at least 1 voxel");
  s.rule.check(size);
}

/// Dabs for a segment of \p length voxels: at most a quarter of the diameter apart (at most half
/// a voxel for small brushes), so consecutive dabs overlap and the stroke has no gaps.
std::int64_t dabStepCount(const BrushSettings& s, double length) {
  const double spacing = std::max(0.5, s.size * 0.25);
  return std::max<std::int64_t>(1, std::int64_t(std::ceil(length / spacing)));
}

} // namespace

Region dabRegion(const BrushSettings& s, const Vec3& centre, const volume::Size3& volumeSize) {
  const DabGeometry g = geometry(s, centre);
  const double r = s.size / 2.0;
  std::int64_t x0, x1, y0, y1, z0, z1;
  axisRange(g.cx, g.useX, r, x0, x1);
  axisRange(g.cy, g.useY, r, y0, y1);
  axisRange(g.cz, g.useZ, r, z0, z1);
  return Region{{x0, y0, z0}, {x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1}}.clippedTo(volumeSize);
}

Region paintDab(LabelEdit& edit, const BrushSettings& s, const Vec3& centre) {
  const auto& size = edit.volume().size();
  checkSettings(s, size);
  const Region box = dabRegion(s, centre, size);
  if (box.empty()) return {};
  const DabGeometry g = geometry(s, centre);
  const std::int64_t x0 = box.start.x, x1 = box.end().x - 1;
  return edit.modifyRows(box, [&](std::int64_t y, std::int64_t z, std::uint8_t* row) {
    const double dy = g.useY ? y - g.cy : 0.0;
    const double dz = g.useZ ? z - g.cz : 0.0;
    const double rem = g.r2 - dy * dy - dz * dz;
    if (rem < 0) return;
    std::int64_t a = x0, b = x1;
    if (g.useX) {
      const double h = std::sqrt(rem);
      a = std::max(x0, std::int64_t(std::ceil(g.cx - h)));
      b = std::min(x1, std::int64_t(std::floor(g.cx + h)));
    }
    if (b < a) return;
    s.rule.paintSpan(row + (a - x0), b - a + 1, {a, y, z}, s.value);
  });
}

Region paintSegment(LabelEdit& edit, const BrushSettings& s, const Vec3& from, const Vec3& to) {
  const double dx = to.x - from.x, dy = to.y - from.y, dz = to.z - from.z;
  const double length = std::sqrt(dx * dx + dy * dy + dz * dz);
  const std::int64_t steps = dabStepCount(s, length);
  Region changed;
  for (std::int64_t i = 1; i <= steps; ++i) {
    const double t = double(i) / double(steps);
    const Vec3 p{from.x + t * dx, from.y + t * dy, from.z + t * dz};
    changed = unite(changed, paintDab(edit, s, p));
  }
  return changed;
}

BrushStroke::BrushStroke(LabelVolume& labels, const BrushSettings& settings, std::string name)
    : m_settings(settings) {
  checkSettings(settings, labels.size());
  if (name.empty()) name = settings.value == kUnlabelled ? stepname::kEraseStroke : stepname::kPaintStroke;
  m_edit = labels.beginEdit(std::move(name));
}

Region BrushStroke::moveTo(const Vec3& p) {
  Region changed;
  if (!m_started) {
    changed = paintDab(m_edit, m_settings, p);
    ++m_dabs;
    m_started = true;
  } else {
    const double dx = p.x - m_last.x, dy = p.y - m_last.y, dz = p.z - m_last.z;
    m_dabs += dabStepCount(m_settings, std::sqrt(dx * dx + dy * dy + dz * dz));
    changed = paintSegment(m_edit, m_settings, m_last, p);
  }
  m_last = p;
  return changed;
}

EditSummary BrushStroke::finish() { return m_edit.commit(); }

void BrushStroke::cancel() {
  if (m_edit.isOpen()) m_edit.abort();
}

} // namespace core::labels
