#include "core/analysis/MarkerWatershed.h"

#include "core/analysis/ParallelFor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace core::analysis {
namespace {

inline std::uint32_t findRegion(std::vector<std::uint32_t>& parent, std::uint32_t a) {
  while (parent[a] != a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

} // namespace

std::uint32_t floodWithDynamics(const float* height, const std::uint8_t* mask, std::uint8_t bit,
                                const volume::Size3& size, float dynamic, std::uint32_t* labels,
                                jobs::ProgressSink& progress, jobs::CancelToken& cancel, const std::uint32_t* seeds) {
  const std::int64_t nx = size.x, ny = size.y, nz = size.z, slice = nx * ny, n = size.count();
  if (n >= std::int64_t(0xFFFFFFFFll)) throw std::invalid_argument("volume too large for the watershed (2^32 voxels)");
  // Range of heights over the mask.
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  for (std::int64_t i = 0; i < n; ++i)
    if (mask[i] & bit) lo = std::min(lo, height[i]), hi = std::max(hi, height[i]);
  std::fill(labels, labels + n, 0u);
  if (!(hi >= lo)) return 0;

  // Counting sort of the masked voxels by height, highest first; raster order inside a bucket.
  constexpr int kBuckets = 1 << 16;
  const double scale = hi > lo ? (kBuckets - 1) / double(hi - lo) : 0.0;
  auto bucketOf = [&](std::int64_t i) { return kBuckets - 1 - int((double(height[i]) - lo) * scale); };
  const std::int64_t chunks = std::min<std::int64_t>(nz, 32);
  std::vector<std::vector<std::uint32_t>> counts(std::size_t(chunks), std::vector<std::uint32_t>(kBuckets, 0));
  auto chunkRange = [&](std::int64_t c) { return std::make_pair(nz * c / chunks * slice, nz * (c + 1) / chunks * slice); };
  parallelFor(chunks, 1, [&](std::int64_t c0, std::int64_t c1, int) {
    for (std::int64_t c = c0; c < c1; ++c) {
      auto& cnt = counts[std::size_t(c)];
      const auto [b, e] = chunkRange(c);
      for (std::int64_t i = b; i < e; ++i)
        if (mask[i] & bit) ++cnt[std::size_t(bucketOf(i))];
    }
  });
  std::vector<std::uint64_t> start(std::size_t(chunks) * kBuckets);
  std::uint64_t total = 0;
  for (int k = 0; k < kBuckets; ++k)
    for (std::int64_t c = 0; c < chunks; ++c) {
      start[std::size_t(c) * kBuckets + std::size_t(k)] = total;
      total += counts[std::size_t(c)][std::size_t(k)];
    }
  counts.clear();
  std::vector<std::uint32_t> order(static_cast<std::size_t>(total));
  parallelFor(chunks, 1, [&](std::int64_t c0, std::int64_t c1, int) {
    for (std::int64_t c = c0; c < c1; ++c) {
      std::uint64_t* pos = start.data() + std::size_t(c) * kBuckets;
      const auto [b, e] = chunkRange(c);
      for (std::int64_t i = b; i < e; ++i)
        if (mask[i] & bit) order[std::size_t(pos[bucketOf(i)]++)] = std::uint32_t(i);
    }
  });
  std::vector<std::uint64_t>().swap(start);
  progress.setProgress(0.1, "Splitting particles");

  // The flood: regions are a union-find over region ids with the peak height of each.
  std::vector<std::uint32_t> parent{0};
  std::vector<float> peak{0.f};
  std::unordered_map<std::uint32_t, std::uint32_t> seedRegion; // marker id -> its region
  const float marked = std::numeric_limits<float>::infinity();
  const double invNx = 1.0 / double(nx), invNy = 1.0 / double(ny);
  const std::int64_t step = 1 << 20;
  for (std::uint64_t k = 0; k < total; ++k) {
    if ((k & (step - 1)) == 0) {
      cancel.throwIfCancelled();
      progress.setProgress(0.1 + 0.85 * double(k) / double(total), "Splitting particles");
    }
    const std::uint32_t v = order[std::size_t(k)];
    const float g = height[v];
    const std::uint32_t yz = std::uint32_t((double(v) + 0.5) * invNx);
    const std::int64_t x = std::int64_t(v) - std::int64_t(yz) * nx;
    const std::uint32_t z = std::uint32_t((double(yz) + 0.5) * invNy);
    const std::int64_t y = std::int64_t(yz) - std::int64_t(z) * ny;
    std::uint32_t roots[6];
    int nroots = 0;
    std::uint32_t bestRoot = 0;
    float bestG = -std::numeric_limits<float>::infinity();
    auto visit = [&](std::int64_t j) {
      const std::uint32_t l = labels[j];
      if (!l) return;
      const std::uint32_t r = findRegion(parent, l);
      bool seen = false;
      for (int q = 0; q < nroots; ++q) seen = seen || roots[q] == r;
      if (!seen) roots[nroots++] = r;
      if (height[j] > bestG) bestG = height[j], bestRoot = r;
    };
    if (x > 0) visit(v - 1);
    if (x + 1 < nx) visit(v + 1);
    if (y > 0) visit(v - nx);
    if (y + 1 < ny) visit(v + nx);
    if (z > 0) visit(v - slice);
    if (std::int64_t(z) + 1 < nz) visit(v + slice);
    const std::uint32_t seed = seeds ? seeds[v] : 0u;
    if (nroots == 0 || seed) {
      std::uint32_t id = 0;
      if (seed) {
        const auto it = seedRegion.find(seed);
        if (it != seedRegion.end()) id = it->second;
      }
      if (!id) {
        if (parent.size() >= 0xFFFFFFFFull) throw std::runtime_error("too many watershed regions");
        id = std::uint32_t(parent.size());
        parent.push_back(id);
        peak.push_back(seed ? marked : g);
        if (seed) seedRegion[seed] = id;
      }
      // A marked voxel absorbs the unmarked regions it meets below the dynamic (as a higher peak would).
      for (int q = 0; q < nroots; ++q)
        if (roots[q] != id && peak[roots[q]] != marked && peak[roots[q]] - g < dynamic) parent[roots[q]] = id;
      labels[v] = id;
      continue;
    }
    if (nroots > 1) {
      std::uint32_t top = roots[0];
      for (int q = 1; q < nroots; ++q)
        if (peak[roots[q]] > peak[top]) top = roots[q];
      for (int q = 0; q < nroots; ++q) {
        const std::uint32_t r = roots[q];
        if (r != top && peak[r] - g < dynamic) parent[r] = top;
      }
      bestRoot = findRegion(parent, bestRoot);
    }
    labels[v] = bestRoot;
  }

  // Resolve every voxel to its root and number the roots.
  std::vector<std::uint32_t> id(parent.size(), 0);
  std::uint32_t count = 0;
  for (std::size_t r = 1; r < parent.size(); ++r)
    if (findRegion(parent, std::uint32_t(r)) == r) id[r] = ++count;
  for (std::size_t r = 1; r < parent.size(); ++r) id[r] = id[findRegion(parent, std::uint32_t(r))];
  parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
    for (std::int64_t i = b; i < e; ++i)
      if (labels[i]) labels[i] = id[labels[i]];
  });
  progress.setProgress(0.99, "Splitting particles");
  return count;
}

std::uint32_t renumberRaster(std::uint32_t* labels, const volume::Size3& size, std::uint32_t maxLabel) {
  const std::int64_t n = size.count();
  std::vector<std::uint32_t> id(std::size_t(maxLabel) + 1, 0);
  std::uint32_t count = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint32_t l = labels[i];
    if (l && !id[l]) id[l] = ++count;
  }
  parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
    for (std::int64_t i = b; i < e; ++i)
      if (labels[i]) labels[i] = id[labels[i]];
  });
  return count;
}

FragmentMerge mergeSmallRegions(std::uint32_t* labels, const volume::Size3& size, std::uint32_t regionCount,
                                std::int64_t minVolume, jobs::CancelToken& cancel) {
  const std::int64_t nx = size.x, ny = size.y, nz = size.z, slice = nx * ny, n = size.count();
  FragmentMerge result;
  const int workers = workerCount();
  std::vector<std::vector<std::int64_t>> partial(std::size_t(workers), std::vector<std::int64_t>(std::size_t(regionCount) + 1, 0));
  parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int w) {
    auto& c = partial[std::size_t(w)];
    for (std::int64_t i = b; i < e; ++i) ++c[labels[i]];
  });
  std::vector<std::int64_t> voxels(std::size_t(regionCount) + 1, 0);
  for (const auto& c : partial)
    for (std::size_t r = 0; r < c.size(); ++r) voxels[r] += c[r];
  partial.clear();
  std::vector<char> small(std::size_t(regionCount) + 1, 0);
  bool anySmall = false;
  for (std::uint32_t r = 1; r <= regionCount; ++r)
    if (voxels[r] > 0 && voxels[r] < minVolume) small[r] = 1, anySmall = true;
  if (!anySmall) {
    result.count = renumberRaster(labels, size, regionCount);
    return result;
  }
  cancel.throwIfCancelled();

  // Face contacts of small regions: key (small << 32 | other).
  std::vector<std::unordered_map<std::uint64_t, std::int64_t>> contacts(static_cast<std::size_t>(workers));
  parallelFor(nz, 2, [&](std::int64_t z0, std::int64_t z1, int w) {
    auto& map = contacts[std::size_t(w)];
    auto pair = [&](std::uint32_t a, std::uint32_t b) {
      if (a == b || !a || !b) return;
      if (small[a]) ++map[(std::uint64_t(a) << 32) | b];
      if (small[b]) ++map[(std::uint64_t(b) << 32) | a];
    };
    for (std::int64_t z = z0; z < z1; ++z)
      for (std::int64_t y = 0; y < ny; ++y) {
        const std::uint32_t* row = labels + z * slice + y * nx;
        for (std::int64_t x = 0; x < nx; ++x) {
          const std::uint32_t a = row[x];
          if (x + 1 < nx && row[x + 1] != a) pair(a, row[x + 1]);
          if (y + 1 < ny && row[x + nx] != a) pair(a, row[x + nx]);
          if (z + 1 < nz && row[x + slice] != a) pair(a, row[x + slice]);
        }
      }
  });
  std::unordered_map<std::uint32_t, std::vector<std::pair<std::uint32_t, std::int64_t>>> touching;
  for (const auto& map : contacts)
    for (const auto& [key, count] : map) touching[std::uint32_t(key >> 32)].push_back({std::uint32_t(key), count});
  contacts.clear();

  std::vector<std::uint32_t> parent(std::size_t(regionCount) + 1);
  std::iota(parent.begin(), parent.end(), 0u);
  std::vector<std::uint32_t> smalls;
  for (std::uint32_t r = 1; r <= regionCount; ++r)
    if (small[r]) smalls.push_back(r);
  std::stable_sort(smalls.begin(), smalls.end(), [&](std::uint32_t a, std::uint32_t b) { return voxels[a] < voxels[b]; });
  for (const std::uint32_t r : smalls) {
    const std::uint32_t root = findRegion(parent, r);
    if (root == 0 || voxels[root] >= minVolume) continue;
    // Sum contacts per current neighbour root.
    std::unordered_map<std::uint32_t, std::int64_t> byRoot;
    for (const auto& [other, count] : touching[r]) {
      const std::uint32_t o = findRegion(parent, other);
      if (o != root && o != 0) byRoot[o] += count;
    }
    std::uint32_t best = 0;
    std::int64_t bestCount = 0;
    for (const auto& [o, count] : byRoot)
      if (count > bestCount || (count == bestCount && o < best)) best = o, bestCount = count;
    if (best) {
      parent[root] = best;
      voxels[best] += voxels[root];
      ++result.merged;
    } else {
      parent[root] = 0; // dropped
      ++result.dropped;
    }
  }
  std::vector<std::uint32_t> target(std::size_t(regionCount) + 1, 0);
  for (std::uint32_t r = 1; r <= regionCount; ++r) target[r] = findRegion(parent, r);
  parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
    for (std::int64_t i = b; i < e; ++i) labels[i] = target[labels[i]];
  });
  result.count = renumberRaster(labels, size, regionCount);
  return result;
}

} // namespace core::analysis
