// The comparison of two time points slab by slab with an exact halo (EvolutionSlabs.h).
#include "core/analysis/EvolutionSlabs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace core::analysis {

namespace {
constexpr double kPi = 3.14159265358979323846;

/// Voxel count, summed z and z range of one particle (slices of A's grid).
struct ParticleZ {
  std::int64_t count = 0, sumZ = 0, zMin = std::numeric_limits<std::int64_t>::max(), zMax = -1;
  void add(std::int64_t z) {
    ++count, sumZ += z;
    zMin = std::min(zMin, z), zMax = std::max(zMax, z);
  }
  std::int64_t centroidSlice() const { return sumZ / count; } // exact, as keepSlabParticles
};

std::string mib(std::uint64_t bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB"; }
} // namespace

std::uint64_t evolutionBytesPerVoxel(const volume::VolumeInfo& grid) {
  // Both images (B's resampled in A's type), both labels (4) and crack masks (1), B's field mask
  // (1) and raw crack values while they are resampled (up to 4), the two phase volumes (1 each)
  // and the statistics' scratch (prefix counts for the packing sphere: 4, and more): with a margin.
  return 2 * volume::voxelSize(grid.type) + 2 * 4 + 2 * 1 + 1 + 4 + 2 + 12;
}

EvolutionResult compareInSlabs(EvolutionSource& source, const EvolutionOptions& options, std::uint64_t memoryLimit,
                               EvolutionSlabPlan* plan, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  const volume::VolumeInfo grid = source.grid();
  const volume::Size3 s = grid.size;
  const std::uint64_t sliceBytes = std::uint64_t(s.x) * std::uint64_t(s.y) * evolutionBytesPerVoxel(grid);
  EvolutionSlabPlan p;
  if (memoryLimit == 0 || sliceBytes * std::uint64_t(s.z) <= memoryLimit) { // the whole grid at once
    p.slabSlices = s.z;
    p.slabBytes = sliceBytes * std::uint64_t(s.z);
    if (plan) *plan = p;
    progress.setProgress(0.0, "Reading both time points");
    EvolutionSource::Slab a, b;
    volume::Volume inside;
    source.slab(0, s.z, a, b, inside);
    cancel.throwIfCancelled();
    progress.setProgress(0.5, "Matching particles");
    return compareTimePoints({&a.image, &a.labels, &a.cracks}, {&b.image, &b.labels, &b.cracks}, &inside, options);
  }

  // Pass 1, labels only: each particle's slices and centroid slice, B's particles' slices, and
  // which particles of B overlap which of A.
  progress.setProgress(0.0, "Finding the particles' extents");
  std::unordered_map<std::uint32_t, ParticleZ> za, zb;
  std::unordered_set<std::uint64_t> pairs;
  const std::uint64_t sliceVoxels = std::uint64_t(s.x) * std::uint64_t(s.y);
  const std::int64_t passSlices = std::max<std::int64_t>(1, std::int64_t(memoryLimit / (sliceVoxels * 16)));
  for (std::int64_t z0 = 0; z0 < s.z; z0 += passSlices) {
    const std::int64_t z1 = std::min(s.z, z0 + passSlices);
    volume::Volume la, lb;
    source.labels(z0, z1, la, lb);
    const std::uint32_t* pa = la.as<std::uint32_t>();
    const std::uint32_t* pb = lb.as<std::uint32_t>();
    for (std::int64_t i = 0, n = la.voxelCount(); i < n; ++i) {
      const std::int64_t z = z0 + i / std::int64_t(sliceVoxels);
      if (pa[i]) za[pa[i]].add(z);
      if (pb[i]) zb[pb[i]].add(z);
      if (pa[i] && pb[i]) pairs.insert((std::uint64_t(pa[i]) << 32) | pb[i]);
    }
    cancel.throwIfCancelled();
    progress.setProgress(0.2 * double(z1) / double(s.z), "Finding the particles' extents");
  }
  // The halo: the farthest slice a row depends on from its centroid slice (the particle, the
  // particles of B overlapping it, its packing sphere), and the depth of B's particles (each is
  // decided, matched or not, in the slab that owns its first slice).
  std::unordered_map<std::uint32_t, std::pair<std::int64_t, std::int64_t>> reach;
  for (const auto& [id, z] : za) reach[id] = {z.zMin, z.zMax};
  for (const std::uint64_t key : pairs) {
    auto& r = reach[std::uint32_t(key >> 32)];
    const ParticleZ& b = zb[std::uint32_t(key & 0xffffffffu)];
    r = {std::min(r.first, b.zMin), std::max(r.second, b.zMax)};
  }
  const double voxelVolume = grid.spacing.x * grid.spacing.y * grid.spacing.z;
  std::int64_t halo = 0;
  for (const auto& [id, z] : za) {
    const double centre = double(z.sumZ) / double(z.count);
    const double radius = options.statistics.packingRadiusFactor * std::cbrt(6.0 * double(z.count) * voxelVolume / kPi) / grid.spacing.z;
    const std::int64_t lo = std::max<std::int64_t>(0, std::min(reach[id].first, std::int64_t(std::floor(centre - radius)) - 1));
    const std::int64_t hi = std::min<std::int64_t>(s.z - 1, std::max(reach[id].second, std::int64_t(std::ceil(centre + radius)) + 1));
    halo = std::max({halo, z.centroidSlice() - lo, hi - z.centroidSlice()});
  }
  for (const auto& [id, z] : zb) halo = std::max(halo, z.zMax - z.zMin);
  const std::int64_t window = std::int64_t(memoryLimit / sliceBytes), owned = window - 2 * halo;
  p.halo = halo;
  if (plan) *plan = p;
  if (owned < 1)
    throw std::invalid_argument("the memory limit of " + mib(memoryLimit) + " holds " + std::to_string(window) +
                                " slices of A's grid (" + mib(sliceBytes) + " each), fewer than one slice plus twice the halo of " +
                                std::to_string(halo) + " slices that the largest particles need (a particle, its particles in B "
                                "and its packing sphere); at least " + mib(sliceBytes * std::uint64_t(2 * halo + 1)) + " is needed");
  const std::int64_t count = (s.z + owned - 1) / owned, step = (s.z + count - 1) / count;
  p.slabs = count;
  p.slabSlices = step;
  p.halo = halo;
  p.slabBytes = sliceBytes * std::uint64_t(std::min(s.z, step + 2 * halo));
  if (plan) *plan = p;

  // Pass 2: each slab with its halo; keep the rows of the particles of A whose centroid slice it
  // owns and the unmatched particles of B whose first slice it owns.
  EvolutionResult out;
  out.particles = evolutionColumns();
  std::vector<std::vector<double>> rows;
  int columns = 0;
  for (std::int64_t z0 = 0, k = 0; z0 < s.z; z0 += step, ++k) {
    const std::int64_t z1 = std::min(s.z, z0 + step), lo = std::max<std::int64_t>(0, z0 - halo),
                       hi = std::min<std::int64_t>(s.z, z1 + halo);
    progress.setProgress(0.2 + 0.8 * double(z0) / double(s.z),
                         "Comparing slab " + std::to_string(k + 1) + " of " + std::to_string(count));
    EvolutionSource::Slab a, b;
    volume::Volume inside;
    source.slab(lo, hi, a, b, inside);
    cancel.throwIfCancelled();
    EvolutionOptions o = options;
    o.statistics.zOffset = lo;
    o.statistics.fullDepth = s.z;
    const EvolutionResult r = compareTimePoints({&a.image, &a.labels, &a.cracks}, {&b.image, &b.labels, &b.cracks}, &inside, o);
    cancel.throwIfCancelled();
    const int idCol = r.particles.indexOf("id_a");
    columns = r.particles.columnCount();
    for (std::int64_t row = 0; row < r.particles.rowCount(); ++row) {
      const auto it = za.find(std::uint32_t(r.particles.value(row, idCol)));
      if (it == za.end() || it->second.centroidSlice() < z0 || it->second.centroidSlice() >= z1) continue;
      std::vector<double> v(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) v[std::size_t(c)] = r.particles.value(row, c);
      rows.push_back(std::move(v));
    }
    for (const std::uint32_t ib : r.unmatchedIdsB) {
      const auto it = zb.find(ib);
      if (it != zb.end() && it->second.zMin >= z0 && it->second.zMin < z1) out.unmatchedIdsB.push_back(ib);
    }
  }
  // Joined in id order (the whole comparison's row order); the counts as compareTimePoints makes them.
  std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x[0] < y[0]; });
  Table& t = out.particles;
  t.resizeRows(std::int64_t(rows.size()));
  const int matched = t.indexOf("matched"), fractured = t.indexOf("fractured"), insideB = t.indexOf("inside_b");
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (int c = 0; c < columns; ++c) t.set(std::int64_t(r), c, rows[r][std::size_t(c)]);
    const std::int64_t row = std::int64_t(r);
    if (t.value(row, insideB) < 0.5) ++out.outside;
    else if (t.value(row, matched) != 1) ++out.lost;
    else ++out.matched;
    if (t.value(row, fractured) == 1) ++out.fractured;
  }
  out.unmatchedB = std::int64_t(out.unmatchedIdsB.size());
  out.depthProfile = evolutionDepthProfile(t, options.binWidthUm > 0 ? options.binWidthUm : 10);
  progress.setProgress(1.0, "Done");
  return out;
}

MemoryEvolutionSource::MemoryEvolutionSource(const TimePoint& a, const TimePoint& b, const RegistrationResult& registration)
    : m_a(a), m_b(b), m_registration(registration) {
  if (!a.image || !a.labels || !a.cracks || !b.image || !b.labels || !b.cracks)
    throw std::invalid_argument("evolution: a time point lacks its image, labels or cracks");
}

volume::VolumeInfo MemoryEvolutionSource::grid() const { return m_a.image->info(); }

volume::Volume MemoryEvolutionSource::resampled(const volume::Volume& v, std::int64_t z0, std::int64_t z1,
                                                volume::Volume* inside) const {
  const volume::VolumeInfo g = grid();
  const volume::Size3 size{g.size.x, g.size.y, z1 - z0};
  volume::Volume out(size, v.type(), g.spacing, g.origin);
  if (inside) *inside = volume::Volume(size, volume::VoxelType::UInt8, g.spacing, g.origin);
  const volume::Region part = sourceRegion(m_registration, g, v.info(), z0, z1);
  if (!part.empty())
    resampleSlab(v.crop(part), part, v.info(), m_registration, g, z0, z0, z1, out, inside,
                 v.type() == volume::VoxelType::UInt8 || v.type() == volume::VoxelType::UInt32);
  return out;
}

void MemoryEvolutionSource::labels(std::int64_t z0, std::int64_t z1, volume::Volume& a, volume::Volume& b) {
  a = m_a.labels->crop(volume::Region::slab(m_a.labels->size(), z0, z1));
  b = resampled(*m_b.labels, z0, z1, nullptr);
}

void MemoryEvolutionSource::slab(std::int64_t z0, std::int64_t z1, Slab& a, Slab& b, volume::Volume& insideB) {
  const volume::Region r = volume::Region::slab(m_a.image->size(), z0, z1);
  a.image = m_a.image->crop(r);
  a.labels = m_a.labels->crop(r);
  a.cracks = m_a.cracks->crop(r);
  b.image = resampled(*m_b.image, z0, z1, &insideB);
  b.labels = resampled(*m_b.labels, z0, z1, nullptr);
  b.cracks = resampled(*m_b.cracks, z0, z1, nullptr);
}

} // namespace core::analysis
