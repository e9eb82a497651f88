#include "core/analysis/ParticleShape.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace core::analysis {

const std::array<std::array<int, 3>, 13>& croftonDirections() {
  static const std::array<std::array<int, 3>, 13> dirs = [] {
    std::array<std::array<int, 3>, 13> d{};
    int k = 0;
    for (int dz = -1; dz <= 1; ++dz)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const bool forward = dz > 0 || (dz == 0 && (dy > 0 || (dy == 0 && dx > 0)));
          if (forward) d[std::size_t(k++)] = {dx, dy, dz};
        }
    return d;
  }();
  return dirs;
}

std::array<double, 13> croftonAreaFactors(const volume::Vec3& s) {
  const auto& dirs = croftonDirections();
  std::array<std::array<double, 3>, 13> u{};
  std::array<double, 13> len{};
  for (std::size_t k = 0; k < 13; ++k) {
    const double v[3] = {dirs[k][0] * s.x, dirs[k][1] * s.y, dirs[k][2] * s.z};
    len[k] = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    for (int i = 0; i < 3; ++i) u[k][std::size_t(i)] = v[i] / len[k];
  }
  // Voronoi weights of +-u_k on the unit sphere, by a Fibonacci lattice of sample directions.
  constexpr int kSamples = 100000;
  std::array<double, 13> weight{};
  const double golden = M_PI * (3.0 - std::sqrt(5.0));
  for (int i = 0; i < kSamples; ++i) {
    const double z = 1.0 - (2.0 * i + 1.0) / kSamples, r = std::sqrt(1.0 - z * z), phi = golden * i;
    const double p[3] = {r * std::cos(phi), r * std::sin(phi), z};
    std::size_t best = 0;
    double bestDot = -1;
    for (std::size_t k = 0; k < 13; ++k) {
      const double d = std::fabs(p[0] * u[k][0] + p[1] * u[k][1] + p[2] * u[k][2]);
      if (d > bestDot) bestDot = d, best = k;
    }
    weight[best] += 1.0 / kSamples;
  }
  const double voxelVolume = s.x * s.y * s.z;
  std::array<double, 13> factor{};
  for (std::size_t k = 0; k < 13; ++k) factor[k] = 2.0 * weight[k] * voxelVolume / len[k];
  return factor;
}

void symmetricEigen(const double in[3][3], double values[3], double vectors[3][3]) {
  double a[3][3], v[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) a[i][j] = in[i][j];
  for (int sweep = 0; sweep < 50; ++sweep) {
    const double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
    if (off < 1e-30) break;
    for (int p = 0; p < 2; ++p)
      for (int q = p + 1; q < 3; ++q) {
        if (std::fabs(a[p][q]) < 1e-300) continue;
        const double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const double t = (theta >= 0 ? 1 : -1) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), sn = t * c;
        for (int k = 0; k < 3; ++k) {
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - sn * akq;
          a[k][q] = sn * akp + c * akq;
        }
        for (int k = 0; k < 3; ++k) {
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - sn * aqk;
          a[q][k] = sn * apk + c * aqk;
        }
        for (int k = 0; k < 3; ++k) {
          const double vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - sn * vkq;
          v[k][q] = sn * vkp + c * vkq;
        }
      }
  }
  int order[3] = {0, 1, 2};
  std::sort(order, order + 3, [&](int i, int j) { return a[i][i] > a[j][j]; });
  for (int k = 0; k < 3; ++k) {
    values[k] = a[order[k]][order[k]];
    for (int i = 0; i < 3; ++i) vectors[i][k] = v[i][order[k]];
  }
}

double feretDiameter(const std::vector<std::array<std::int32_t, 3>>& pts, const volume::Vec3& s) {
  if (pts.empty()) return 0;
  // Relative to the first point, so a translated point set (a slab read with an offset) gives
  // bit for bit the same candidates and the same diameter.
  const std::array<std::int32_t, 3> o = pts[0];
  auto phys = [&](const std::array<std::int32_t, 3>& p) {
    return std::array<double, 3>{(p[0] - o[0]) * s.x, (p[1] - o[1]) * s.y, (p[2] - o[2]) * s.z};
  };
  std::vector<std::array<double, 3>> cand;
  if (pts.size() <= 400) {
    for (const auto& p : pts) cand.push_back(phys(p));
  } else {
    // Extreme points along directions spread over the half sphere.
    constexpr int kDirs = 256;
    const double golden = M_PI * (3.0 - std::sqrt(5.0));
    std::vector<std::size_t> keep;
    for (int i = 0; i < kDirs; ++i) {
      const double z = 1.0 - (i + 0.5) / kDirs, r = std::sqrt(1.0 - z * z), phi = golden * i;
      const double u[3] = {r * std::cos(phi), r * std::sin(phi), z};
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      std::size_t ilo = 0, ihi = 0;
      for (std::size_t k = 0; k < pts.size(); ++k) {
        const double d = (pts[k][0] - o[0]) * s.x * u[0] + (pts[k][1] - o[1]) * s.y * u[1] + (pts[k][2] - o[2]) * s.z * u[2];
        if (d < lo) lo = d, ilo = k;
        if (d > hi) hi = d, ihi = k;
      }
      keep.push_back(ilo);
      keep.push_back(ihi);
    }
    std::sort(keep.begin(), keep.end());
    keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
    for (const std::size_t k : keep) cand.push_back(phys(pts[k]));
  }
  double best2 = 0;
  std::array<double, 3> bestD{0, 0, 0};
  for (std::size_t i = 0; i < cand.size(); ++i)
    for (std::size_t j = i + 1; j < cand.size(); ++j) {
      const double dx = cand[i][0] - cand[j][0], dy = cand[i][1] - cand[j][1], dz = cand[i][2] - cand[j][2];
      const double d2 = dx * dx + dy * dy + dz * dz;
      if (d2 > best2) best2 = d2, bestD = {dx, dy, dz};
    }
  const double d = std::sqrt(best2);
  if (d == 0) return std::max({s.x, s.y, s.z});
  // Plus the extent of one voxel box along the diameter's direction.
  return d + (std::fabs(bestD[0]) * s.x + std::fabs(bestD[1]) * s.y + std::fabs(bestD[2]) * s.z) / d;
}

void nearestNeighbours(const std::vector<std::array<double, 3>>& p, std::vector<std::int64_t>& index,
                       std::vector<double>& distance) {
  const std::size_t n = p.size();
  index.assign(n, -1);
  distance.assign(n, std::numeric_limits<double>::quiet_NaN());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a][0] < p[b][0]; });
  for (std::size_t oi = 0; oi < n; ++oi) {
    const std::size_t i = order[oi];
    double best = std::numeric_limits<double>::infinity();
    std::int64_t bestJ = -1;
    auto scan = [&](std::size_t oj) {
      const std::size_t j = order[oj];
      const double dx = p[j][0] - p[i][0];
      if (dx * dx >= best) return false;
      const double dy = p[j][1] - p[i][1], dz = p[j][2] - p[i][2];
      const double d2 = dx * dx + dy * dy + dz * dz;
      if (d2 < best) best = d2, bestJ = std::int64_t(j);
      return true;
    };
    for (std::size_t oj = oi + 1; oj < n && scan(oj); ++oj) {}
    for (std::size_t oj = oi; oj-- > 0 && scan(oj);) {}
    if (bestJ >= 0) index[i] = bestJ, distance[i] = std::sqrt(best);
  }
}

} // namespace core::analysis
