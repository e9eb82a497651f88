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
  const auto& l = p.first.particles;
  const auto s = l.size();
  std::vector<double> sx, sy, sz, n;
  std::vector<char> border;
  const std::uint32_t* v = l.as<std::uint32_t>();
  for (std::int64_t z = 0, i = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y)
      for (std::int64_t x = 0; x < s.x; ++x, ++i) {
        const std::uint32_t id = v[i];
        if (!id) continue;
        if (id >= n.size()) sx.resize(id + 1), sy.resize(id + 1), sz.resize(id + 1), n.resize(id + 1), border.resize(id + 1);
        sx[id] += double(x), sy[id] += double(y), sz[id] += double(z), n[id] += 1;
        if (x == 0 || y == 0 || z == 0 || x == s.x - 1 || y == s.y - 1 || z == s.z - 1) border[id] = 1;
      }
  for (std::size_t id = 1; id < n.size(); ++id) {
    if (n[id] < 200 || border[id]) continue;
    a.push_back({sx[id] / n[id], sy[id] / n[id], sz[id] / n[id]});
    b.push_back(p.mapAToB(a.back()));
  }
}

} // namespace testevo
