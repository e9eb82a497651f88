// Scores of an evolution result against a known truth.
#include "core/analysis/EvolutionScore.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace core::analysis {

EvolutionScore scoreEvolution(const Table& p, const std::vector<EvolutionTruth>& truth) {
  std::unordered_map<std::uint32_t, const EvolutionTruth*> byId;
  for (const auto& t : truth) byId[t.idA] = &t;
  const int idA = p.indexOf("id_a"), idB = p.indexOf("id_b"), frag = p.indexOf("fragment_id_b"),
            fractured = p.indexOf("fractured"), border = p.indexOf("border"), growth = p.indexOf("crack_fraction_growth");
  EvolutionScore s;
  std::vector<double> errors;
  for (std::int64_t r = 0; r < p.rowCount(); ++r) {
    const auto it = byId.find(std::uint32_t(p.value(r, idA)));
    if (it == byId.end() || p.value(r, border) == 1) continue;
    const EvolutionTruth& t = *it->second;
    ++s.evaluated;
    std::vector<std::uint32_t> found;
    if (std::isfinite(p.value(r, idB))) found.push_back(std::uint32_t(p.value(r, idB)));
    if (std::isfinite(p.value(r, frag))) found.push_back(std::uint32_t(p.value(r, frag)));
    std::vector<std::uint32_t> want = t.idsB;
    std::sort(found.begin(), found.end());
    std::sort(want.begin(), want.end());
    if (!found.empty() && found == want) ++s.matchedCorrectly;
    const bool isFractured = p.value(r, fractured) == 1;
    if (t.fractured) {
      ++s.fracturedTruth;
      if (isFractured) ++s.fracturedFound;
    } else if (isFractured) {
      ++s.falseFractures;
    }
    const double g = p.value(r, growth);
    errors.push_back(std::isfinite(g) ? std::abs(g - t.growth) : 1.0);
  }
  s.matchedShare = s.evaluated ? double(s.matchedCorrectly) / double(s.evaluated) : 0.0;
  s.fracturedRecall = s.fracturedTruth ? double(s.fracturedFound) / double(s.fracturedTruth) : 1.0;
  if (!errors.empty()) {
    std::sort(errors.begin(), errors.end());
    const std::size_t h = errors.size() / 2;
    s.medianGrowthError = errors.size() % 2 ? errors[h] : 0.5 * (errors[h - 1] + errors[h]);
  }
  return s;
}

double registrationRms(const AffineMap& map, const std::vector<volume::Vec3>& pointsA, const std::vector<volume::Vec3>& truthB) {
  double sum = 0;
  const std::size_t n = std::min(pointsA.size(), truthB.size());
  for (std::size_t i = 0; i < n; ++i) {
    const volume::Vec3 q = map.apply(pointsA[i]);
    sum += (q.x - truthB[i].x) * (q.x - truthB[i].x) + (q.y - truthB[i].y) * (q.y - truthB[i].y) +
           (q.z - truthB[i].z) * (q.z - truthB[i].z);
  }
  return n ? std::sqrt(sum / double(n)) : 0.0;
}

} // namespace core::analysis
