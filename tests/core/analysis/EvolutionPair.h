#pragma once
// A phantom pair for the evolution tests: scan A and its aged, moved scan B with the truth.
#include "core/analysis/EvolutionScore.h"
#include "core/phantom/PhantomAging.h"

namespace testevo {

inline core::phantom::AgedPhantom makePair(std::int64_t size, std::uint64_t seed, int cycles = 100,
                                           core::phantom::AgingOptions aging = {}) {
  core::phantom::PhantomOptions o;
  o.seed = seed;
  o.particleRadiusMin = 8;
  o.particleRadiusMax = 14;
  o.threads = 2;
  aging.cycles = cycles;
  aging.seed = seed + 100;
  aging.margin = core::phantom::agingMargin({size, size, size}, aging);
  o.size = {size + 2 * aging.margin, size + 2 * aging.margin, size + 2 * aging.margin};
  return core::phantom::agePhantom(core::phantom::generatePhantom(o), aging);
}

inline std::vector<core::analysis::EvolutionTruth> truthOf(const core::phantom::AgedPhantom& p) {
  std::vector<core::analysis::EvolutionTruth> t;
  for (const auto& a : p.particles)
    t.push_back({a.idA, a.idsB, a.fractured, a.crackFractionB() - a.crackFractionA()});
  return t;
}

/// Centroids (indices) of the particles of A that do not touch a face, and their true place in B.
inline void centroids(const core::phantom::AgedPhantom& p, std::vector<core::volume::Vec3>& a,
                      std::vector<core::volume::Vec3>& b) {
  p.interiorCentroids(200, a, b);
}

} // namespace testevo
