#pragma once
/// \file SlabOwnership.h
/// Which particles a slab of a cluster or out-of-core analysis owns. A slab [z0, z1) is analysed
/// with a halo: slices [lo, hi) = [max(0, z0 - H), min(Z, z1 + H)) of the whole volume Z slices
/// deep. A particle belongs to the slab that holds its centroid slice, so every particle is
/// measured once; it is measured whole when the halo H covers the largest particle (and, for
/// packing_density and the nearest neighbour, the packing sphere and the neighbour distance).
/// Ids become global keys (1 + linear index of the particle's first voxel in the whole volume, x
/// fastest), which order the particles exactly as the raster ids of a single whole-volume run;
/// core::cluster::mergeCsvPieces renumbers them 1..N (the "merge_ids: rank" comment). Any thread.

#include "core/analysis/Table.h"
#include "core/volume/Volume.h"

#include <cstdint>

namespace core::analysis {

struct SlabWindow {
  std::int64_t z0 = 0, z1 = 0;   ///< owned slices of the whole volume
  std::int64_t lo = 0, hi = 0;   ///< slices read (with the halo)
  std::int64_t fullDepth = 0;    ///< slices of the whole volume
  /// The window of slab [z0, z1) with halo \p halo in a volume \p depth slices deep. Throws
  /// std::invalid_argument when the range is empty or outside, or halo < 0.
  static SlabWindow make(std::int64_t z0, std::int64_t z1, std::int64_t halo, std::int64_t depth);
};

/// The rows of \p particles (measureParticles() of \p labels, uint32, the slices [lo, hi) of
/// \p w) whose centroid slice (exact: sum of voxel z / voxel count) lies in [z0, z1), in raster
/// order of their first voxel, with "id" and "nn_id" replaced by global keys (see above).
/// Throws std::runtime_error "particle N reaches the halo; use a larger --halo" when a kept
/// particle touches a face of the read slices that is not a face of the whole volume (it would be
/// cut and measured wrong), and when a nearest neighbour is such a cut particle.
Table keepSlabParticles(const Table& particles, const volume::Volume& labels, const SlabWindow& w);

} // namespace core::analysis
