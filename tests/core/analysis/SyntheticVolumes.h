#pragma once
// Small synthetic cathodes for the analysis tests: bright spheres on a mid-grey binder with
// planar cracks, with exact truth (particle labels, crack mask, crack fractions).
#include "core/analysis/Evaluation.h"
#include "core/volume/Volume.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace testvol {

using core::volume::Size3;
using core::volume::Vec3;
using core::volume::Volume;
using core::volume::VoxelType;

struct Sphere {
  double cx, cy, cz, r;        // voxels
  double thickness = 0;        // crack thickness in voxels (0 = no crack)
  double nx = 0, ny = 0, nz = 1; // crack plane normal (unit)
  double offset = 0;           // crack plane offset from the centre, voxels
};

struct Synthetic {
  Volume image;  // uint16: particles 3000, binder 1000, cracks 400, + noise
  Volume cracks; // uint8 0/1
  Volume truth;  // uint32 particle labels (cracks inside carry the label)
  std::vector<core::analysis::TruthParticle> truthList;
  std::vector<std::int64_t> truthVoxels, truthCrackVoxels; // index = id
};

inline Synthetic makeSpheres(Size3 size, Vec3 spacing, const std::vector<Sphere>& spheres, double noise = 60,
                             std::uint64_t seed = 7) {
  Synthetic s;
  s.image = Volume(size, VoxelType::UInt16, spacing);
  s.cracks = Volume(size, VoxelType::UInt8, spacing);
  s.truth = Volume(size, VoxelType::UInt32, spacing);
  s.truthVoxels.assign(spheres.size() + 1, 0);
  s.truthCrackVoxels.assign(spheres.size() + 1, 0);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> gauss(0, noise > 0 ? noise : 1);
  auto* img = s.image.as<std::uint16_t>();
  auto* cr = s.cracks.as<std::uint8_t>();
  auto* tr = s.truth.as<std::uint32_t>();
  for (std::int64_t z = 0; z < size.z; ++z)
    for (std::int64_t y = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x) {
        const std::int64_t i = x + size.x * (y + size.y * z);
        // The sphere this voxel belongs to: inside, smallest d / r.
        int best = -1;
        double bestRatio = 1.0;
        for (std::size_t k = 0; k < spheres.size(); ++k) {
          const Sphere& p = spheres[k];
          const double d = std::sqrt((x - p.cx) * (x - p.cx) + (y - p.cy) * (y - p.cy) + (z - p.cz) * (z - p.cz));
          if (d / p.r <= bestRatio) bestRatio = d / p.r, best = int(k);
        }
        double v = 1000;
        if (best >= 0) {
          const Sphere& p = spheres[std::size_t(best)];
          tr[i] = std::uint32_t(best + 1);
          ++s.truthVoxels[std::size_t(best) + 1];
          v = 3000;
          if (p.thickness > 0) {
            const double dist = (x - p.cx) * p.nx + (y - p.cy) * p.ny + (z - p.cz) * p.nz - p.offset;
            if (std::fabs(dist) <= p.thickness / 2) {
              cr[i] = 1;
              v = 400;
              ++s.truthCrackVoxels[std::size_t(best) + 1];
            }
          }
        }
        if (noise > 0) v += gauss(rng);
        img[i] = std::uint16_t(std::clamp(v, 0.0, 65535.0));
      }
  for (std::size_t k = 1; k < s.truthVoxels.size(); ++k)
    s.truthList.push_back({std::uint32_t(k), s.truthVoxels[k] ? double(s.truthCrackVoxels[k]) / double(s.truthVoxels[k]) : 0});
  return s;
}

/// Random packing of spheres (radii rMin..rMax voxels, slight overlaps allowed) up to the solid
/// fraction, a share of them with one planar crack of 1-2 voxels.
inline std::vector<Sphere> randomSpheres(Size3 size, double rMin, double rMax, double solidFraction, double cracked,
                                         std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<Sphere> out;
  double volume = 0;
  const double target = solidFraction * double(size.count());
  for (int attempt = 0; attempt < 20000 && volume < target; ++attempt) {
    Sphere s{};
    s.r = rMin + (rMax - rMin) * u(rng);
    s.cx = u(rng) * double(size.x);
    s.cy = u(rng) * double(size.y);
    s.cz = u(rng) * double(size.z);
    bool ok = true;
    for (const Sphere& o : out) {
      const double d = std::sqrt((s.cx - o.cx) * (s.cx - o.cx) + (s.cy - o.cy) * (s.cy - o.cy) + (s.cz - o.cz) * (s.cz - o.cz));
      if (d < 0.92 * (s.r + o.r)) ok = false;
    }
    if (!ok) continue;
    if (u(rng) < cracked) {
      s.thickness = 1 + u(rng);
      double n[3] = {u(rng) - 0.5, u(rng) - 0.5, u(rng) - 0.5};
      const double len = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]) + 1e-9;
      s.nx = n[0] / len, s.ny = n[1] / len, s.nz = n[2] / len;
      s.offset = (u(rng) - 0.5) * s.r;
    }
    out.push_back(s);
    volume += 4.0 / 3.0 * M_PI * s.r * s.r * s.r;
  }
  return out;
}

} // namespace testvol
