#pragma once
/// \file ParticleSegmentation.h
/// Particle segmentation that keeps cracked particles whole (CDNET.md, last section):
/// 1. solid phase = smoothed image >= threshold (Gaussian of `smoothing` voxels against noise;
///    the threshold is automatic from the raw grey-value histogram (Threshold.h), or given);
/// 2. the cracks (a prediction or labels) are filled back into the solid where they lie inside a
///    particle (a crack voxel is kept when a ball of crackFillRadius voxels that covers it fits in
///    solid + cracks, so crack sheets running through the carbon-binder are not added), then
///    enclosed holes are filled;
/// 3. touching particles are split by a watershed of the distance map with markers from its
///    regional maxima of sufficient height: a maximum of height p (micrometres) is its own particle
///    when it stands at least splitHeight * (p + splitOffset) above the saddle that joins it to a
///    higher maximum (h-maxima of log(distance + offset) with h = -log(1 - splitHeight));
///    3b. (contactRatio > 0, no markers) the distance map's low maxima in small or porous particles
///    let two touching particles pass that rule as one: the same flood at splitHeight / 2 cuts
///    more, and of its regions inside one particle of step 3 those that meet over a contact at
///    least contactRatio times as wide as the smaller side (ContactMerge.h) are joined again, the
///    widest first, so a particle cut at a crack, pore or lobe stays whole and a neck stays cut;
/// 4. fragments below minVolume voxels are merged into the neighbour they share the most faces
///    with, or dropped when they touch none; holes that ended up between two particles are emptied;
///    crack voxels within a few voxels of another particle (the gap where two particles touch,
///    which masks mark as crack) are given back too;
/// 5. particles are numbered 1..N in raster order of their first voxel.
/// Thread affinity: any thread; uses workerCount() threads internally.

#include "core/analysis/Threshold.h"
#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

#include <cstdint>
#include <optional>
#include <string>

namespace core::analysis {

/// Bit flags of the phase volume (uint8) that segmentation returns and statistics read.
enum PhaseBits : std::uint8_t {
  kPhaseSolid = 1,  ///< image >= solid threshold
  kPhaseCrack = 2,  ///< in the crack mask
  kPhaseFilled = 4, ///< in the filled particle phase (solid, kept cracks, filled holes)
};

/// Where the crack mask comes from and how it was made (for CSV comments).
struct CrackMask {
  volume::Volume mask;     ///< uint8, 1 = crack
  std::string description; ///< "labels (value 2 = crack)", "probability >= 0.5", ...
  std::int64_t crackVoxels = 0;
};

/// Turns a crack volume into a 0/1 mask:
/// - float32: a probability, crack where value >= threshold (default 0.5);
/// - integer volumes holding only 0, 1, 2 with at least one 2: the label convention
///   (core/labels/LabelConvention.h), crack = 2;
/// - other integer volumes: crack where value >= threshold when given, else where nonzero
///   (binary masks 0/1 or 0/255).
/// Throws std::invalid_argument on an empty volume or a NaN threshold.
CrackMask makeCrackMask(const volume::Volume& cracks, std::optional<double> threshold = std::nullopt);

/// The crack mask of a label volume (uint8, core/labels/LabelConvention.h): 1 where the label is
/// crack (2). Unlike makeCrackMask, labels without any crack give an empty mask, never "nonzero
/// = crack". Throws std::invalid_argument on an empty or non-uint8 volume.
CrackMask crackMaskFromLabels(const volume::Volume& labels);

struct SegmentationOptions {
  std::optional<double> solidThreshold; ///< grey value; voxels >= it are solid. Unset: automatic.
  double smoothing = 1.0;               ///< Gaussian sigma, voxels, before the threshold (0 = none)
  ThresholdMethod thresholdMethod = ThresholdMethod::Auto; ///< when solidThreshold is unset
  double crackFillRadius = 4;           ///< voxels; 0 fills every crack voxel
  double crackZone = 1.5;               ///< voxels around the crack mask filled with it (blur halo)
  bool fillHoles = true;
  double splitHeight = 0.2;             ///< relative marker height, 0..1 (see the file comment)
  double splitOffset = 2;               ///< voxels (converted with the smallest spacing)
  double contactRatio = 1.0;            ///< step 3b, 0 = off (see the file comment and contactRatio())
  std::int64_t minVolume = 1000;        ///< voxels; smaller fragments are merged or dropped
};

struct SegmentationStats {
  double solidThreshold = 0;
  std::string thresholdMethod;          ///< "user", "otsu", "multi-otsu"
  std::int64_t solidVoxels = 0;
  std::int64_t crackVoxelsFilled = 0;   ///< crack voxels added to the particle phase
  std::int64_t crackVoxelsRejected = 0; ///< crack voxels left out (outside particles)
  std::int64_t holeVoxelsFilled = 0;    ///< enclosed hole voxels kept in particles
  std::int64_t holeVoxelsEmptied = 0;   ///< hole voxels between particles, given back
  std::int64_t contactGapVoxelsReleased = 0; ///< crack voxels in gaps between particles, given back
  std::int64_t regionsBeforeMerge = 0;  ///< watershed regions
  std::int64_t fragmentsMerged = 0;
  std::int64_t fragmentsDropped = 0;
  std::uint32_t particleCount = 0;
  double seconds = 0;                   ///< wall time of the whole segmentation
};

struct Segmentation {
  volume::Volume labels; ///< uint32, particle id 1..N, 0 = no particle; spacing/origin of the image
  volume::Volume phases; ///< uint8, PhaseBits per voxel
  SegmentationStats stats;
};

/// Segments \p image (any voxel type) with the crack mask \p cracks (uint8 0/1 of the same size,
/// or an empty Volume for none). Throws std::invalid_argument with a clear message on a size
/// mismatch, spacing <= 0 or not finite, bad options, or an empty solid phase
/// ("no voxel is at or above the solid threshold ..."). Volumes must hold fewer than 2^32 voxels.
/// Reports progress; throws jobs::Cancelled when cancelled.
Segmentation segmentParticles(const volume::Volume& image, const volume::Volume& cracks,
                              const SegmentationOptions& options = {},
                              jobs::ProgressSink& progress = jobs::nullProgress(),
                              jobs::CancelToken& cancel = jobs::neverCancelled());

/// The same with particle markers: \p markers (uint32 of the image's size, 0 = none) seed the
/// split of step 3, each marker id one particle whose boundaries with the other marked particles
/// the markers decide (floodWithDynamics with seeds); maxima outside every marker still make
/// particles of their own. For a later scan of the same electrode, the earlier scan's particles
/// moved onto it and eroded (evolutionMarkers) make both segmentations agree on where touching
/// particles part. Throws std::invalid_argument as segmentParticles, and when the markers are not
/// a uint32 volume of the image's size.
Segmentation segmentParticles(const volume::Volume& image, const volume::Volume& cracks, const volume::Volume& markers,
                              const SegmentationOptions& options, jobs::ProgressSink& progress = jobs::nullProgress(),
                              jobs::CancelToken& cancel = jobs::neverCancelled());

/// Throws std::invalid_argument unless every spacing component is finite and > 0. \p what names
/// the volume for the message.
void checkSpacing(const volume::Vec3& spacing, const std::string& what);

} // namespace core::analysis
