#include "core/analysis/ParticleSegmentation.h"

#include "core/analysis/ConnectedComponents.h"
#include "core/analysis/ContactMerge.h"
#include "core/analysis/DistanceTransform.h"
#include "core/analysis/GaussianSmooth.h"
#include "core/analysis/MarkerWatershed.h"
#include "core/analysis/ParallelFor.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace core::analysis {
namespace {

std::string sizeText(const volume::Size3& s) {
  std::ostringstream os;
  os << s.x << " x " << s.y << " x " << s.z;
  return os.str();
}

/// Counts voxels where pred(i), in parallel.
template <class Pred> std::int64_t countIf(std::int64_t n, Pred pred) {
  std::atomic<std::int64_t> total{0};
  parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
    std::int64_t c = 0;
    for (std::int64_t i = b; i < e; ++i) c += pred(i) ? 1 : 0;
    total += c;
  });
  return total;
}

/// Adds to the filled phase the crack zone (voxels within \p zone micrometres of a crack voxel,
/// which takes in the dark blur halo around thin cracks) where a ball of radius r (micrometres)
/// inside solid + zone covers it: the morphological opening of solid + zone, restricted to the
/// zone. Inside a particle the zone is surrounded by solid and is kept; a crack sheet running
/// through the carbon-binder is thinner than the ball and is left out.
void fillCracks(std::uint8_t* phases, const volume::Size3& size, const volume::Vec3& spacing, double r, double zone,
                SegmentationStats& stats, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  const std::int64_t n = size.count();
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(n));
  std::vector<float> dist(static_cast<std::size_t>(n));
  std::vector<std::uint8_t> inZone(static_cast<std::size_t>(n));
  jobs::SubProgress first(progress, 0, 0.33), second(progress, 0.33, 0.66), third(progress, 0.66, 1);
  parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
    for (std::int64_t i = b; i < e; ++i) mask[std::size_t(i)] = (phases[i] & kPhaseCrack) ? 0 : 1;
  });
  squaredDistanceToZeros(mask.data(), size, spacing, dist.data(), first, cancel);
  const float z2 = float(zone * zone) * (1 + 1e-5f);
  parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
    for (std::int64_t i = b; i < e; ++i) {
      inZone[std::size_t(i)] = dist[std::size_t(i)] <= z2 && !(phases[i] & kPhaseSolid && !(phases[i] & kPhaseCrack));
      mask[std::size_t(i)] = ((phases[i] & kPhaseSolid) || inZone[std::size_t(i)]) ? 1 : 0;
    }
  });
  squaredDistanceToZeros(mask.data(), size, spacing, dist.data(), second, cancel);
  // Centres of the balls that fit: distance to the outside > r. Their r-neighbourhood is the opening.
  const float r2 = float(r * r);
  parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
    for (std::int64_t i = b; i < e; ++i) mask[std::size_t(i)] = dist[std::size_t(i)] > r2 ? 0 : 1;
  });
  squaredDistanceToZeros(mask.data(), size, spacing, dist.data(), third, cancel);
  const float reach = r2 * (1 + 1e-5f);
  std::atomic<std::int64_t> kept{0}, rejected{0};
  parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
    std::int64_t k = 0, j = 0;
    for (std::int64_t i = b; i < e; ++i) {
      if (!inZone[std::size_t(i)]) continue;
      const bool keep = dist[std::size_t(i)] <= reach;
      if (keep) phases[i] |= kPhaseFilled;
      if (phases[i] & kPhaseCrack) (keep ? k : j) += 1;
    }
    kept += k;
    rejected += j;
  });
  stats.crackVoxelsFilled = kept;
  stats.crackVoxelsRejected = rejected;
}

/// Calls f(j) for each of the up to 6 face neighbours j of voxel \p i.
template <class F> void forEachFaceNeighbour(std::int64_t i, const volume::Size3& size, F&& f) {
  const std::int64_t nx = size.x, ny = size.y, slice = nx * ny;
  const std::int64_t x = i % nx, y = (i / nx) % ny, z = i / slice;
  if (x > 0) f(i - 1);
  if (x + 1 < nx) f(i + 1);
  if (y > 0) f(i - nx);
  if (y + 1 < ny) f(i + nx);
  if (z > 0) f(i - slice);
  if (z + 1 < size.z) f(i + slice);
}

/// Fills the background components (6-connected) that do not touch the volume border. Returns the
/// hole voxels grouped by hole: voxel indices in \p holeVoxels, hole k at [holeStart[k], holeStart[k+1]).
void fillHoles(std::uint8_t* phases, std::uint32_t* work, const volume::Size3& size, std::vector<std::uint32_t>& holeVoxels,
               std::vector<std::uint64_t>& holeStart, jobs::CancelToken& cancel) {
  const std::int64_t nx = size.x, ny = size.y, nz = size.z, n = size.count();
  const std::uint32_t count = labelComponents(
      size, 6, [&](std::int64_t i) { return !(phases[i] & kPhaseFilled); }, [](std::int64_t, std::int64_t) { return true; },
      work, cancel);
  std::vector<char> outside(std::size_t(count) + 1, 0);
  for (std::int64_t z = 0; z < nz; ++z)
    for (std::int64_t y = 0; y < ny; ++y) {
      const bool face = z == 0 || z == nz - 1 || y == 0 || y == ny - 1;
      const std::uint32_t* row = work + (z * ny + y) * nx;
      if (face) {
        for (std::int64_t x = 0; x < nx; ++x) outside[row[x]] = 1;
      } else {
        outside[row[0]] = 1;
        outside[row[nx - 1]] = 1;
      }
    }
  // Hole id k+1 for each component not outside.
  std::vector<std::uint32_t> holeId(std::size_t(count) + 1, 0);
  std::uint32_t holes = 0;
  for (std::uint32_t c = 1; c <= count; ++c)
    if (!outside[c]) holeId[c] = ++holes;
  holeStart.assign(std::size_t(holes) + 2, 0);
  for (std::int64_t i = 0; i < n; ++i)
    if (const std::uint32_t h = holeId[work[i]]) ++holeStart[h + 1];
  for (std::size_t k = 1; k < holeStart.size(); ++k) holeStart[k] += holeStart[k - 1];
  holeVoxels.resize(std::size_t(holeStart.back()));
  std::vector<std::uint64_t> pos(holeStart.begin(), holeStart.end());
  for (std::int64_t i = 0; i < n; ++i)
    if (const std::uint32_t h = holeId[work[i]]) {
      holeVoxels[std::size_t(pos[h]++)] = std::uint32_t(i);
      phases[i] |= kPhaseFilled;
    }
  // Make holeStart index holes from 0.
  holeStart.erase(holeStart.begin());
}

/// Empties the filled holes whose voxels ended up next to two or more particles.
std::int64_t emptySharedHoles(std::uint8_t* phases, std::uint32_t* labels, const volume::Size3& size,
                              const std::vector<std::uint32_t>& holeVoxels, const std::vector<std::uint64_t>& holeStart) {
  std::int64_t emptied = 0;
  for (std::size_t h = 0; h + 1 < holeStart.size(); ++h) {
    std::uint32_t first = 0;
    bool shared = false;
    for (std::uint64_t k = holeStart[h]; k < holeStart[h + 1] && !shared; ++k) {
      const std::int64_t i = holeVoxels[std::size_t(k)];
      auto see = [&](std::int64_t j) {
        const std::uint32_t l = labels[j];
        if (!l) return;
        if (!first) first = l;
        else if (l != first) shared = true;
      };
      see(i);
      forEachFaceNeighbour(i, size, see);
    }
    if (!shared) continue;
    for (std::uint64_t k = holeStart[h]; k < holeStart[h + 1]; ++k) {
      const std::uint32_t i = holeVoxels[std::size_t(k)];
      labels[i] = 0;
      phases[i] &= std::uint8_t(~kPhaseFilled);
      ++emptied;
    }
  }
  return emptied;
}


/// Gives back the crack voxels in the gap between two touching particles: the paper's masks (and
/// the realistic phantom's truth) mark such gaps as crack, filling them bridges the particles,
/// and the watershed then hands each particle half of the gap as crack of its own. A voxel of
/// particle A is released when it is crack or filled non-solid (the crack's blur halo) and lies
/// within \p depth 6-steps through such voxels of A from a voxel of another particle.
std::int64_t releaseContactGaps(std::uint8_t* phases, std::uint32_t* labels, const volume::Size3& size, int depth,
                                jobs::CancelToken& cancel) {
  const std::int64_t n = size.count();
  auto releasable = [&](std::int64_t i) {
    return labels[i] && ((phases[i] & kPhaseCrack) || ((phases[i] & kPhaseFilled) && !(phases[i] & kPhaseSolid)));
  };
  std::vector<std::int64_t> front;
  for (std::int64_t i = 0; i < n; ++i) {
    if (!releasable(i)) continue;
    bool contact = false;
    forEachFaceNeighbour(i, size, [&](std::int64_t j) { contact = contact || (labels[j] && labels[j] != labels[i]); });
    if (contact) front.push_back(i);
  }
  cancel.throwIfCancelled();
  // Breadth first through releasable voxels of the same particle; a voxel is marked by setting
  // its label to 0 only after the whole front is known, so contacts are judged on the old labels.
  std::vector<std::uint32_t> owner(front.size());
  for (std::size_t k = 0; k < front.size(); ++k) owner[k] = labels[front[k]];
  std::int64_t released = 0;
  std::vector<std::int64_t> next;
  for (int step = 0; step < depth && !front.empty(); ++step) {
    for (const std::int64_t i : front)
      if (labels[i]) {
        labels[i] = 0;
        phases[i] &= std::uint8_t(~kPhaseFilled);
        ++released;
      }
    next.clear();
    std::vector<std::uint32_t> nextOwner;
    for (std::size_t k = 0; k < front.size(); ++k)
      forEachFaceNeighbour(front[k], size, [&](std::int64_t j) {
        if (labels[j] == owner[k] && releasable(j)) next.push_back(j), nextOwner.push_back(owner[k]);
      });
    front.swap(next);
    owner.swap(nextOwner);
  }
  return released;
}
} // namespace

Segmentation segmentParticles(const volume::Volume& image, const volume::Volume& cracks,
                              const SegmentationOptions& options, jobs::ProgressSink& progress,
                              jobs::CancelToken& cancel) {
  return segmentParticles(image, cracks, volume::Volume(), options, progress, cancel);
}

Segmentation segmentParticles(const volume::Volume& image, const volume::Volume& cracks, const volume::Volume& markers,
                              const SegmentationOptions& options, jobs::ProgressSink& progress,
                              jobs::CancelToken& cancel) {
  if (!markers.empty() && (markers.size() != image.size() || markers.type() != volume::VoxelType::UInt32))
    throw std::invalid_argument("the particle markers must be a uint32 volume of the image's size");
  const auto t0 = std::chrono::steady_clock::now();
  if (image.empty() || image.voxelCount() == 0) throw std::invalid_argument("the image is empty");
  checkSpacing(image.spacing(), "image");
  const volume::Size3 size = image.size();
  const std::int64_t n = size.count();
  if (n >= std::int64_t(0xFFFFFFFFll))
    throw std::invalid_argument("the image has " + sizeText(size) +
                                " voxels: analysis works on volumes under 2^32 voxels; crop or downsample");
  if (!cracks.empty()) {
    if (cracks.size() != size)
      throw std::invalid_argument("the crack volume is " + sizeText(cracks.size()) + " voxels but the image is " +
                                  sizeText(size) + ": they must have the same size");
    if (cracks.type() != volume::VoxelType::UInt8)
      throw std::invalid_argument("the crack mask must be uint8 0/1 (use makeCrackMask)");
  }
  if (!(options.splitHeight > 0 && options.splitHeight < 1))
    throw std::invalid_argument("split height must be between 0 and 1 (exclusive)");
  if (!(options.splitOffset >= 0) || !(options.crackFillRadius >= 0) || options.minVolume < 0)
    throw std::invalid_argument("split offset, crack fill radius and minimum volume must not be negative");
  if (!(options.contactRatio >= 0) || !std::isfinite(options.contactRatio))
    throw std::invalid_argument("the contact ratio must be a finite number >= 0 (0 = off)");
  if (options.solidThreshold && !std::isfinite(*options.solidThreshold))
    throw std::invalid_argument("the solid threshold is not a finite number");

  Segmentation seg;
  SegmentationStats& st = seg.stats;
  progress.setProgress(0, "Solid phase");
  if (!(options.smoothing >= 0) || options.smoothing > 20) throw std::invalid_argument("smoothing must be 0 to 20 voxels");
  jobs::SubProgress smoothProgress(progress, 0, 0.04);
  const volume::Volume smooth = gaussianSmooth(image, options.smoothing, smoothProgress, cancel);
  if (options.solidThreshold) {
    st.solidThreshold = *options.solidThreshold;
    st.thresholdMethod = "user";
  } else {
    // The histogram of the raw grey values shows the phases as modes; smoothing (applied to the
    // voxels that are classified) would add the blurred edges as a class of their own.
    const ThresholdResult t = automaticThreshold(image, options.thresholdMethod);
    st.solidThreshold = t.value;
    st.thresholdMethod = t.method;
  }
  cancel.throwIfCancelled();

  seg.phases = volume::Volume(size, volume::VoxelType::UInt8, image.spacing(), image.origin());
  std::uint8_t* ph = seg.phases.as<std::uint8_t>();
  const std::uint8_t* crack = cracks.empty() ? nullptr : cracks.as<std::uint8_t>();
  const double thr = st.solidThreshold;
  {
    const float* p = smooth.as<float>();
    parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
      for (std::int64_t i = b; i < e; ++i) {
        const bool solid = double(p[i]) >= thr; // NaN is not solid
        const bool c = crack && crack[i];
        ph[i] = std::uint8_t((solid ? kPhaseSolid | kPhaseFilled : 0) | (c ? kPhaseCrack : 0));
      }
    });
  }
  st.solidVoxels = countIf(n, [&](std::int64_t i) { return (ph[i] & kPhaseSolid) != 0; });
  if (st.solidVoxels == 0) {
    std::ostringstream os;
    os << "the solid phase is empty: no voxel is at or above the solid threshold " << thr
       << " (check the image or give --solid-threshold)";
    throw std::invalid_argument(os.str());
  }

  const volume::Vec3 sp = image.spacing();
  const double minSpacing = std::min({sp.x, sp.y, sp.z});
  if (crack) {
    if (options.crackFillRadius > 0) {
      jobs::SubProgress sub(progress, 0.02, 0.3);
      fillCracks(ph, size, sp, options.crackFillRadius * minSpacing, options.crackZone * minSpacing, st, sub, cancel);
    } else {
      st.crackVoxelsFilled = countIf(n, [&](std::int64_t i) { return (ph[i] & kPhaseCrack) && !(ph[i] & kPhaseSolid); });
      parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
        for (std::int64_t i = b; i < e; ++i)
          if (ph[i] & kPhaseCrack) ph[i] |= kPhaseFilled;
      });
    }
  }
  cancel.throwIfCancelled();

  seg.labels = volume::Volume(size, volume::VoxelType::UInt32, image.spacing(), image.origin());
  std::uint32_t* labels = seg.labels.as<std::uint32_t>();
  std::vector<std::uint32_t> holeVoxels;
  std::vector<std::uint64_t> holeStart;
  progress.setProgress(0.3, "Filling holes");
  if (options.fillHoles) fillHoles(ph, labels, size, holeVoxels, holeStart, cancel);

  // Distance map of the filled phase, then the height log(distance + offset).
  {
    std::vector<float> height(static_cast<std::size_t>(n));
    std::vector<std::uint8_t> filled(static_cast<std::size_t>(n));
    parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
      for (std::int64_t i = b; i < e; ++i) filled[std::size_t(i)] = (ph[i] & kPhaseFilled) ? 1 : 0;
    });
    jobs::SubProgress edtProgress(progress, 0.35, 0.55);
    squaredDistanceToZeros(filled.data(), size, sp, height.data(), edtProgress, cancel);
    std::vector<std::uint8_t>().swap(filled);
    const double offset = options.splitOffset * minSpacing;
    // No background at all: one flat particle (the distance is infinite everywhere).
    parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
      for (std::int64_t i = b; i < e; ++i) {
        const float d2 = height[std::size_t(i)];
        height[std::size_t(i)] = std::isinf(d2) ? 1e30f : float(std::log(std::sqrt(double(d2)) + offset + 1e-12));
      }
    });
    // A maximum's relative height h as a dynamic of log(distance + offset): -log(1 - h).
    auto dynamicOf = [](double h) { return float(-std::log(1.0 - h)); };
    const float dynamic = dynamicOf(options.splitHeight);
    jobs::SubProgress floodProgress(progress, 0.55, 0.92);
    st.regionsBeforeMerge = floodWithDynamics(height.data(), ph, kPhaseFilled, size, dynamic, labels, floodProgress, cancel,
                                               markers.empty() ? nullptr : markers.as<std::uint32_t>());
    if (options.contactRatio > 0 && markers.empty()) {
      // Step 3b: the same flood at half the split height cuts at lower saddles; of those cuts, the
      // ones inside a particle of the first flood are kept where the two sides meet over a
      // contact narrower than contactRatio (two touching particles), else joined again.
      std::vector<std::uint32_t> coarse(labels, labels + n);
      const float fineDynamic = dynamicOf(options.splitHeight / 2);
      const std::uint32_t fine = floodWithDynamics(height.data(), ph, kPhaseFilled, size, fineDynamic, labels,
                                                   jobs::nullProgress(), cancel, nullptr);
      st.regionsBeforeMerge = mergeWideContacts(labels, size, sp, fine, options.contactRatio, coarse.data(), cancel);
    }
  }
  if (!holeStart.empty()) {
    st.holeVoxelsEmptied = emptySharedHoles(ph, labels, size, holeVoxels, holeStart);
    st.holeVoxelsFilled = std::int64_t(holeVoxels.size()) - st.holeVoxelsEmptied;
  }
  cancel.throwIfCancelled();
  progress.setProgress(0.93, "Merging fragments");
  const FragmentMerge merge = mergeSmallRegions(labels, size, std::uint32_t(st.regionsBeforeMerge), options.minVolume, cancel);
  st.fragmentsMerged = merge.merged;
  st.fragmentsDropped = merge.dropped;
  st.particleCount = merge.count;
  if (crack) {
    st.contactGapVoxelsReleased = releaseContactGaps(ph, labels, size, int(std::ceil(options.crackZone)) + 2, cancel);
    if (st.contactGapVoxelsReleased) st.particleCount = renumberRaster(labels, size, merge.count);
  }
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  progress.setProgress(1.0, "Segmentation done");
  return seg;
}

} // namespace core::analysis
