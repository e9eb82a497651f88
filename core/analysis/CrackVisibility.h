#pragma once
/// \file CrackVisibility.h
/// How visible each true crack voxel is in the image, and how much of each visibility class a
/// prediction finds: the explanation behind a phantom's crack Dice. A crack voxel's darkening is
/// how much darker it is than the mean of the solid, non-crack voxels around it in its slice
/// (a square window), over the contrast between the median particle and the median pore grey:
/// 0 = as bright as the particle around it (invisible), 1 = as dark as a pore. Sub-voxel and
/// partly filled cracks have small darkening; a model cannot find what the noise hides.

#include "core/volume/Volume.h"

#include <cstdint>
#include <vector>

namespace core::analysis {

struct VisibilityBin {
  double low = 0, high = 0;      ///< darkening in [low, high)
  std::int64_t truthVoxels = 0;  ///< true crack voxels in the bin
  std::int64_t found = 0;        ///< of those, predicted crack
  double recall() const { return truthVoxels ? double(found) / double(truthVoxels) : 0.0; }
};

struct CrackVisibility {
  std::vector<VisibilityBin> bins;
  std::int64_t truthVoxels = 0;  ///< all true crack voxels with solid voxels around them
  double particleGrey = 0;       ///< median grey of particle voxels that are not crack
  double poreGrey = 0;           ///< median grey of voxels outside every particle
  double noise = 0;              ///< sd of (grey - local solid mean) over solid non-crack voxels, over the contrast
  /// Share of the true crack voxels with darkening below \p below, and the recall among them.
  double shareBelow(double below) const;
  double recallBelow(double below) const;
  double recallFrom(double from) const;
};

/// \p image (any type), \p truth (crack mask, non-zero = crack), \p particles (labels, non-zero =
/// particle; cracks inside particles carry its id) and \p predicted (probabilities or a mask;
/// > \p threshold = crack) of the same size. The window is (2 radius + 1)^2 in each XY slice.
/// \p edges are the bin limits (ascending; below the first and from the last go to open bins).
/// Throws std::invalid_argument on different sizes or an image without particle or pore voxels.
CrackVisibility crackVisibility(const volume::Volume& image, const volume::Volume& truth,
                                const volume::Volume& particles, const volume::Volume& predicted,
                                double threshold = 0.5, int radius = 4,
                                const std::vector<double>& edges = {0.1, 0.2, 0.3, 0.5, 0.75});

} // namespace core::analysis
