#pragma once
/// \file PhantomSampler.h
/// Point-wise evaluation of the phantom (internal to core/phantom): for one voxel, its particle
/// id, whether it is crack, and its clean grey value before blur and noise. A pure function of
/// the geometry and the voxel position, so slabs and the whole volume agree bit for bit.
/// One Sampler per thread (it caches the grain seeds around the last voxel).

#include "core/phantom/PhantomGeometry.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace core::phantom::detail {

/// Clean grey levels (0..1) of the phases before blur, fringes and noise.
constexpr double kParticleLevel = 0.80;
constexpr double kBinderLevel = 0.44;
constexpr double kPoreLevel = 0.10;
/// Cracks are voids too, but the edge fringes of the bright grains on both sides of a thin crack
/// darken it below the pores: a slightly higher level keeps the two equally dark in the image.
constexpr double kCrackLevel = 0.15;

struct VoxelSample {
  std::uint32_t particle = 0; ///< 1-based particle id, 0 = none
  bool crack = false;
  Phase phase = Phase::Pore;  ///< (only when sampled with full = true)
  float value = 0;            ///< clean grey value (only when sampled with full = true)
};

class Sampler {
public:
  explicit Sampler(const Geometry& geometry);
  /// Evaluates voxel (x, y, z). With \p full false only the particle id and the cracks inside
  /// particles are computed (what the per-particle truth needs); cracks in the binder and the
  /// grey value are left out.
  VoxelSample sample(std::int64_t x, std::int64_t y, std::int64_t z, bool full);

private:
  struct Seed {
    P3 p;
    double tint = 0;          ///< grain brightness, -1..1
    std::uint32_t owner = 0;  ///< particle whose sphere holds the seed, 0 = none
  };
  /// A z layer of grain cells over the whole x-y extent (plus one cell around it).
  struct Layer {
    std::int64_t cz = std::numeric_limits<std::int64_t>::min();
    std::vector<Seed> seeds;
  };
  /// The 27 seeds around the current cell, relative to the cell's corner, in float and laid
  /// out for vectorised distance computations (padded to 32 with far-away seeds).
  struct Cell {
    static constexpr int kSeeds = 27, kPadded = 32;
    bool valid = false;
    std::int64_t cx = 0, cy = 0, cz = 0;
    P3 corner;
    alignas(32) float x[kPadded], y[kPadded], z[kPadded];
    float tint[kSeeds];
    std::uint32_t owner[kSeeds];
  };
  const Layer& layer(std::int64_t cz);
  void loadCell(std::int64_t cx, std::int64_t cy, std::int64_t cz);
  std::uint32_t ownerOf(const P3& s) const;
  /// Whether \p p is crack in the truth. With \p dark given (partial-volume sheets), also how far
  /// the crack darkens the voxel (0..1: coverage times the local contrast), even outside the truth.
  bool crackHit(const CrackSheet& c, const P3& p, std::uint32_t particle, int s1, const float* d2,
                float* dark = nullptr) const;
  /// Realistic preset: whether \p p lies in a thin gap between two touching particles.
  bool contactGap(const P3& p, const std::uint32_t* begin, const std::uint32_t* end) const;
  /// Realistic preset: the grey level of the pore of particle \p id (1-based) at \p p, or < 0.
  double poreLevel(std::uint32_t id, const P3& p) const;
  /// The particle (0-based index, or -1) whose core holds \p p among the candidates [b, e);
  /// \p near: \p p lies within the bulge limit of one of them (the grain seeds decide there).
  int coreParticle(const P3& p, const std::uint32_t* b, const std::uint32_t* e, bool& near) const;
  /// Whether \p p, outside every particle, is carbon-binder; \p sponge gets its texture.
  bool binderAt(const P3& p, const std::uint32_t* candBegin, const std::uint32_t* candEnd, double& sponge) const;
  /// The grey level of particle \p particle (1-based) at the voxel whose nearest grain seed is
  /// \p s1 (seed distances \p d2 in m_cell): grains, darker seams, a density per particle.
  double particleGrey(std::uint32_t particle, int s1, const float* d2) const;

  const Geometry& m_geo;
  double m_g;
  std::uint64_t m_grainKey, m_textureKey, m_binderKey, m_realKey;
  bool m_real = false;
  Cell m_cell;
  std::int64_t m_cx0 = 0, m_cy0 = 0, m_ncx = 0, m_ncy = 0; // cell range of a layer
  Layer m_layers[4];
};

} // namespace core::phantom::detail
