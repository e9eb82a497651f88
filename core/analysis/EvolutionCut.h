#pragma once
/// \file EvolutionCut.h
/// A new cut across a particle of scan A in scan B (issue 19's fracture rule, used by
/// compareTimePoints): what a fracture leaves and an old crack's growth does not. The new crack
/// voxels of B inside the particle's footprint in A are those farther than the growth reach from
/// every crack voxel of A. The growth reach is measured per particle: the largest distance d
/// (6-connected steps, at most options.maxGrowthReachVoxels) up to which, at every distance 1..d
/// from A's cracks, options.minGrowthCrackShare of the material is crack in B (the old cracks grew
/// that far), plus options.growthMarginVoxels for resampling. All new crack voxels together, then
/// each 6-connected component of them (a new cut that crosses an old crack falls apart into its
/// two sides), are fitted by a plane (refined on every new crack voxel near it); the particle is cut
/// when, on one such plane, options.minCutCoverage of its material in B is crack, new crack near
/// the plane makes up options.minNewCrackOnCut per voxel on it, and options.minCutPlanarity of the
/// fitted voxels lie near it. A grown old crack, however far it cut, is no new cut; a particle that
/// old cracks had already cut in two and a new crack cuts again has one. Any thread.

#include "core/analysis/Evolution.h"

#include <cstdint>

namespace core::analysis {

struct NewCut {
  double coverage = 0;    ///< share of the particle's material in B on the plane (within 0.55 voxels) that is crack in B
  double newShare = 0;    ///< new crack voxels within 1.5 voxels of the plane per voxel on it (a two-voxel cut: about 2)
  double planarity = 0;   ///< share of the fitted new crack voxels within 1.5 voxels of the plane
  bool fractured = false; ///< a plane passes the options' thresholds (its values are the ones above)
};

/// The new cut of particle \p id of A (\p footprint: A's labels) in B (\p labelsB, \p cracksB on A's
/// grid), within its bounding box \p lo..\p hi (indices, inclusive). Without one: the best covered
/// plane's values, fractured false (all zero when there are too few new crack voxels).
NewCut newCut(const volume::Volume& footprint, const volume::Volume& labelsB, const volume::Volume& cracksA,
              const volume::Volume& cracksB, std::uint32_t id, const std::int64_t lo[3], const std::int64_t hi[3],
              const EvolutionOptions& options);

} // namespace core::analysis
