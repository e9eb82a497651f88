// A new cut across a particle between two scans: what a fracture leaves and an old crack's growth does not.
#include "core/analysis/EvolutionCut.h"

#include "core/analysis/ParticleShape.h"

#include <array>
#include <cmath>
#include <vector>

namespace core::analysis {

namespace {
constexpr std::size_t kMinCutVoxels = 20; ///< fewest new crack voxels a plane is fitted to

using Point = std::array<double, 3>;

/// The least-squares plane through \p pts: centre \p c and unit normal \p nrm (the direction of
/// least spread).
void fitPlane(const std::vector<Point>& pts, double c[3], double nrm[3]) {
  const double m = double(pts.size());
  double sum[3] = {0, 0, 0}, cov[3][3] = {};
  for (const Point& p : pts) sum[0] += p[0], sum[1] += p[1], sum[2] += p[2];
  for (int q = 0; q < 3; ++q) c[q] = sum[q] / m;
  for (const Point& p : pts)
    for (int r = 0; r < 3; ++r)
      for (int q = 0; q < 3; ++q) cov[r][q] += (p[r] - c[r]) * (p[q] - c[q]) / m;
  double ev[3], vec[3][3];
  symmetricEigen(cov, ev, vec);
  for (int q = 0; q < 3; ++q) nrm[q] = vec[q][2];
}

/// Distance of \p p from the plane through \p c with unit normal \p nrm.
double planeDistance(const Point& p, const double c[3], const double nrm[3]) {
  return std::abs((p[0] - c[0]) * nrm[0] + (p[1] - c[1]) * nrm[1] + (p[2] - c[2]) * nrm[2]);
}
} // namespace

NewCut newCut(const volume::Volume& footprint, const volume::Volume& labelsB, const volume::Volume& cracksA,
              const volume::Volume& cracksB, std::uint32_t id, const std::int64_t lo[3], const std::int64_t hi[3],
              const EvolutionOptions& options) {
  const int maxReach = options.maxGrowthReachVoxels, margin = options.growthMarginVoxels;
  NewCut out;
  const auto s = footprint.size();
  const std::uint32_t* f = footprint.as<std::uint32_t>();
  const std::uint32_t* lb = labelsB.as<std::uint32_t>();
  const std::uint8_t* ca = cracksA.as<std::uint8_t>();
  const std::uint8_t* cb = cracksB.as<std::uint8_t>();
  const std::int64_t bx = hi[0] - lo[0] + 1, by = hi[1] - lo[1] + 1, bz = hi[2] - lo[2] + 1, n = bx * by * bz;
  auto global = [&](std::int64_t k) {
    return (k % bx + lo[0]) + s.x * (((k / bx) % by + lo[1]) + s.y * (k / (bx * by) + lo[2]));
  };
  // The 6 neighbours of box index q inside the box.
  auto forNeighbours = [&](std::int64_t q, auto fn) {
    const std::int64_t x = q % bx, y = (q / bx) % by, z = q / (bx * by);
    if (x > 0) fn(q - 1);
    if (x + 1 < bx) fn(q + 1);
    if (y > 0) fn(q - bx);
    if (y + 1 < by) fn(q + bx);
    if (z > 0) fn(q - bx * by);
    if (z + 1 < bz) fn(q + bx * by);
  };
  // 6-connected steps from A's cracks over the box, up to limit (limit + 1: farther).
  const int limit = maxReach + margin + 1;
  std::vector<std::uint8_t> d(std::size_t(n), std::uint8_t(limit + 1));
  std::vector<std::int64_t> front, next;
  for (std::int64_t k = 0; k < n; ++k)
    if (ca[global(k)]) d[std::size_t(k)] = 0, front.push_back(k);
  for (int step = 1; step <= limit && !front.empty(); ++step) {
    next.clear();
    for (const std::int64_t q : front)
      forNeighbours(q, [&](std::int64_t k) {
        if (d[std::size_t(k)] <= step) return;
        d[std::size_t(k)] = std::uint8_t(step);
        next.push_back(k);
      });
    front.swap(next);
  }
  // Growth reach: the largest distance up to which (at every step) most of the material became crack.
  std::vector<std::int64_t> at(std::size_t(maxReach + 1), 0), crackAt(std::size_t(maxReach + 1), 0);
  for (std::int64_t k = 0; k < n; ++k) {
    const std::int64_t g = global(k);
    const int dk = d[std::size_t(k)];
    if (f[g] != id || dk < 1 || dk > maxReach) continue;
    ++at[std::size_t(dk)];
    if (cb[g]) ++crackAt[std::size_t(dk)];
  }
  int reach = 0;
  while (reach < maxReach && at[std::size_t(reach + 1)] > 0 &&
         double(crackAt[std::size_t(reach + 1)]) >= options.minGrowthCrackShare * double(at[std::size_t(reach + 1)]))
    ++reach;
  reach += margin;
  // The new crack voxels, as 6-connected components (a new cut crossing an old crack falls apart
  // into its two sides; each side alone spans the plane of the cut).
  std::vector<std::int32_t> comp(std::size_t(n), 0);
  std::vector<std::vector<std::int64_t>> comps;
  auto isNew = [&](std::int64_t k) {
    const std::int64_t g = global(k);
    return f[g] == id && lb[g] && cb[g] && d[std::size_t(k)] > reach;
  };
  for (std::int64_t k0 = 0; k0 < n; ++k0) {
    if (comp[std::size_t(k0)] || !isNew(k0)) continue;
    comps.emplace_back(1, k0);
    comp[std::size_t(k0)] = std::int32_t(comps.size());
    for (std::size_t i = 0; i < comps.back().size(); ++i)
      forNeighbours(comps.back()[i], [&](std::int64_t k) {
        if (comp[std::size_t(k)] || !isNew(k)) return;
        comp[std::size_t(k)] = comp[std::size_t(k0)];
        comps.back().push_back(k);
      });
  }
  auto at3 = [&](std::int64_t k) { return Point{double(k % bx), double((k / bx) % by), double(k / (bx * by))}; };
  // Candidates: all new crack voxels together first (a cut is most of them), then each component.
  std::vector<const std::vector<std::int64_t>*> candidates;
  std::vector<std::int64_t> all;
  for (const auto& cpt : comps) all.insert(all.end(), cpt.begin(), cpt.end());
  if (comps.size() > 1) candidates.push_back(&all);
  for (const auto& cpt : comps) candidates.push_back(&cpt);
  bool found = false;
  for (const auto* candidate : candidates) {
    const std::vector<std::int64_t>& pts = *candidate;
    if (pts.size() < kMinCutVoxels) continue;
    // The plane: three passes, each keeping the voxels within two voxels of the last one.
    double c[3] = {0, 0, 0}, nrm[3] = {0, 0, 1};
    std::vector<Point> used;
    for (const std::int64_t k : pts) used.push_back(at3(k));
    bool fitted = true;
    for (int pass = 0; pass < 3 && fitted; ++pass) {
      if (used.size() < kMinCutVoxels) { fitted = false; break; }
      fitPlane(used, c, nrm);
      used.clear();
      for (const std::int64_t k : pts)
        if (planeDistance(at3(k), c, nrm) <= 2.0) used.push_back(at3(k));
    }
    if (!fitted) continue;
    // Refined on every new crack voxel near the plane: a cut that an old crack parts into two
    // sides is fitted on both.
    for (int pass = 0; pass < 2; ++pass) {
      std::vector<Point> near;
      for (const auto& other : comps)
        for (const std::int64_t k : other)
          if (planeDistance(at3(k), c, nrm) <= 2.0) near.push_back(at3(k));
      if (near.size() < kMinCutVoxels) break;
      fitPlane(near, c, nrm);
    }
    auto dist = [&](std::int64_t k) { return planeDistance(at3(k), c, nrm); };
    std::int64_t nearOwn = 0, nearAll = 0, on = 0, crackOn = 0;
    for (const std::int64_t k : pts)
      if (dist(k) <= 1.5) ++nearOwn;
    for (std::int64_t k = 0; k < n; ++k) {
      const std::int64_t g = global(k);
      if (f[g] != id || !lb[g]) continue;
      const double dk = dist(k);
      if (comp[std::size_t(k)] && dk <= 1.5) ++nearAll;
      if (dk > 0.55) continue;
      ++on;
      if (cb[g]) ++crackOn;
    }
    if (on == 0) continue;
    NewCut cut;
    cut.coverage = double(crackOn) / double(on);
    cut.newShare = double(nearAll) / double(on);
    cut.planarity = double(nearOwn) / double(pts.size());
    const bool passes = cut.coverage >= options.minCutCoverage && cut.newShare >= options.minNewCrackOnCut &&
                        cut.planarity >= options.minCutPlanarity;
    // Reported: a cut that passes, else the best covered plane.
    if ((passes && !found) || (!found && cut.coverage > out.coverage)) out = cut;
    found = found || passes;
    if (found) break;
  }
  out.fractured = found;
  return out;
}

} // namespace core::analysis
