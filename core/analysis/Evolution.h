#pragma once
/// \file Evolution.h
/// Crack evolution between two scans of the same electrode (issue 19): the particles of scan A
/// matched with those of scan B (already resampled onto A's grid, registerScans/resampleOnto) by
/// voxel overlap, and per particle of A the damage in both, its growth, new crack pieces and
/// whether it fractured. A particle of B belongs to the particle of A that holds most of its
/// voxels; a particle of A that no B particle belongs to takes the B particle covering most of it
/// (at least options.minMatchShare of it: B's segmentation merged it with a neighbour). The
/// particle of A whose B particles (its fragments) are two or more, each holding at least
/// options.minFragmentShare of it, fractured; so did one that a new crack cuts across, for a
/// segmentation that keeps a cracked particle whole leaves a fractured one as one label: its new
/// crack voxels in B (inside its footprint in A, farther from A's cracks than they grew: the
/// largest distance at which most of its material turned to crack, plus options.growthMarginVoxels)
/// fitted by a plane on which options.minCutCoverage of its material in B is crack. A grown old
/// crack is never such a cut, however far it cut; a particle that old cracks had already cut in two
/// and a new crack cuts again is. Its large pieces (solid_pieces_a/b) are reported. Any thread.

#include "core/analysis/Csv.h"
#include "core/analysis/ParticleStatistics.h"
#include "core/analysis/Registration.h"
#include "core/analysis/Table.h"
#include "core/volume/Volume.h"

namespace core::analysis {

struct EvolutionOptions {
  StatisticsOptions statistics;   ///< depth axis and side, packing factor (measured on A)
  double minFragmentShare = 0.1;  ///< share of A's particle a B particle must hold to count as a fragment
  double minPieceShare = 0.25;    ///< share of the eroded uncracked material a piece cut off by cracks must hold (fracture)
  int maxGrowthReachVoxels = 6;   ///< farthest an old crack's growth is measured (voxels from A's cracks; beyond: new crack)
  double minGrowthCrackShare = 2.0 / 3; ///< share of the material at a distance from A's cracks turned to crack in B for the old cracks to have grown that far
  int growthMarginVoxels = 1;     ///< added to each particle's measured growth reach (resampling moves crack faces a voxel)
  double minCutCoverage = 0.8;    ///< share of the particle's material on the plane of its new cracks that must be crack (fracture)
  double minNewCrackOnCut = 0.1;  ///< new crack voxels near that plane per voxel on it (the cut is new, not an old crack's plane)
  double minCutPlanarity = 0.5;   ///< share of the new crack voxels near that plane (a cut, not a region turned to crack)
  double minMatchShare = 0.3;     ///< share of a B particle's voxels inside the A particle to belong to it (or of the A particle's covered by a B particle that belongs to another)
  double binWidthUm = 10;         ///< depth-profile bin width, micrometres
};

/// One time point on A's grid: grey image, particle labels (uint32), crack mask (uint8 0/1).
struct TimePoint {
  const volume::Volume* image = nullptr;
  const volume::Volume* labels = nullptr;
  const volume::Volume* cracks = nullptr;
};

struct EvolutionResult {
  Table particles;     ///< one row per particle of A (evolutionColumns())
  Table depthProfile;  ///< growth per depth bin
  std::int64_t matched = 0, fractured = 0, lost = 0, outside = 0; ///< particles of A
  std::int64_t unmatchedB = 0;  ///< particles of B that belong to no particle of A
  std::vector<std::uint32_t> unmatchedIdsB; ///< their ids (compareInSlabs joins slabs by them)
};

/// The columns of EvolutionResult::particles (no rows).
Table evolutionColumns();
/// The depth profile of growth (EvolutionResult::depthProfile) of the per-particle table \p particles.
Table evolutionDepthProfile(const Table& particles, double binWidthUm);

/// Compares \p a and \p b (b on A's grid; \p insideB: uint8, 1 where B was scanned, may be null).
/// Throws std::invalid_argument when sizes or types differ.
EvolutionResult compareTimePoints(const TimePoint& a, const TimePoint& b, const volume::Volume* insideB,
                                  const EvolutionOptions& options = {});

/// A whole comparison (evolveSeeded, EvolutionSeeded.h; the slab loop, EvolutionSlabs.h): the
/// registration of B onto A and the comparison.
struct EvolutionRun {
  RegistrationResult registration;
  EvolutionResult result;
};

/// Where the two time points came from, for the CSV comments.
struct EvolutionProvenance {
  std::string sourceA, sourceB;   ///< image files
  std::string cracksA, cracksB;   ///< crack sources ("none", "c.nrrd (value 2 = crack)")
  std::string labelsA, labelsB;   ///< particle label sources ("segmented by cdnet (12 particles)")
};

/// The comment lines of the evolution CSV (`cdnet evolve` and the studio write the same): product,
/// date, sources, size and spacings, the registration and the result counts.
CsvComments evolutionComments(const EvolutionProvenance& provenance, const volume::Volume& imageA, const volume::Volume& imageB,
                              const EvolutionRun& run);
/// The same from the two scans' grids (scans read slab by slab are never whole in memory).
CsvComments evolutionComments(const EvolutionProvenance& provenance, const volume::VolumeInfo& gridA, const volume::VolumeInfo& gridB,
                              const EvolutionRun& run);

} // namespace core::analysis
