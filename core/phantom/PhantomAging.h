#pragma once
/// \file PhantomAging.h
/// A later time point of the same phantom electrode (issue 19): the particles of a phantom after
/// `cycles` charge cycles, scanned again. Ageing happens in the frame of the first scan: cracks
/// grow inside their particles (dilated a few voxels, more with more cycles), some uncracked
/// particles start a new crack (a thin disc through them), some particles fracture (a crack
/// across the whole particle, the two halves becoming separate particles). Then the sample moves:
/// scan B is the aged electrode seen through a small rigid motion (rotation + translation) plus a
/// slight affine strain and a smooth sub-voxel warp, with fresh noise. Particle ids in B are
/// shuffled, so nothing can match particles by id. Deterministic from (scan A, options).
/// The truth: the motion, and per particle of A its ids in B and its crack counts in A and B
/// (counted in A's frame, before the motion). Any thread; single-threaded.

#include "core/phantom/Phantom.h"

#include <array>
#include <cstdint>
#include <vector>

namespace core::phantom {

struct AgingOptions {
  int cycles = 100;              ///< charge cycles since scan A; growth scales with cycles / 100
  std::uint64_t seed = 1;        ///< seed of the ageing and the motion (independent of A's seed)
  double rotationDeg = 3.0;      ///< rotation angle of the rigid motion, degrees (axis from the seed)
  double shift = 3.0;            ///< translation length, voxels (direction from the seed)
  double strain = 0.003;         ///< largest affine strain (0.003 = 0.3 %)
  double warp = 0.15;            ///< amplitude of the smooth non-affine warp, voxels
  double newCrackShare = 0.3;    ///< share of uncracked particles that start a crack (at 100 cycles)
  double fractureShare = 0.12;   ///< share of large particles that fracture (at 100 cycles)
  double noise = 0.02;           ///< fresh noise added to B, in units of the particle-pore contrast
  std::int64_t margin = 0;       ///< voxels cut from each face of the input for the two scans (see agePhantom)
};

/// The margin agePhantom needs so that scan B of a \p size scan still sees material everywhere.
std::int64_t agingMargin(const volume::Size3& size, const AgingOptions& options);

/// Truth of one particle of scan A.
struct AgedParticleTruth {
  std::uint32_t idA = 0;
  std::vector<std::uint32_t> idsB;   ///< its particles in B (two when fractured), largest first
  bool fractured = false;
  std::int64_t filledA = 0, crackA = 0; ///< voxels in A
  std::int64_t filledB = 0, crackB = 0; ///< voxels after ageing (all fragments), in A's frame
  double crackFractionA() const { return filledA ? double(crackA) / double(filledA) : 0.0; }
  double crackFractionB() const { return filledB ? double(crackB) / double(filledB) : 0.0; }
};

/// The affine map from scan A's voxel index to scan B's voxel index of the same material point
/// (the rigid motion and the strain; the warp, under 'warp' voxels, is left out).
struct IndexAffine {
  std::array<double, 9> m{1, 0, 0, 0, 1, 0, 0, 0, 1}; ///< row-major
  std::array<double, 3> t{0, 0, 0};
  volume::Vec3 apply(const volume::Vec3& p) const {
    return {m[0] * p.x + m[1] * p.y + m[2] * p.z + t[0], m[3] * p.x + m[4] * p.y + m[5] * p.z + t[1],
            m[6] * p.x + m[7] * p.y + m[8] * p.z + t[2]};
  }
};

struct AgedPhantom {
  Phantom first;                         ///< A: the input without its margin (ids as in the input); truth empty
  Phantom scan;                          ///< B: image, cracks, particles (shuffled ids); truth left empty
  IndexAffine aToB;                      ///< index in A -> index in B (without the warp)
  std::vector<AgedParticleTruth> particles; ///< one per particle present in scan A, in id order
  /// Where the material point at A's index \p p lies in B, warp included.
  volume::Vec3 mapAToB(const volume::Vec3& p) const;
  /// The centroids (indices in A) of the particles of A of at least \p minVoxels voxels that touch
  /// no face, in \p a, and their true places in B (mapAToB), in \p b: what registration is scored on.
  void interiorCentroids(std::int64_t minVoxels, std::vector<volume::Vec3>& a, std::vector<volume::Vec3>& b) const;
  double warp = 0;
  volume::Size3 size;
};

/// Ages \p a (a whole phantom, as generatePhantom returns it, generated options.margin voxels
/// larger on every side than the scans): scan A is its centre, scan B the aged electrode moved and
/// seen through the same centre window, so both scans see material up to their faces. Indices of
/// aToB and the truth are those of the two scans. Throws std::invalid_argument on bad options
/// (negative cycles, a rotation over 45 degrees, a margin that leaves nothing, an empty phantom).
AgedPhantom agePhantom(const Phantom& a, const AgingOptions& options);

} // namespace core::phantom
