#pragma once
/// \file EvolutionScore.h
/// How well an evolution result (Evolution.h) and a registration (Registration.h) agree with a
/// known truth (the aged phantom's): the numbers `cdnet bench evolution` prints and the tests
/// check. Any thread.

#include "core/analysis/Registration.h"
#include "core/analysis/Table.h"
#include "core/volume/Volume.h"

#include <cstdint>
#include <unordered_map>
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

/// Segmented particles scored against a phantom's labels: for each id of \p seg (uint32), the ids
/// of \p truth (uint32, same size) it stands for, sorted: those of which it holds more voxels than
/// any other id of \p seg does. A segmentation that merged two particles, or kept the two halves
/// of a fractured one as one label, gives that label both; a piece it split off a particle stands
/// for none. Throws std::invalid_argument unless both are uint32 volumes of one size.
std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> representedIds(const volume::Volume& seg,
                                                                        const volume::Volume& truth);

/// The rows of compareTimePoints() on segmented labels in the true ids, for scoreEvolution(): one
/// row per true particle of A that a segmented particle of A stands for (\p mapA from
/// representedIds; a segmented particle that merged two true ones is scored for both, a piece
/// split off a particle is not scored), its B ids replaced by the true ids that its particles of B
/// stand for (\p mapB). It is then matched correctly when its particles of B hold exactly its true
/// particles of B: a fractured particle whose halves B's segmentation kept as one label is, one
/// that B's segmentation merged with a neighbour is not. More than two true ids of B: id_b is the
/// first and fragment_id_b 0 (no true id), which never matches.
Table inTrueIds(const Table& particles, const std::unordered_map<std::uint32_t, std::vector<std::uint32_t>>& mapA,
                const std::unordered_map<std::uint32_t, std::vector<std::uint32_t>>& mapB);

/// Root mean square distance, in voxels of B, between \p map applied to \p pointsA (indices of A)
/// and \p truthB (the true indices in B).
double registrationRms(const AffineMap& map, const std::vector<volume::Vec3>& pointsA, const std::vector<volume::Vec3>& truthB);

} // namespace core::analysis
