#pragma once
/// \file SlabPlan.h
/// Splitting a range of z slices into slab ranges, one per task of a job array, with an optional
/// halo: the slices a task may read around the slices it owns (for 3D work such as particle
/// analysis, where a particle that crosses a slab border must be seen whole).
/// Pure functions; any thread.

#include <cstdint>
#include <string>
#include <vector>

namespace core::cluster {

/// One task's share of the z range. Slices are voxel indices of the whole volume.
struct SlabRange {
  std::int64_t z0 = 0, z1 = 0;         ///< owned slices [z0, z1): the task's output covers exactly these
  std::int64_t readZ0 = 0, readZ1 = 0; ///< slices [readZ0, readZ1) it may read: owned plus halo, clipped
  std::int64_t owned() const { return z1 - z0; }
  bool operator==(const SlabRange& o) const {
    return z0 == o.z0 && z1 == o.z1 && readZ0 == o.readZ0 && readZ1 == o.readZ1;
  }
};

/// How to split. Exactly one of tasks and maxSlab is > 0.
struct SlabSplit {
  std::int64_t begin = 0, end = 0; ///< the z range to cover, [begin, end)
  int tasks = 0;                   ///< split into this many slabs of near-equal size (fewer if the range is shorter)
  std::int64_t maxSlab = 0;        ///< or: slabs of at most this many slices (near-equal sizes)
  std::int64_t halo = 0;           ///< slices read beyond each border, clipped to [begin, end)
  /// When > 1, inner borders fall on multiples of this (for example the z chunk size of an HDF5
  /// file, so that no two tasks write the same chunk). Slabs may then differ more in size; with
  /// maxSlab, align must not exceed it.
  std::int64_t align = 1;
};

/// The slab ranges, in increasing z, tiling [begin, end) exactly, none empty.
/// Throws std::invalid_argument with a clear message on an empty range, on neither or both of
/// tasks and maxSlab, or on a negative halo.
std::vector<SlabRange> splitSlabs(const SlabSplit& split);

/// Empty when \p slabs tile [begin, end) exactly in increasing z, else a sentence saying where
/// they do not (a gap, an overlap, a slab out of range).
std::string checkTiling(const std::vector<SlabRange>& slabs, std::int64_t begin, std::int64_t end);

} // namespace core::cluster
