#pragma once
/// \file EvolutionScore.h
/// How well an evolution result (Evolution.h) and a registration (Registration.h) agree with a
/// known truth (the aged phantom's): the numbers `cdnet bench evolution` prints and the tests
/// check. Any thread.

#include "core/analysis/Registration.h"
#include "core/analysis/Table.h"

#include <cstdint>
#include <vector>

namespace core::analysis {

/// The truth of one particle of A.
struct EvolutionTruth {
  std::uint32_t idA = 0;
  std::vector<std::uint32_t> idsB; ///< its particles in B, largest first (two when fractured)
  bool fractured = false;
  double growth = 0;               ///< crack-fraction growth
};

struct EvolutionScore {
  std::int64_t evaluated = 0;        ///< particles of A not cut by a face of A or B's field
  std::int64_t matchedCorrectly = 0; ///< of those, matched to exactly their true particle(s) of B
  std::int64_t fracturedTruth = 0, fracturedFound = 0, falseFractures = 0;
  double matchedShare = 0;           ///< matchedCorrectly / evaluated
  double fracturedRecall = 0;        ///< fracturedFound / fracturedTruth (1 when there is none)
  double medianGrowthError = 0;      ///< median |estimated - true| crack-fraction growth
};

/// Scores the rows of compareTimePoints() (columns of evolutionColumns()) against \p truth.
EvolutionScore scoreEvolution(const Table& particles, const std::vector<EvolutionTruth>& truth);

/// Root mean square distance, in voxels of B, between \p map applied to \p pointsA (indices of A)
/// and \p truthB (the true indices in B).
double registrationRms(const AffineMap& map, const std::vector<volume::Vec3>& pointsA, const std::vector<volume::Vec3>& truthB);

} // namespace core::analysis
