// Scores of an evolution result against a known truth.
#include "core/analysis/EvolutionScore.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
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

std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> representedIds(const volume::Volume& seg,
                                                                        const volume::Volume& truth) {
  if (seg.size() != truth.size() || seg.type() != volume::VoxelType::UInt32 || truth.type() != volume::VoxelType::UInt32)
    throw std::invalid_argument("scoring segmented particles: the labels and the truth must be uint32 volumes of one size");
  std::unordered_map<std::uint64_t, std::int64_t> pairs;
  const std::uint32_t* a = seg.as<std::uint32_t>();
  const std::uint32_t* b = truth.as<std::uint32_t>();
  for (std::int64_t i = 0, n = seg.voxelCount(); i < n; ++i)
    if (a[i] && b[i]) ++pairs[(std::uint64_t(b[i]) << 32) | a[i]];
  std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::int64_t>> best; // truth id -> (seg id, voxels)
  for (const auto& [key, count] : pairs) {
    auto& e = best[std::uint32_t(key >> 32)];
    const std::uint32_t id = std::uint32_t(key & 0xffffffffu);
    if (count > e.second || (count == e.second && id < e.first)) e = {id, count};
  }
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> out;
  for (const auto& [t, e] : best) out[e.first].push_back(t);
  for (auto& [id, v] : out) std::sort(v.begin(), v.end());
  return out;
}

Table inTrueIds(const Table& t, const std::unordered_map<std::uint32_t, std::vector<std::uint32_t>>& mapA,
                const std::unordered_map<std::uint32_t, std::vector<std::uint32_t>>& mapB) {
  const int ia = t.indexOf("id_a"), ib = t.indexOf("id_b"), ifrag = t.indexOf("fragment_id_b");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::pair<std::int64_t, std::uint32_t>> rows; // (row of t, true id of A)
  for (std::int64_t r = 0; r < t.rowCount(); ++r)
    if (const auto it = mapA.find(std::uint32_t(t.value(r, ia))); it != mapA.end())
      for (const std::uint32_t id : it->second) rows.push_back({r, id});
  Table out = t;
  out.resizeRows(std::int64_t(rows.size()));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::int64_t r = rows[k].first, o = std::int64_t(k);
    for (int c = 0; c < t.columnCount(); ++c) out.set(o, c, t.value(r, c));
    std::vector<std::uint32_t> ids;
    for (const int c : {ib, ifrag})
      if (std::isfinite(t.value(r, c)))
        if (const auto it = mapB.find(std::uint32_t(t.value(r, c))); it != mapB.end())
          ids.insert(ids.end(), it->second.begin(), it->second.end());
    out.set(o, ia, double(rows[k].second));
    out.set(o, ib, ids.empty() ? nan : double(ids[0]));
    out.set(o, ifrag, ids.size() < 2 ? nan : ids.size() == 2 ? double(ids[1]) : 0.0);
  }
  return out;
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
