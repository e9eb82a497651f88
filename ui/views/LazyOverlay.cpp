#include "ui/views/LazyOverlay.h"

#include <QMetaObject>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ui {

namespace vol = core::volume;

namespace {

std::int64_t axis(const vol::Size3& s, int a) { return a == 0 ? s.x : (a == 1 ? s.y : s.z); }
double axis(const vol::Vec3& s, int a) { return a == 0 ? s.x : (a == 1 ? s.y : s.z); }
int normalOf(vol::Orientation o) { return o == vol::Orientation::XY ? 2 : (o == vol::Orientation::XZ ? 1 : 0); }

/// Full-resolution index of the voxel centre of index \p i at a level \p factor times coarser.
std::int64_t toLevel0(std::int64_t i, double factor, std::int64_t n0) {
  return std::clamp<std::int64_t>(std::int64_t(std::floor((double(i) + 0.5) * factor)), 0, n0 - 1);
}

} // namespace

LazyOverlay::LazyOverlay(const vol::VolumeInfo& level0, QObject* parent) : QObject(parent), m_level0(level0) {}

LazyOverlay::~LazyOverlay() { setVolume(nullptr); }

void LazyOverlay::setSlice(vol::Orientation o, std::int64_t slice, vol::Volume plane) {
  const vol::Size3 want{vol::sliceWidth(m_level0.size, o), vol::sliceHeight(m_level0.size, o), 1};
  if (plane.size() != want || plane.type() != vol::VoxelType::UInt8)
    throw std::invalid_argument("a predicted slice must be uint8 of the slice's size");
  m_slices[std::size_t(o)] = std::move(plane);
  m_sliceIndex[std::size_t(o)] = slice;
  Q_EMIT changed();
}

std::int64_t LazyOverlay::predictedSlice(vol::Orientation o) const { return m_sliceIndex[std::size_t(o)]; }

void LazyOverlay::setVolume(std::shared_ptr<vol::LazyVolume> volume, std::int64_t completeSlices) {
  if (m_volume)
    for (const auto& [view, request] : m_requests) m_volume->cancel(view);
  m_requests.clear();
  m_volume = std::move(volume);
  m_complete = completeSlices;
  Q_EMIT changed();
}

void LazyOverlay::clear() {
  m_slices = {};
  m_sliceIndex = {-1, -1, -1};
  setVolume(nullptr);
}

void LazyOverlay::cancel(std::uint64_t view) {
  if (m_volume) m_volume->cancel(view);
  m_requests.erase(view);
}

void LazyOverlay::notifyLater() {
  if (m_notifyQueued->exchange(true)) return; // a burst of blocks is one redraw
  QMetaObject::invokeMethod(
      this,
      [this] {
        *m_notifyQueued = false;
        Q_EMIT changed();
      },
      Qt::QueuedConnection);
}

vol::Volume LazyOverlay::compose(vol::Orientation o, int level, const vol::VolumeInfo& levelInfo, const vol::Region& part,
                                 std::uint64_t view) {
  vol::Volume out;
  if (part.empty()) return out;
  if (fromVolume(level, levelInfo, part, view, out)) return out;
  if (fromSlice(o, levelInfo, part, out)) return out;
  return {};
}

bool LazyOverlay::fromVolume(int level, const vol::VolumeInfo& li, const vol::Region& part, std::uint64_t view,
                             vol::Volume& out) {
  if (!m_volume) return false;
  if (level >= m_volume->levels() || !(m_volume->levelInfo(level).size == li.size)) return false;
  // While being written, only the complete chunk layers of level 0 are read.
  vol::Region r = part;
  if (m_complete >= 0) {
    if (level != 0) return false;
    const std::int64_t end = std::min(part.start.z + part.size.z, m_complete);
    if (end <= part.start.z) return false;
    r.size.z = end - part.start.z;
  }
  Request& q = m_requests[view];
  const bool moved = q.volume != m_volume.get() || q.level != level || !(q.region == r);
  // Blocks evicted since they arrived (a small cache budget) are asked for once more, not forever.
  const bool evicted = !moved && !q.retried && m_volume->pendingBlocks(view) == 0 &&
                       m_volume->bestAvailableLevel(level, r) != level;
  if (moved || evicted) {
    q = {m_volume.get(), level, r, evicted};
    m_volume->request(view, level, r, [this](const vol::BlockEvent&) { notifyLater(); });
  }
  const vol::Volume got = m_volume->assemble(level, r);
  out = vol::Volume(part.size, vol::VoxelType::UInt8, li.spacing);
  if (got.type() != vol::VoxelType::UInt8) return false;
  // r is part's first r.size.z slices (it differs only along z): row by row.
  const std::uint8_t* src = got.as<std::uint8_t>();
  std::uint8_t* dst = out.as<std::uint8_t>();
  const std::int64_t rows = r.size.y * r.size.z;
  for (std::int64_t k = 0; k < rows; ++k) {
    const std::int64_t y = k % r.size.y, z = k / r.size.y;
    std::copy(src + got.index(0, y, z), src + got.index(0, y, z) + r.size.x, dst + out.index(0, y, z));
  }
  return true;
}

bool LazyOverlay::fromSlice(vol::Orientation o, const vol::VolumeInfo& li, const vol::Region& part, vol::Volume& out) const {
  const std::int64_t s = m_sliceIndex[std::size_t(o)];
  if (s < 0) return false;
  const int n = normalOf(o);
  const int u = o == vol::Orientation::YZ ? 1 : 0, v = o == vol::Orientation::XY ? 1 : 2;
  const auto factor = [&](int a) { return axis(li.spacing, a) / axis(m_level0.spacing, a); };
  // The part's slice covers full-resolution slices [lo, hi): shown when the predicted one is one.
  const std::int64_t idx = axis(part.start, n);
  const double fn = factor(n);
  const std::int64_t lo = std::int64_t(std::floor(double(idx) * fn + 1e-9)), hi = std::int64_t(std::floor(double(idx + 1) * fn + 1e-9));
  if (s < lo || s >= std::max(hi, lo + 1)) return false;
  const vol::Volume& plane = m_slices[std::size_t(o)];
  const std::int64_t nu0 = plane.size().x, nv0 = plane.size().y;
  const double fu = factor(u), fv = factor(v);
  out = vol::Volume(part.size, vol::VoxelType::UInt8, li.spacing);
  const std::int64_t nu = axis(part.size, u), nv = axis(part.size, v);
  const std::int64_t u0 = axis(part.start, u), v0 = axis(part.start, v);
  const std::uint8_t* src = plane.as<std::uint8_t>();
  std::uint8_t* dst = out.as<std::uint8_t>();
  for (std::int64_t j = 0; j < nv; ++j) {
    const std::int64_t pv = toLevel0(v0 + j, fv, nv0);
    for (std::int64_t i = 0; i < nu; ++i) {
      const std::int64_t pu = toLevel0(u0 + i, fu, nu0);
      const vol::Index3 at = vol::toVoxel(o, 0, i, j);
      dst[out.index(at.x, at.y, at.z)] = src[plane.index(pu, pv, 0)];
    }
  }
  return true;
}

} // namespace ui
