#pragma once
/// \file MarkerWatershed.h
/// The splitting step of particle segmentation: a watershed by flooding of a height map (the
/// distance map, highest first) whose markers are the maxima of sufficient dynamic, and the
/// merging of small fragments. Internal to core/analysis; ParticleSegmentation.h is the public way.

#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

#include <cstdint>

namespace core::analysis {

/// Floods the voxels where (mask[i] & bit) from the highest \p height down (6-connectivity).
/// A maximum starts a region; when two regions meet at height g, the one with the lower peak p
/// survives as its own region only when p - g >= \p dynamic, else it joins the higher one. A voxel
/// joins the region of its highest already flooded neighbour. This gives the partition of a
/// marker-controlled watershed whose markers are the h-maxima (h = dynamic) of the height map.
/// Writes region ids 1..N (not yet in raster order) to \p labels, 0 outside the mask; returns N.
/// Heights must be finite. Volumes under 2^32 voxels.
/// \p seeds (may be null): per voxel a marker id (0 = none). Every voxel of one marker id inside
/// the mask belongs to one region that never joins another (its peak counts as infinitely high),
/// so marked particles keep the boundaries the markers give them; unmarked maxima still start
/// regions and survive by the dynamic rule (a particle the markers do not know).
std::uint32_t floodWithDynamics(const float* height, const std::uint8_t* mask, std::uint8_t bit,
                                const volume::Size3& size, float dynamic, std::uint32_t* labels,
                                jobs::ProgressSink& progress, jobs::CancelToken& cancel,
                                const std::uint32_t* seeds = nullptr);

struct FragmentMerge {
  std::int64_t merged = 0;  ///< regions under the minimum merged into a neighbour
  std::int64_t dropped = 0; ///< regions under the minimum without a neighbour, set to 0
  std::uint32_t count = 0;  ///< regions left
};

/// Merges each region of fewer than \p minVolume voxels into the touching region with which it
/// shares the most voxel faces (smallest first), drops those that touch none, and renumbers the
/// regions 1..N in raster order of their first voxel.
FragmentMerge mergeSmallRegions(std::uint32_t* labels, const volume::Size3& size, std::uint32_t regionCount,
                                std::int64_t minVolume, jobs::CancelToken& cancel);

/// Renumbers the nonzero labels 1..N in raster order of their first voxel; returns N.
std::uint32_t renumberRaster(std::uint32_t* labels, const volume::Size3& size, std::uint32_t maxLabel);

} // namespace core::analysis
