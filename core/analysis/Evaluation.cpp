#include "core/analysis/Evaluation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace core::analysis {

AccuracyReport compareToTruth(const volume::Volume& labels, const Table& particles, const volume::Volume& truthLabels,
                              const std::vector<TruthParticle>& truth, std::int64_t minVoxels, double splitShare) {
  if (labels.size() != truthLabels.size()) throw std::invalid_argument("truth and segmentation differ in size");
  const std::uint32_t* a = labels.as<std::uint32_t>();
  const std::uint32_t* t = truthLabels.as<std::uint32_t>();
  std::unordered_map<std::uint32_t, std::int64_t> truthVoxels, foundVoxels;
  std::unordered_map<std::uint64_t, std::int64_t> overlap;
  for (std::int64_t i = 0; i < labels.voxelCount(); ++i) {
    if (t[i]) ++truthVoxels[t[i]];
    if (a[i]) ++foundVoxels[a[i]];
    if (t[i] && a[i]) ++overlap[(std::uint64_t(t[i]) << 32) | a[i]];
  }
  std::unordered_map<std::uint32_t, std::vector<std::pair<std::uint32_t, std::int64_t>>> byTruth;
  std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::int64_t>> bestTruthOf;
  for (const auto& [key, n] : overlap) {
    const auto tt = std::uint32_t(key >> 32), ff = std::uint32_t(key);
    byTruth[tt].push_back({ff, n});
    auto& b = bestTruthOf[ff];
    if (n > b.second) b = {tt, n};
  }
  std::unordered_map<std::uint32_t, double> foundFraction;
  const Column& ids = particles.column("id");
  const Column& frac = particles.column("crack_fraction");
  for (std::size_t r = 0; r < ids.values.size(); ++r) foundFraction[std::uint32_t(ids.values[r])] = frac.values[r];

  AccuracyReport rep;
  rep.foundCount = particles.rowCount();
  std::vector<double> errors;
  for (const TruthParticle& p : truth) {
    const auto it = truthVoxels.find(p.id);
    if (it == truthVoxels.end() || it->second < minVoxels) continue;
    ++rep.truthCount;
    auto& parts = byTruth[p.id];
    std::sort(parts.begin(), parts.end(), [](auto& x, auto& y) { return x.second > y.second; });
    if (p.crackFraction > 0) {
      ++rep.crackedTruth;
      int big = 0;
      for (const auto& [f, n] : parts) big += double(n) >= splitShare * double(it->second);
      rep.crackedSplit += big >= 2;
    }
    if (parts.empty()) continue;
    const std::uint32_t f = parts[0].first;
    if (bestTruthOf[f].first != p.id) continue;
    ++rep.matched;
    errors.push_back(std::fabs(foundFraction[f] - p.crackFraction));
  }
  rep.countError = rep.truthCount ? double(rep.foundCount - rep.truthCount) / double(rep.truthCount) : 0;
  rep.splitFraction = rep.crackedTruth ? double(rep.crackedSplit) / double(rep.crackedTruth) : 0;
  if (!errors.empty()) {
    std::sort(errors.begin(), errors.end());
    const std::size_t m = errors.size() / 2;
    rep.medianAbsCrackFractionError = errors.size() % 2 ? errors[m] : 0.5 * (errors[m - 1] + errors[m]);
    double sum = 0;
    for (const double e : errors) sum += e;
    rep.meanAbsCrackFractionError = sum / double(errors.size());
  }
  return rep;
}

} // namespace core::analysis
