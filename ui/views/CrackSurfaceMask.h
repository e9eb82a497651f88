#pragma once
/// \file CrackSurfaceMask.h
/// A downsampled binary mask of the crack class, the input of the 3D crack surface: labels equal to
/// "crack", or prediction at or above a threshold. A block of factor^3 voxels is set when any of
/// its voxels is, so thin cracks survive downsampling. Kept up to date region by region, so a
/// label edit costs what it touched. GUI thread (reads the session's volumes).

#include "core/volume/Volume.h"

namespace ui {

class CrackSurfaceMask {
public:
  enum class Source { Labels, Prediction };

  /// Rebuilds from \p source (uint8, labels or prediction) at \p factor (1 = full resolution).
  /// \p threshold: prediction values >= threshold count (ignored for labels).
  void rebuild(const core::volume::Volume& source, Source kind, int threshold, int factor);
  /// Recomputes the blocks that \p region (voxels of the source) touches.
  void update(const core::volume::Volume& source, const core::volume::Region& region);
  void clear();

  /// uint8, 1 = crack; spacing is the source's x factor. Empty when cleared.
  const core::volume::Volume& mask() const { return m_mask; }
  int factor() const { return m_factor; }
  /// Number of set blocks (0: no surface to show).
  std::int64_t count() const;

private:
  void fillBlocks(const core::volume::Volume& source, const core::volume::Region& blocks);
  core::volume::Volume m_mask;
  Source m_kind = Source::Labels;
  int m_threshold = 128;
  int m_factor = 1;
};

} // namespace ui
