#pragma once
/// \file Registration.h
/// Registration of a second scan B of the same sample onto the first, A (issue 19): rigid (Euler
/// angles and translation), then affine where it helps (TransformMode), multi-resolution (ITK's v4 registration
/// framework, mean squares of the z-scored grey values, shrink factors 4, 2, 1 with smoothing),
/// on a coarse copy of both scans (block means down to at most coarseSize voxels per axis), so the
/// cost does not grow with the full resolution. Works in physical units (micrometres), so scans of
/// different voxel sizes register and resample onto A's grid. The quality measure is the
/// normalised correlation of A and the registered B over their overlap, on copies twice as coarse.
/// Any thread; ITK uses its own threads.

#include "core/volume/Volume.h"

#include <array>
#include <limits>
#include <string>

namespace core::analysis {

/// Which transform maps A onto B. Auto: rigid, then affine started from the rigid result; the
/// affine is kept when it is physically plausible (scales within maxAffineScale of 1, shear under
/// maxAffineShear), raises the quality (normalised correlation) by at least minAffineGain and
/// moves some of A's field at least minAffineShiftVoxels away from where the rigid map puts it;
/// otherwise the rigid is kept. RegistrationResult::choice says which and why.
enum class TransformMode { Rigid, Affine, Auto };
/// "rigid", "affine", "auto".
const char* transformModeName(TransformMode mode);

struct RegistrationOptions {
  TransformMode transform = TransformMode::Auto;
  double maxAffineScale = 0.05;     ///< auto: largest |scale - 1| of a plausible affine (the phantom's strain: 0.3 %)
  double maxAffineShear = 0.05;     ///< auto: largest |cosine| between the affine's axes
  double minAffineGain = 2e-4;      ///< auto: smallest rise of the normalised correlation that keeps the affine
  double minAffineShiftVoxels = 0.25; ///< auto: smallest distance, in A's voxels, the affine moves a corner of A's field from the rigid map
  std::int64_t coarseSize = 128;    ///< largest size per axis of the coarse copies, voxels
  double minCorrelation = 0.4;      ///< refuse below this normalised correlation (phantom pairs: about 0.65; unrelated scans: about 0.15)
  double minOverlap = 0.25;         ///< refuse when less of A than this overlaps B
};

/// An affine map of points: q = m p + t (m row-major).
struct AffineMap {
  std::array<double, 9> m{1, 0, 0, 0, 1, 0, 0, 0, 1};
  std::array<double, 3> t{0, 0, 0};
  volume::Vec3 apply(const volume::Vec3& p) const {
    return {m[0] * p.x + m[1] * p.y + m[2] * p.z + t[0], m[3] * p.x + m[4] * p.y + m[5] * p.z + t[1],
            m[6] * p.x + m[7] * p.y + m[8] * p.z + t[2]};
  }
};

struct RegistrationResult {
  AffineMap physical;          ///< point of A (um) -> the same material point in B (um)
  double correlation = 0;      ///< normalised correlation of A and registered B over the overlap
  double overlap = 0;          ///< share of A's coarse voxels that map inside B
  double rotationDeg = 0;      ///< rotation angle of the rigid stage
  volume::Vec3 translationUm;  ///< translation of the rigid stage, um
  bool affine = false;         ///< the affine transform was kept (forced, or chosen by auto)
  TransformMode mode = TransformMode::Auto; ///< what was asked
  double rigidCorrelation = 0; ///< quality of the rigid stage alone
  double affineCorrelation = std::numeric_limits<double>::quiet_NaN(); ///< quality of the affine stage (NaN: not run)
  double affineShiftVoxels = 0;///< largest distance (A's voxels) the affine moves a corner of A from the rigid map
  double affineScale = 0, affineShear = 0; ///< largest |scale - 1| and |cosine between axes| of the affine
  std::string choice;          ///< which transform was used and why, with both quality figures
  bool spacingDiffers = false; ///< B's voxel size differs from A's: B was resampled to A's
  int shrinkA = 1, shrinkB = 1;///< block size of the coarse copies
  double seconds = 0;
  /// Index of A -> continuous index of B.
  AffineMap indexMap(const volume::VolumeInfo& a, const volume::VolumeInfo& b) const;
  /// One line: the transform and the quality ("rigid: rotation 2.9 deg, translation (..) um, ...").
  std::string describe() const;
};

/// Registers \p b onto \p a (grey images of any type) through coarse copies of both
/// (coarseCopy, registrationFactor). \p nameA and \p nameB name the scans in messages. Throws
/// std::runtime_error naming both when the scans do not overlap enough or do not register
/// (correlation below options.minCorrelation), with the measured quality.
RegistrationResult registerScans(const volume::Volume& a, const volume::Volume& b, const RegistrationOptions& options,
                                 const std::string& nameA, const std::string& nameB);

/// The registration itself, from coarse copies only: \p coarseA and \p coarseB (block means of
/// the scans whose full-resolution grids are \p fullA and \p fullB, with the spacing and origin
/// of their block centres: coarseCopy, a pyramid level, or a file read downsampled with the
/// origin moved to the block centres). Full-resolution voxels are never needed, so scans larger
/// than memory register from their coarse levels. Errors as registerScans.
RegistrationResult registerCoarse(const volume::Volume& coarseA, const volume::Volume& coarseB, const volume::VolumeInfo& fullA,
                                  const volume::VolumeInfo& fullB, const RegistrationOptions& options, const std::string& nameA,
                                  const std::string& nameB);

/// Block means of \p v over \p factor^3 blocks (volume::downsampleMean) with the origin of the
/// block centres; a copy when factor <= 1.
volume::Volume coarseCopy(const volume::Volume& v, int factor);
/// The block size of A's coarse copy: its longest side at most \p coarseSize voxels.
int registrationFactor(const volume::Size3& size, std::int64_t coarseSize);
/// The block size of B's coarse copy for A's \p factorA: about the same voxel size as A's copy.
int registrationFactorB(const volume::VolumeInfo& a, const volume::VolumeInfo& b, int factorA);

/// \p b resampled onto the grid \p grid (A's) through \p r: labels and masks (uint8, uint32) by
/// nearest neighbour, grey images linearly (same type). Voxels that map outside B are 0; when
/// \p inside is given it receives a uint8 mask of the voxels that map inside B.
volume::Volume resampleOnto(const volume::Volume& b, const RegistrationResult& r, const volume::VolumeInfo& grid,
                            volume::Volume* inside = nullptr);
/// The same with the interpolation chosen by the caller: \p nearest (labels, masks, crack
/// volumes thresholded later) or linear, whatever \p b's type.
volume::Volume resampleOnto(const volume::Volume& b, const RegistrationResult& r, const volume::VolumeInfo& grid,
                            bool nearest, volume::Volume* inside = nullptr);

/// The region of B (voxels, inside \p b's size) that slices [z0, z1) of A's \p grid map into
/// through \p r, with a voxel to spare for interpolation (empty when they map outside B): what
/// resampling those slices needs to read of B.
volume::Region sourceRegion(const RegistrationResult& r, const volume::VolumeInfo& grid, const volume::VolumeInfo& b,
                            std::int64_t z0, std::int64_t z1);
/// Slab by slab resampling: slices [z0, z1) of \p out (on A's grid, B's voxel type) from \p part,
/// which holds region \p partRegion (sourceRegion) of scan B whose full grid is \p b; as
/// resampleOnto, \p inside (uint8 on A's grid, may be null) gets 1 where B was scanned; \p nearest:
/// nearest neighbour (labels, masks) instead of linear. So B is resampled onto A's grid reading one
/// slab of B at a time, never the whole of it.
void resampleSlab(const volume::Volume& part, const volume::Region& partRegion, const volume::VolumeInfo& b,
                  const RegistrationResult& r, std::int64_t z0, std::int64_t z1, volume::Volume& out, volume::Volume* inside,
                  bool nearest);
/// The same into \p out (and \p inside) holding slices from \p outZ0 of A's grid \p grid (slice 0
/// of out is slice outZ0 of the grid); the values are those of the whole grid's slices, bit for bit.
void resampleSlab(const volume::Volume& part, const volume::Region& partRegion, const volume::VolumeInfo& b,
                  const RegistrationResult& r, const volume::VolumeInfo& grid, std::int64_t outZ0, std::int64_t z0,
                  std::int64_t z1, volume::Volume& out, volume::Volume* inside, bool nearest);

} // namespace core::analysis
