#include "core/analysis/Evaluation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace core::analysis {

namespace {

struct Overlap {
  std::uint32_t truth = 0, found = 0;
  std::int64_t voxels = 0;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

} // namespace

AccuracyReport compareToTruth(const volume::Volume& labels, const Table& particles, const volume::Volume& truthLabels,
                              const std::vector<TruthParticle>& truth, std::int64_t minVoxels, double splitShare) {
  if (labels.size() != truthLabels.size()) throw std::invalid_argument("truth and segmentation differ in size");
  const std::uint32_t* a = labels.as<std::uint32_t>();
  const std::uint32_t* t = truthLabels.as<std::uint32_t>();
  std::unordered_map<std::uint32_t, std::int64_t> truthVoxels, foundVoxels;
  std::unordered_map<std::uint64_t, std::int64_t> pairVoxels;
  for (std::int64_t i = 0; i < labels.voxelCount(); ++i) {
    if (t[i]) ++truthVoxels[t[i]];
    if (a[i]) ++foundVoxels[a[i]];
    if (t[i] && a[i]) ++pairVoxels[(std::uint64_t(t[i]) << 32) | a[i]];
  }

  // The particles compared: true ones of at least minVoxels voxels, found ones of the table.
  std::unordered_map<std::uint32_t, double> truthFraction, foundFraction;
  for (const TruthParticle& p : truth) {
    const auto it = truthVoxels.find(p.id);
    if (it != truthVoxels.end() && it->second >= minVoxels) truthFraction[p.id] = p.crackFraction;
  }
  const Column& ids = particles.column("id");
  const Column& frac = particles.column("crack_fraction");
  for (std::size_t r = 0; r < ids.values.size(); ++r) foundFraction[std::uint32_t(ids.values[r])] = frac.values[r];

  std::vector<Overlap> overlaps;
  for (const auto& [key, n] : pairVoxels) {
    const Overlap o{std::uint32_t(key >> 32), std::uint32_t(key), n};
    if (truthFraction.count(o.truth) && foundFraction.count(o.found)) overlaps.push_back(o);
  }
  // A stable order, so that ties in IoU resolve the same way on every run.
  std::sort(overlaps.begin(), overlaps.end(),
            [](const Overlap& x, const Overlap& y) { return std::tie(x.truth, x.found) < std::tie(y.truth, y.found); });

  // Merges: found particles with more than half of two or more true particles.
  std::unordered_map<std::uint32_t, int> covered;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> significant; // truth -> found
  for (const Overlap& o : overlaps) {
    const double n = double(o.voxels), total = double(truthVoxels[o.truth]);
    if (2 * n > total) ++covered[o.found];
    if (n >= splitShare * total) significant[o.truth].push_back(o.found);
  }
  auto isMerge = [&](std::uint32_t f) {
    const auto it = covered.find(f);
    return it != covered.end() && it->second >= 2;
  };

  // One-to-one matches: IoU >= 0.5, merges excluded, pairs taken by decreasing IoU.
  std::vector<std::pair<double, const Overlap*>> candidates;
  for (const Overlap& o : overlaps) {
    if (isMerge(o.found)) continue;
    const double n = double(o.voxels);
    const double iou = n / (double(truthVoxels[o.truth]) + double(foundVoxels[o.found]) - n);
    if (iou >= 0.5) candidates.push_back({iou, &o});
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  std::unordered_map<std::uint32_t, std::uint32_t> matchOfTruth, matchOfFound;
  for (const auto& [iou, o] : candidates) {
    if (matchOfTruth.count(o->truth) || matchOfFound.count(o->found)) continue;
    matchOfTruth[o->truth] = o->found;
    matchOfFound[o->found] = o->truth;
  }

  AccuracyReport rep;
  rep.foundCount = particles.rowCount();
  rep.truthCount = std::int64_t(truthFraction.size());
  std::unordered_set<std::uint32_t> pieces;
  std::vector<double> errors;
  for (const auto& [id, crackFraction] : truthFraction) {
    const auto sig = significant.find(id);
    const std::size_t holders = sig == significant.end() ? 0 : sig->second.size();
    if (crackFraction > 0) {
      ++rep.crackedTruth;
      rep.crackedSplit += holders >= 2;
    }
    const auto match = matchOfTruth.find(id);
    if (match != matchOfTruth.end()) {
      ++rep.oneToOne;
      errors.push_back(std::fabs(foundFraction[match->second] - crackFraction));
    } else if (holders >= 2) {
      ++rep.splitTruth;
      pieces.insert(sig->second.begin(), sig->second.end());
    } else if (holders == 1 && isMerge(sig->second[0]) &&
               2 * double(pairVoxels[(std::uint64_t(id) << 32) | sig->second[0]]) > double(truthVoxels[id])) {
      ++rep.mergedTruth;
    } else {
      ++rep.unmatchedTruth;
    }
  }
  for (const auto& [id, fraction] : foundFraction) {
    if (isMerge(id)) ++rep.merges;
    else if (!matchOfFound.count(id) && !pieces.count(id)) ++rep.spuriousFound;
  }
  rep.splitPieces = std::int64_t(pieces.size());

  rep.countError = rep.truthCount ? double(rep.foundCount - rep.truthCount) / double(rep.truthCount) : 0;
  rep.oneToOneFraction = rep.truthCount ? double(rep.oneToOne) / double(rep.truthCount) : 0;
  rep.splitFraction = rep.crackedTruth ? double(rep.crackedSplit) / double(rep.crackedTruth) : 0;
  rep.medianAbsCrackFractionError = median(errors);
  if (!errors.empty()) {
    double sum = 0;
    for (const double e : errors) sum += e;
    rep.meanAbsCrackFractionError = sum / double(errors.size());
  }
  return rep;
}

} // namespace core::analysis
