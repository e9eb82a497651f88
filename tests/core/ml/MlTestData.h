#pragma once
// Small synthetic crack data for the core/ml tests: a textured grey image with bright discs
// (particles), dark round pores (not cracks) and thin dark lines (cracks), with labels in the
// convention (1 not crack, 2 crack, every voxel labelled).
#include "core/labels/LabelConvention.h"
#include "core/volume/Volume.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>

namespace mltest {

using core::volume::Volume;
using core::volume::VoxelType;

inline std::pair<Volume, Volume> crackVolume(int w, int h, int d, std::uint64_t seed, int cracksPerSlice = 3) {
  Volume img({w, h, d}, VoxelType::UInt16), lab({w, h, d}, VoxelType::UInt8);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 25.0);
  for (int z = 0; z < d; ++z) {
    std::uint16_t* p = img.as<std::uint16_t>() + std::int64_t(z) * w * h;
    std::uint8_t* l = lab.as<std::uint8_t>() + std::int64_t(z) * w * h;
    for (int i = 0; i < w * h; ++i) {
      p[i] = std::uint16_t(1000 + noise(rng));
      l[i] = core::labels::kNotCrack;
    }
    // A pore: dark, round, not a crack.
    const double px = u(rng) * w, py = u(rng) * h, pr = 3 + 3 * u(rng);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        if ((x - px) * (x - px) + (y - py) * (y - py) < pr * pr) p[y * w + x] = std::uint16_t(450 + noise(rng));
    for (int c = 0; c < cracksPerSlice; ++c) {
      const double cx = u(rng) * w, cy = u(rng) * h, a = u(rng) * 3.14159265;
      const double dx = std::cos(a), dy = std::sin(a);
      const double len = 0.25 * w + 0.4 * w * u(rng);
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          const double rx = x - cx, ry = y - cy;
          const double along = rx * dx + ry * dy, across = std::abs(-rx * dy + ry * dx);
          if (std::abs(along) < len / 2 && across < 1.0) {
            p[y * w + x] = std::uint16_t(400 + noise(rng));
            l[y * w + x] = core::labels::kCrack;
          }
        }
    }
  }
  return {std::move(img), std::move(lab)};
}

} // namespace mltest
