#pragma once
/// \file ContactMerge.h
/// A step of particle segmentation (ParticleSegmentation.h, step 3): regions of a watershed that
/// meet over a contact as wide as the smaller region joined back into one particle. Two particles
/// that touch meet over a neck much narrower than either; a particle that the watershed cut at a
/// crack, a pore or a lobe meets its other part over most of its cross-section. Internal to
/// core/analysis. Any thread.

#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

#include <cstdint>

namespace core::analysis {

/// The contact ratio of two regions: the radius of a disc of their contact area (voxel faces
/// between them, in square micrometres) over the equivalent-sphere radius of the smaller region.
/// About 1.26 for a ball cut through its middle (a disc of its radius against half its volume);
/// 0.3 to 0.7 for most touching particles of the realistic phantom (faces of a slanted contact
/// count its area up to sqrt(3) times).
double contactRatio(double contactArea, double smallerVolume);

/// Merges touching regions of \p labels (ids 1..regionCount, 0 = none), the pair of highest
/// contact ratio first, as long as it is at least \p minRatio (merged regions add up their volumes
/// and contacts). With \p seeds (may be null) two regions merge only when they lie in the same
/// seed id (a region without seed voxels takes its partner's). Leaves ids 1..N (not in raster
/// order) and returns N.
std::uint32_t mergeWideContacts(std::uint32_t* labels, const volume::Size3& size, const volume::Vec3& spacing,
                                std::uint32_t regionCount, double minRatio, const std::uint32_t* seeds,
                                jobs::CancelToken& cancel);

} // namespace core::analysis
