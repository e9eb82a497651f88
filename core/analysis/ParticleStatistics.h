#pragma once
/// \file ParticleStatistics.h
/// Per-particle measurements of a particle label volume, in micrometres from the voxel spacing.
/// The columns (names, units, meaning) are listed by particleColumns(); the README documents them.
/// Thread affinity: any thread; uses workerCount() threads internally.

#include "core/analysis/Table.h"
#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

namespace core::analysis {

/// Which face of the volume depth is measured from (the separator side, say).
enum class DepthSide { First, Last };

struct StatisticsOptions {
  int depthAxis = 2;                     ///< 0 = x, 1 = y, 2 = z
  DepthSide depthSide = DepthSide::First;///< First: depth 0 at the outer face of slice 0
  double packingRadiusFactor = 1.0;      ///< packing sphere radius = factor * equivalent diameter
  /// When the labels are slices [zOffset, zOffset + size.z) of a volume fullDepth slices deep
  /// (a slab with its halo): depth (axis z) and the border flag refer to the whole volume, so
  /// the slab's own z faces are not volume faces unless they are the whole's. fullDepth 0 = the
  /// labels are the whole volume.
  std::int64_t zOffset = 0;
  std::int64_t fullDepth = 0;
};

/// Measures every particle of \p labels (uint32, 1..N; ids absent from the volume get no row)
/// with the phase flags \p phases (uint8 PhaseBits of ParticleSegmentation.h: solid, crack) and
/// the grey values of \p image (any type). All three must have the same size; spacing comes from
/// \p labels and must be positive. One row per particle present, in increasing id order.
/// Throws std::invalid_argument on mismatched sizes or types, bad spacing or options; throws
/// jobs::Cancelled when cancelled.
Table measureParticles(const volume::Volume& image, const volume::Volume& labels, const volume::Volume& phases,
                       const StatisticsOptions& options = {}, jobs::ProgressSink& progress = jobs::nullProgress(),
                       jobs::CancelToken& cancel = jobs::neverCancelled());

/// The columns measureParticles() returns, in order, with units and descriptions (no rows).
Table particleColumns();

} // namespace core::analysis
