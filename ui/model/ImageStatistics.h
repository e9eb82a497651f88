#pragma once
/// \file ImageStatistics.h
/// A histogram of an image's finite values, for automatic window/level (percentiles) and for the
/// 3D transfer functions. Computed once per loaded image, on the loading thread.

#include "core/volume/Volume.h"

#include <cstdint>
#include <vector>

namespace ui {

class ImageStatistics {
public:
  /// Histogram of \p image. Reads at most about \p maxSamples voxels (a regular subsample of whole
  /// slices, so cost stays bounded on huge volumes); integer types up to 16 bits get one bin per
  /// value, others 4096 bins between the finite min and max. NaN and Inf are counted apart.
  /// Any thread; \p image must not change meanwhile.
  static ImageStatistics compute(const core::volume::Volume& image, std::int64_t maxSamples = 16'000'000);

  bool empty() const { return m_total == 0; }
  double min() const { return m_min; }   ///< smallest finite sampled value
  double max() const { return m_max; }   ///< largest finite sampled value
  std::int64_t nanCount() const { return m_nan; } ///< NaN and Inf among the samples
  /// Value below which \p percent % of the finite samples lie (0..100), interpolated in the bin.
  double percentile(double percent) const;
  const std::vector<std::int64_t>& bins() const { return m_bins; }
  double binWidth() const { return m_binWidth; }

private:
  std::vector<std::int64_t> m_bins;
  double m_min = 0, m_max = 0, m_binOrigin = 0, m_binWidth = 1;
  std::int64_t m_total = 0, m_nan = 0;
  bool m_integerBins = false; ///< one bin per integer value
};

} // namespace ui
