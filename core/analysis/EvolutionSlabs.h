#pragma once
/// \file EvolutionSlabs.h
/// The comparison of two time points (compareTimePoints) in bounded memory (issue 19): A's grid is
/// cut into slabs of slices, each compared with a halo, and the rows of the particles of A whose
/// centroid slice each slab owns are joined (in id order, as the whole comparison gives them).
/// Exact: a first pass over the particle labels alone (A's and B's on A's grid) finds, for every
/// particle of A, the slices that its row depends on (its own voxels, those of every particle of B
/// that overlaps it, and its packing sphere), and the halo is the largest reach from a centroid
/// slice to those, so each kept row is computed from whole particles, as in the whole comparison.
/// Only one slab with its halo of both time points is in memory, plus the per-particle tables.
/// Any thread.

#include "core/analysis/Evolution.h"

#include <cstdint>

namespace core::analysis {

/// Slices of both time points on A's grid, read or resampled on demand.
class EvolutionSource {
public:
  virtual ~EvolutionSource() = default;
  /// A's grid (B's values are resampled onto it).
  virtual volume::VolumeInfo grid() const = 0;
  /// Slices [z0, z1) of A's particle labels and of B's on A's grid (uint32 both).
  virtual void labels(std::int64_t z0, std::int64_t z1, volume::Volume& a, volume::Volume& b) = 0;
  /// Slices [z0, z1) of both time points on A's grid: image, labels (uint32), cracks (uint8 0/1),
  /// and \p insideB (uint8, 1 where B was scanned).
  struct Slab {
    volume::Volume image, labels, cracks;
  };
  virtual void slab(std::int64_t z0, std::int64_t z1, Slab& a, Slab& b, volume::Volume& insideB) = 0;
};

/// Working bytes per voxel of A's grid that one slab of the comparison holds (both time points'
/// image, labels and cracks, B's field mask, the phase volumes and the statistics' scratch).
std::uint64_t evolutionBytesPerVoxel(const volume::VolumeInfo& grid);

struct EvolutionSlabPlan {
  std::int64_t slabs = 1;       ///< slabs compared (1: the whole grid at once)
  std::int64_t slabSlices = 0;  ///< owned slices per slab
  std::int64_t halo = 0;        ///< slices beyond each side of a slab
  std::uint64_t slabBytes = 0;  ///< estimated working bytes of the largest slab with its halo
};

/// Compares the two time points of \p source slab by slab so that one slab with its halo fits in
/// \p memoryLimit bytes (evolutionBytesPerVoxel); 0, or a limit the whole grid fits in, compares
/// the whole grid at once. The result equals compareTimePoints on the whole grid. \p plan (may be
/// null) receives what was done (its halo also when the limit is refused). Throws std::invalid_argument when the limit does not hold one
/// slice plus twice the halo the particles need (naming both), jobs::Cancelled when cancelled.
EvolutionResult compareInSlabs(EvolutionSource& source, const EvolutionOptions& options, std::uint64_t memoryLimit,
                               EvolutionSlabPlan* plan = nullptr, jobs::ProgressSink& progress = jobs::nullProgress(),
                               jobs::CancelToken& cancel = jobs::neverCancelled());

/// An EvolutionSource over volumes in memory: A's image, labels and cracks (its grid), B's on B's
/// own grid, resampled onto A's slab by slab through \p registration. The pointers must outlive it.
class MemoryEvolutionSource : public EvolutionSource {
public:
  MemoryEvolutionSource(const TimePoint& a, const TimePoint& b, const RegistrationResult& registration);
  volume::VolumeInfo grid() const override;
  void labels(std::int64_t z0, std::int64_t z1, volume::Volume& a, volume::Volume& b) override;
  void slab(std::int64_t z0, std::int64_t z1, Slab& a, Slab& b, volume::Volume& insideB) override;

private:
  TimePoint m_a, m_b;
  RegistrationResult m_registration;
  volume::Volume resampled(const volume::Volume& v, std::int64_t z0, std::int64_t z1, volume::Volume* inside) const;
};

} // namespace core::analysis
