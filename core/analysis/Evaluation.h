#pragma once
/// \file Evaluation.h
/// Accuracy of a particle segmentation against ground truth (the phantom's particle labels and
/// per-particle crack fractions): the targets of issue 8. Used by the tests and `cdnet bench
/// analysis`. Any thread.

#include "core/analysis/Table.h"
#include "core/volume/Volume.h"

#include <cstdint>
#include <vector>

namespace core::analysis {

/// One true particle: its id in the truth label volume and its crack volume fraction.
struct TruthParticle {
  std::uint32_t id = 0;
  double crackFraction = 0;
};

struct AccuracyReport {
  std::int64_t truthCount = 0;   ///< true particles with at least minVoxels voxels in the volume
  std::int64_t foundCount = 0;   ///< particles in the segmentation
  double countError = 0;         ///< (found - truth) / truth
  std::int64_t crackedTruth = 0; ///< counted true particles with a crack fraction > 0
  std::int64_t crackedSplit = 0; ///< of those, split: two or more found particles hold >= splitShare each
  double splitFraction = 0;      ///< crackedSplit / crackedTruth
  std::int64_t matched = 0;      ///< true and found particles that are each other's largest overlap
  double medianAbsCrackFractionError = 0; ///< over matched particles
  double meanAbsCrackFractionError = 0;
};

/// Compares \p labels (uint32 found particles, rows of \p particles with columns id and
/// crack_fraction) with \p truthLabels (uint32, same size) and \p truth.
AccuracyReport compareToTruth(const volume::Volume& labels, const Table& particles, const volume::Volume& truthLabels,
                              const std::vector<TruthParticle>& truth, std::int64_t minVoxels = 100,
                              double splitShare = 0.1);

} // namespace core::analysis
