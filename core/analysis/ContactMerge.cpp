#include "core/analysis/ContactMerge.h"

#include <cmath>
#include <queue>
#include <unordered_map>
#include <vector>

namespace core::analysis {

double contactRatio(double contactArea, double smallerVolume) {
  const double pi = 3.14159265358979323846;
  if (!(smallerVolume > 0)) return 0;
  return std::sqrt(contactArea / pi) / std::cbrt(3 * smallerVolume / (4 * pi));
}

std::uint32_t mergeWideContacts(std::uint32_t* labels, const volume::Size3& size, const volume::Vec3& spacing,
                                std::uint32_t regionCount, double minRatio, const std::uint32_t* seeds,
                                jobs::CancelToken& cancel) {
  const std::int64_t nx = size.x, ny = size.y, nz = size.z, slice = nx * ny;
  const std::size_t r = std::size_t(regionCount) + 1;
  std::vector<double> volume(r, 0);
  std::vector<std::uint32_t> seed(r, 0);
  std::vector<char> seedClash(r, 0);
  std::vector<std::unordered_map<std::uint32_t, double>> contact(r);
  const double faceArea[3] = {spacing.y * spacing.z, spacing.x * spacing.z, spacing.x * spacing.y};
  const double voxel = spacing.x * spacing.y * spacing.z;
  auto touch = [&](std::uint32_t a, std::uint32_t b, double area) {
    if (!b || a == b) return;
    contact[a][b] += area;
    contact[b][a] += area;
  };
  for (std::int64_t z = 0; z < nz; ++z) {
    cancel.throwIfCancelled();
    for (std::int64_t y = 0; y < ny; ++y) {
      const std::int64_t row = z * slice + y * nx;
      for (std::int64_t x = 0; x < nx; ++x) {
        const std::int64_t i = row + x;
        const std::uint32_t a = labels[i];
        if (!a) continue;
        volume[a] += voxel;
        if (seeds && seeds[i]) {
          if (!seed[a]) seed[a] = seeds[i];
          else if (seed[a] != seeds[i]) seedClash[a] = 1;
        }
        if (x + 1 < nx) touch(a, labels[i + 1], faceArea[0]);
        if (y + 1 < ny) touch(a, labels[i + nx], faceArea[1]);
        if (z + 1 < nz) touch(a, labels[i + slice], faceArea[2]);
      }
    }
  }
  // Union by redirect: parent[a] = a while a is alive.
  std::vector<std::uint32_t> parent(r);
  for (std::size_t a = 0; a < r; ++a) parent[a] = std::uint32_t(a);
  std::vector<std::uint32_t> stamp(r, 0);
  struct Pair {
    double ratio;
    std::uint32_t a, b, stampA, stampB;
    bool operator<(const Pair& o) const { return ratio < o.ratio; }
  };
  std::priority_queue<Pair> queue;
  auto mayMerge = [&](std::uint32_t a, std::uint32_t b) {
    return !(seedClash[a] || seedClash[b]) && !(seed[a] && seed[b] && seed[a] != seed[b]);
  };
  auto push = [&](std::uint32_t a, std::uint32_t b, double area) {
    if (!mayMerge(a, b)) return;
    const double ratio = contactRatio(area, std::min(volume[a], volume[b]));
    if (ratio >= minRatio) queue.push({ratio, a, b, stamp[a], stamp[b]});
  };
  for (std::uint32_t a = 1; a < r; ++a)
    for (const auto& [b, area] : contact[a])
      if (a < b) push(a, b, area);
  while (!queue.empty()) {
    const Pair p = queue.top();
    queue.pop();
    if (parent[p.a] != p.a || parent[p.b] != p.b || stamp[p.a] != p.stampA || stamp[p.b] != p.stampB) continue;
    // Keep the region with more contacts; move the other's into it.
    std::uint32_t keep = p.a, gone = p.b;
    if (contact[keep].size() < contact[gone].size()) std::swap(keep, gone);
    parent[gone] = keep;
    volume[keep] += volume[gone];
    if (!seed[keep]) seed[keep] = seed[gone];
    contact[keep].erase(gone);
    for (const auto& [c, area] : contact[gone]) {
      if (c == keep) continue;
      contact[keep][c] += area;
      auto& back = contact[c];
      back.erase(gone);
      back[keep] += area;
    }
    std::unordered_map<std::uint32_t, double>().swap(contact[gone]);
    ++stamp[keep]; // its queued pairs are stale: push them again with the new volume and contacts
    for (const auto& [c, area] : contact[keep]) push(keep, c, area);
  }
  // Final ids 1..N.
  std::vector<std::uint32_t> id(r, 0);
  std::uint32_t next = 0;
  for (std::uint32_t a = 1; a < r; ++a) {
    std::uint32_t root = a;
    while (parent[root] != root) root = parent[root];
    if (!id[root]) id[root] = ++next;
    id[a] = id[root];
  }
  const std::int64_t n = size.count();
  for (std::int64_t i = 0; i < n; ++i)
    if (labels[i]) labels[i] = id[labels[i]];
  return next;
}

} // namespace core::analysis
