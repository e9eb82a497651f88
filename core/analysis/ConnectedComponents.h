#pragma once
/// \file ConnectedComponents.h
/// Connected-component labelling of a voxel set (two-pass union-find, slabs in parallel).
/// Header-only template so each caller inlines its own set and joining rules.

#include "core/analysis/ParallelFor.h"
#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace core::analysis {

/// Offsets of the backward neighbours (those visited before a voxel in raster order) for 6- or
/// 26-connectivity: 3 or 13 of (dx, dy, dz).
struct NeighbourOffset {
  int dx, dy, dz;
};
inline std::vector<NeighbourOffset> backwardNeighbours(int connectivity) {
  if (connectivity == 6) return {{-1, 0, 0}, {0, -1, 0}, {0, 0, -1}};
  if (connectivity != 26) throw std::invalid_argument("connectivity must be 6 or 26");
  std::vector<NeighbourOffset> out;
  for (int dz = -1; dz <= 0; ++dz)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        if (dz == 0 && (dy > 0 || (dy == 0 && dx >= 0))) continue;
        out.push_back({dx, dy, dz});
      }
  return out;
}

namespace detail {
inline std::uint32_t findRoot(std::vector<std::uint32_t>& parent, std::uint32_t a) {
  while (parent[a] != a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}
inline std::uint32_t unite(std::vector<std::uint32_t>& parent, std::uint32_t a, std::uint32_t b) {
  a = findRoot(parent, a);
  b = findRoot(parent, b);
  if (a < b) parent[b] = a;
  else if (b < a) parent[a] = b;
  return std::min(a, b);
}
} // namespace detail

/// Labels the connected components of the voxels where inSet(i) is true (i the linear index);
/// two neighbouring set voxels (6- or 26-connectivity) belong together when joinable(i, j).
/// Writes 1..N to \p labels (voxelCount entries) numbered in raster order of each component's first
/// voxel, 0 outside the set; returns N. Polls \p cancel. The callables are called from several
/// threads at once and must be thread-safe (pure reads). Volumes must hold fewer than 2^32 voxels.
template <class InSet, class Joinable>
std::uint32_t labelComponents(const volume::Size3& size, int connectivity, InSet inSet, Joinable joinable,
                              std::uint32_t* labels, jobs::CancelToken& cancel = jobs::neverCancelled()) {
  const std::int64_t nx = size.x, ny = size.y, nz = size.z, slice = nx * ny;
  if (size.empty()) return 0;
  const auto offsets = backwardNeighbours(connectivity);
  const int workers = workerCount();
  const std::int64_t slabCount = std::min<std::int64_t>(nz, std::max(1, workers * 4));
  std::vector<std::int64_t> slabStart(std::size_t(slabCount) + 1);
  for (std::int64_t s = 0; s <= slabCount; ++s) slabStart[std::size_t(s)] = nz * s / slabCount;
  std::vector<std::vector<std::uint32_t>> tables(static_cast<std::size_t>(slabCount));

  // Pass 1: provisional local ids per slab.
  parallelFor(slabCount, 1, [&](std::int64_t s0, std::int64_t s1, int) {
    for (std::int64_t s = s0; s < s1; ++s) {
      const std::int64_t z0 = slabStart[std::size_t(s)], z1 = slabStart[std::size_t(s) + 1];
      std::vector<std::uint32_t>& parent = tables[std::size_t(s)];
      parent.assign(1, 0);
      for (std::int64_t z = z0; z < z1; ++z) {
        cancel.throwIfCancelled();
        for (std::int64_t y = 0; y < ny; ++y)
          for (std::int64_t x = 0; x < nx; ++x) {
            const std::int64_t i = x + nx * y + slice * z;
            if (!inSet(i)) {
              labels[i] = 0;
              continue;
            }
            std::uint32_t best = 0;
            for (const auto& o : offsets) {
              const std::int64_t xx = x + o.dx, yy = y + o.dy, zz = z + o.dz;
              if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || zz < z0) continue;
              const std::int64_t j = xx + nx * yy + slice * zz;
              const std::uint32_t lj = labels[j];
              if (!lj || !joinable(i, j)) continue;
              best = best ? detail::unite(parent, best, lj) : detail::findRoot(parent, lj);
            }
            if (!best) {
              if (parent.size() >= 0xFFFFFFFFull) throw std::runtime_error("too many components");
              best = std::uint32_t(parent.size());
              parent.push_back(best);
            }
            labels[i] = best;
          }
      }
    }
  });

  // Global ids: local id + offset of its slab.
  std::vector<std::uint64_t> offset(std::size_t(slabCount) + 1, 0);
  for (std::int64_t s = 0; s < slabCount; ++s)
    offset[std::size_t(s) + 1] = offset[std::size_t(s)] + tables[std::size_t(s)].size() - 1;
  if (offset.back() >= 0xFFFFFFFFull) throw std::runtime_error("too many components");
  std::vector<std::uint32_t> parent(std::size_t(offset.back()) + 1);
  parent[0] = 0;
  for (std::int64_t s = 0; s < slabCount; ++s) {
    const auto& t = tables[std::size_t(s)];
    for (std::size_t k = 1; k < t.size(); ++k)
      parent[std::size_t(offset[std::size_t(s)]) + k] = std::uint32_t(offset[std::size_t(s)] + t[k]);
    std::vector<std::uint32_t>().swap(tables[std::size_t(s)]);
  }
  parallelFor(slabCount, 1, [&](std::int64_t s0, std::int64_t s1, int) {
    for (std::int64_t s = s0; s < s1; ++s) {
      const std::uint32_t add = std::uint32_t(offset[std::size_t(s)]);
      if (!add) continue;
      std::uint32_t* p = labels + slabStart[std::size_t(s)] * slice;
      const std::int64_t n = (slabStart[std::size_t(s) + 1] - slabStart[std::size_t(s)]) * slice;
      for (std::int64_t k = 0; k < n; ++k)
        if (p[k]) p[k] += add;
    }
  });

  // Join across slab boundaries.
  for (std::int64_t s = 1; s < slabCount; ++s) {
    const std::int64_t z = slabStart[std::size_t(s)];
    for (std::int64_t y = 0; y < ny; ++y)
      for (std::int64_t x = 0; x < nx; ++x) {
        const std::int64_t i = x + nx * y + slice * z;
        if (!labels[i]) continue;
        for (const auto& o : offsets) {
          if (o.dz != -1) continue;
          const std::int64_t xx = x + o.dx, yy = y + o.dy;
          if (xx < 0 || xx >= nx || yy < 0 || yy >= ny) continue;
          const std::int64_t j = xx + nx * yy + slice * (z - 1);
          if (labels[j] && joinable(i, j)) detail::unite(parent, labels[i], labels[j]);
        }
      }
  }

  // Flatten (parents always point to smaller ids) and number roots in increasing order.
  std::uint32_t count = 0;
  for (std::size_t k = 1; k < parent.size(); ++k) {
    const std::uint32_t p = parent[k];
    parent[k] = (p == k) ? ++count : parent[p];
  }
  parallelFor(nz, 4, [&](std::int64_t z0, std::int64_t z1, int) {
    std::uint32_t* p = labels + z0 * slice;
    const std::int64_t n = (z1 - z0) * slice;
    for (std::int64_t k = 0; k < n; ++k)
      if (p[k]) p[k] = parent[p[k]];
  });
  return count;
}

} // namespace core::analysis
