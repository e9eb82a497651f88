#include "core/analysis/ParticleCorrections.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace core::analysis {

namespace {

void requireParticleLabels(const volume::Volume& labels) {
  if (labels.empty() || labels.type() != volume::VoxelType::UInt32)
    throw std::invalid_argument("particle corrections need a uint32 particle label volume");
}

/// Unit vector of the longest principal axis of the voxels of \p id inside \p box (physical
/// units), by power iteration on their covariance; \p centre receives their centroid. False when
/// the particle has fewer than two voxels there.
bool principalAxis(const volume::Volume& labels, std::uint32_t id, const volume::Region& box,
                   std::array<double, 3>& centre, std::array<double, 3>& axis) {
  const volume::Vec3 s = labels.spacing();
  const std::uint32_t* p = labels.as<std::uint32_t>();
  double n = 0, mx = 0, my = 0, mz = 0;
  std::array<double, 6> m2{}; // xx yy zz xy xz yz
  const volume::Index3 e = box.end();
  for (std::int64_t z = box.start.z; z < e.z; ++z)
    for (std::int64_t y = box.start.y; y < e.y; ++y)
      for (std::int64_t x = box.start.x; x < e.x; ++x)
        if (p[labels.index(x, y, z)] == id) {
          const double X = double(x) * s.x, Y = double(y) * s.y, Z = double(z) * s.z;
          n += 1, mx += X, my += Y, mz += Z;
          m2[0] += X * X, m2[1] += Y * Y, m2[2] += Z * Z, m2[3] += X * Y, m2[4] += X * Z, m2[5] += Y * Z;
        }
  if (n < 2) return false;
  mx /= n, my /= n, mz /= n;
  const double cxx = m2[0] / n - mx * mx, cyy = m2[1] / n - my * my, czz = m2[2] / n - mz * mz;
  const double cxy = m2[3] / n - mx * my, cxz = m2[4] / n - mx * mz, cyz = m2[5] / n - my * mz;
  std::array<double, 3> a{1, 0.7, 0.4};
  for (int it = 0; it < 100; ++it) {
    const std::array<double, 3> b{cxx * a[0] + cxy * a[1] + cxz * a[2], cxy * a[0] + cyy * a[1] + cyz * a[2],
                                  cxz * a[0] + cyz * a[1] + czz * a[2]};
    const double len = std::sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
    if (!(len > 0)) break;
    a = {b[0] / len, b[1] / len, b[2] / len};
  }
  centre = {mx, my, mz};
  axis = a;
  return true;
}

} // namespace

std::size_t ParticleCorrections::Step::byteSize() const {
  return sizeof(Step) + name.capacity() + std::size_t(before.bytes() + after.bytes());
}

ParticleCorrections::ParticleCorrections(std::size_t budgetBytes, std::size_t keepNewest)
    : m_history(budgetBytes, keepNewest) {}

namespace {

/// Bounding boxes of particles \p a and \p b in one pass over the labels.
std::array<volume::Region, 2> boxesOf(const volume::Volume& labels, std::uint32_t a, std::uint32_t b) {
  const volume::Size3 n = labels.size();
  const std::uint32_t* p = labels.as<std::uint32_t>();
  const std::array<std::uint32_t, 2> ids{a, b};
  std::array<volume::Index3, 2> lo{{{n.x, n.y, n.z}, {n.x, n.y, n.z}}}, hi{{{-1, -1, -1}, {-1, -1, -1}}};
  for (std::int64_t z = 0; z < n.z; ++z)
    for (std::int64_t y = 0; y < n.y; ++y) {
      const std::uint32_t* row = p + labels.index(0, y, z);
      for (std::int64_t x = 0; x < n.x; ++x)
        for (std::size_t k = 0; k < 2; ++k)
          if (row[x] == ids[k] && ids[k] != 0) {
            lo[k] = {std::min(lo[k].x, x), std::min(lo[k].y, y), std::min(lo[k].z, z)};
            hi[k] = {std::max(hi[k].x, x), std::max(hi[k].y, y), std::max(hi[k].z, z)};
          }
    }
  std::array<volume::Region, 2> out;
  for (std::size_t k = 0; k < 2; ++k)
    if (hi[k].x >= 0) out[k] = {lo[k], {hi[k].x - lo[k].x + 1, hi[k].y - lo[k].y + 1, hi[k].z - lo[k].z + 1}};
  return out;
}

} // namespace

volume::Region ParticleCorrections::boundingBox(const volume::Volume& labels, std::uint32_t id) {
  if (labels.empty() || id == 0) return {};
  requireParticleLabels(labels);
  return boxesOf(labels, id, 0)[0];
}

template <class F>
volume::Region ParticleCorrections::edit(volume::Volume& labels, const std::string& name, const volume::Region& box,
                                         F change) {
  if (box.empty()) return {};
  auto step = std::make_shared<Step>();
  step->name = name;
  step->region = box;
  step->before = labels.crop(box);
  // change(x, y, z, value) -> new value, over the box only.
  std::uint32_t* p = labels.as<std::uint32_t>();
  const volume::Index3 e = box.end();
  bool changed = false;
  for (std::int64_t z = box.start.z; z < e.z; ++z)
    for (std::int64_t y = box.start.y; y < e.y; ++y)
      for (std::int64_t x = box.start.x; x < e.x; ++x) {
        std::uint32_t& v = p[labels.index(x, y, z)];
        const std::uint32_t w = change(x, y, z, v);
        changed = changed || w != v;
        v = w;
      }
  if (!changed) return {};
  step->after = labels.crop(box);
  step->id = ++m_nextId;
  m_history.push(std::move(step));
  return box;
}

volume::Region ParticleCorrections::merge(volume::Volume& labels, std::uint32_t kept, std::uint32_t absorbed,
                                          const std::string& name) {
  if (kept == absorbed || kept == 0 || absorbed == 0) return {};
  return edit(labels, name, boundingBox(labels, absorbed),
              [&](std::int64_t, std::int64_t, std::int64_t, std::uint32_t v) { return v == absorbed ? kept : v; });
}

volume::Region ParticleCorrections::remove(volume::Volume& labels, std::uint32_t id, const std::string& name) {
  return edit(labels, name, boundingBox(labels, id),
              [&](std::int64_t, std::int64_t, std::int64_t, std::uint32_t v) { return v == id ? 0u : v; });
}

volume::Region ParticleCorrections::split(volume::Volume& labels, std::uint32_t id, std::uint32_t newId,
                                          const std::string& name) {
  if (newId == 0 || newId == id) return {};
  if (labels.empty()) return {};
  requireParticleLabels(labels);
  const auto [box, taken] = boxesOf(labels, id, newId); // one scan finds the particle and checks the new id
  std::array<double, 3> c{}, a{};
  if (box.empty() || !principalAxis(labels, id, box, c, a)) return {};
  if (!taken.empty())
    throw std::invalid_argument("cannot split particle " + std::to_string(id) + ": the new id " +
                                std::to_string(newId) + " is in use");
  const volume::Vec3 s = labels.spacing();
  return edit(labels, name, box, [&](std::int64_t x, std::int64_t y, std::int64_t z, std::uint32_t v) {
    if (v != id) return v;
    const double d = (double(x) * s.x - c[0]) * a[0] + (double(y) * s.y - c[1]) * a[1] + (double(z) * s.z - c[2]) * a[2];
    return d > 0 ? newId : v;
  });
}

volume::Region ParticleCorrections::undo(volume::Volume& labels) {
  const auto step = m_history.stepBack();
  if (!step) return {};
  labels.paste(step->before, step->region.start);
  return step->region;
}

volume::Region ParticleCorrections::redo(volume::Volume& labels) {
  const auto step = m_history.stepForward();
  if (!step) return {};
  labels.paste(step->after, step->region.start);
  return step->region;
}

} // namespace core::analysis
