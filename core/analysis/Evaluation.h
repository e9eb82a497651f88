#pragma once
/// \file Evaluation.h
/// Accuracy of a particle segmentation against ground truth (the phantom's particle labels and
/// per-particle crack fractions): the targets of issue 8. Used by the tests and `cdnet bench
/// analysis`. Any thread.
///
/// Splits and merges are reported apart from correct particles, so that they cannot cancel out
/// in a particle count (issue 13). Terms, for the true particles with at least minVoxels voxels
/// (smaller ones are ignored) and every found particle:
/// - a found particle *holds a significant share* of a true one when it has at least
///   splitShare of the true particle's voxels, and *covers* it when it has more than half of them;
/// - a *merge* is a found particle that covers two or more true particles; it never counts as a
///   one-to-one match, even where its IoU with its largest true particle reaches 0.5;
/// - a *one-to-one match* is a true and a found particle (not a merge) with IoU >= 0.5; pairs are
///   taken by decreasing IoU, so each particle is in at most one;
/// - a *split* is a true particle without a one-to-one match of which two or more found particles
///   hold a significant share each;
/// - a true particle that is none of these (not matched, not split, not covered by a merge) is
///   *unmatched*; a found particle that is not matched, not a merge and holds no significant share
///   of a split true particle is *spurious*.

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
  std::int64_t foundCount = 0;   ///< particles in the segmentation (rows of the table)
  double countError = 0;         ///< (found - truth) / truth: blind to splits and merges that cancel out

  std::int64_t oneToOne = 0;      ///< one-to-one matches (IoU >= 0.5)
  double oneToOneFraction = 0;    ///< oneToOne / truthCount
  std::int64_t splitTruth = 0;    ///< true particles split (see the file comment)
  std::int64_t splitPieces = 0;   ///< found particles holding a significant share of a split true particle
  std::int64_t merges = 0;        ///< found particles covering two or more true particles
  std::int64_t mergedTruth = 0;   ///< true particles covered by a merge (and not split)
  std::int64_t unmatchedTruth = 0;///< true particles neither matched, split nor merged
  std::int64_t spuriousFound = 0; ///< found particles neither matched, a merge nor a piece of a split

  std::int64_t crackedTruth = 0; ///< counted true particles with a crack fraction > 0
  /// Of those, broken: two or more found particles hold a significant share each, whether or not
  /// one of them also matches it one-to-one (stricter than a split: the analysis must keep a
  /// cracked particle whole).
  std::int64_t crackedSplit = 0;
  double splitFraction = 0;      ///< crackedSplit / crackedTruth
  /// |found - true| crack volume fraction over the one-to-one matches.
  double medianAbsCrackFractionError = 0;
  double meanAbsCrackFractionError = 0;
};

/// Compares \p labels (uint32 found particles, rows of \p particles with columns id and
/// crack_fraction) with \p truthLabels (uint32, same size) and \p truth.
AccuracyReport compareToTruth(const volume::Volume& labels, const Table& particles, const volume::Volume& truthLabels,
                              const std::vector<TruthParticle>& truth, std::int64_t minVoxels = 100,
                              double splitShare = 0.1);

} // namespace core::analysis
