#include "core/analysis/SlabOwnership.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace core::analysis {

SlabWindow SlabWindow::make(std::int64_t z0, std::int64_t z1, std::int64_t halo, std::int64_t depth) {
  if (halo < 0) throw std::invalid_argument("--halo must not be negative");
  if (z0 < 0 || z1 > depth || z0 >= z1)
    throw std::invalid_argument("slices " + std::to_string(z0) + ":" + std::to_string(z1) +
                                " are empty or outside the volume (0:" + std::to_string(depth) + ")");
  SlabWindow w;
  w.z0 = z0;
  w.z1 = z1;
  w.lo = std::max<std::int64_t>(0, z0 - halo);
  w.hi = std::min<std::int64_t>(depth, z1 + halo);
  w.fullDepth = depth;
  return w;
}

Table keepSlabParticles(const Table& particles, const volume::Volume& labels, const SlabWindow& w) {
  if (labels.type() != volume::VoxelType::UInt32) throw std::invalid_argument("the particle label volume must be uint32");
  const volume::Size3 size = labels.size();
  if (size.z != w.hi - w.lo) throw std::invalid_argument("the label volume is not the slab's slices with halo");
  const std::int64_t slice = size.x * size.y, nvox = size.count();
  const int idCol = particles.indexOf("id"), nnCol = particles.indexOf("nn_id");
  if (idCol < 0 || nnCol < 0) throw std::invalid_argument("the particle table has no id or nn_id column");
  std::uint32_t maxId = 0;
  for (double v : particles.column(idCol).values) maxId = std::max(maxId, std::uint32_t(v));
  const auto* lab = static_cast<const std::uint32_t*>(labels.data());
  constexpr std::int64_t kNone = -1;
  std::vector<std::int64_t> first(maxId + 1u, kNone), count(maxId + 1u, 0), sumZ(maxId + 1u, 0), zMin(maxId + 1u, 0),
      zMax(maxId + 1u, 0);
  for (std::int64_t i = 0; i < nvox; ++i) {
    const std::uint32_t l = lab[i];
    if (l == 0 || l > maxId) continue;
    const std::int64_t z = i / slice;
    if (first[l] == kNone) first[l] = i, zMin[l] = z;
    zMax[l] = z;
    ++count[l];
    sumZ[l] += z + w.lo;
  }
  const bool lowCut = w.lo > 0, highCut = w.hi < w.fullDepth;
  auto cut = [&](std::uint32_t l) { return (lowCut && zMin[l] == 0) || (highCut && zMax[l] == size.z - 1); };
  auto key = [&](std::uint32_t l) { return double(1 + w.lo * slice + first[l]); };

  std::vector<std::int64_t> keep;
  for (std::int64_t r = 0; r < particles.rowCount(); ++r) {
    const auto l = std::uint32_t(particles.value(r, idCol));
    if (l > maxId || count[l] == 0) continue;
    // Centroid slice c = sumZ / count lies in [z0, z1), exactly in integers.
    if (sumZ[l] < w.z0 * count[l] || sumZ[l] >= w.z1 * count[l]) continue;
    if (cut(l))
      throw std::runtime_error("particle " + std::to_string(std::int64_t(key(l))) + " (centroid slice " +
                               std::to_string(sumZ[l] / count[l]) + ") reaches the halo of slices " +
                               std::to_string(w.z0) + ":" + std::to_string(w.z1) + "; use a larger --halo");
    const double nn = particles.value(r, nnCol);
    if (!std::isnan(nn) && std::uint32_t(nn) <= maxId && cut(std::uint32_t(nn)))
      throw std::runtime_error("the nearest neighbour of particle " + std::to_string(std::int64_t(key(l))) +
                               " reaches the halo of slices " + std::to_string(w.z0) + ":" + std::to_string(w.z1) +
                               "; use a larger --halo");
    keep.push_back(r);
  }
  // measureParticles gives rows in increasing (raster) id order; keys keep that order.
  Table out = particles;
  out.resizeRows(0);
  out.resizeRows(std::int64_t(keep.size()));
  for (std::size_t k = 0; k < keep.size(); ++k)
    for (int c = 0; c < particles.columnCount(); ++c) {
      double v = particles.value(keep[k], c);
      if ((c == idCol || c == nnCol) && !std::isnan(v)) v = key(std::uint32_t(v));
      out.set(std::int64_t(k), c, v);
    }
  return out;
}

} // namespace core::analysis
