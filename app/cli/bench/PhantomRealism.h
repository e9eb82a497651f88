#pragma once
/// \file PhantomRealism.h
/// How close a phantom slice looks to a real nano-CT slice (for `cdnet bench phantom --real`):
/// grey-level histogram after z-scoring, radially averaged power spectrum in bands, a texture
/// measure, the share of dark pixels that are not crack, and how wide the cracks are next to the
/// particles. 2D, one slice at a time.

#include <array>
#include <cstdint>
#include <vector>

namespace cli {

/// A 2D grey image (any scale) and its crack mask (1 = crack), row-major.
struct GreySlice {
  int width = 0, height = 0;
  std::vector<float> grey;
  std::vector<std::uint8_t> crack;
};

/// Measures of one slice or of several pooled.
struct SliceStats {
  static constexpr int kBins = 64;                   ///< histogram of z-scores over [-4, 4]
  static constexpr int kBands = 5;                   ///< power-spectrum bands (see bandEdges())
  std::array<double, kBins> histogram{};             ///< normalised to sum 1
  std::array<double, kBands> power{};                ///< share of the power in each band, sum 1
  std::array<double, 7> quantiles{};                 ///< z-scores at 1, 5, 25, 50, 75, 95, 99 %
  double texture = 0;     ///< fine-scale roughness of the bright phase: std of (z - 5x5 mean) there
  double darkNotCrack = 0;///< share of pixels at most as dark as the median crack pixel that are not crack
  double crackFraction = 0;
  double crackWidth = 0;  ///< mean crack width at its ridges (2 x the distance-transform maximum - 1), pixels
  double solidChord = 0;  ///< mean length of the solid runs (bright above Otsu, or crack; 3 px or more) along rows and columns
  int slices = 0;
  /// Crack width over the solid chord: how wide the cracks are next to the particles, whatever the pixel size.
  double relativeCrackWidth() const { return solidChord > 0 ? crackWidth / solidChord : 0; }
};

/// The edges of the power bands in cycles per pixel (kBands + 1 values).
const std::array<double, SliceStats::kBands + 1>& bandEdges();
/// The quantile levels of SliceStats::quantiles (fractions).
const std::array<double, 7>& quantileLevels();

/// Measures \p slice; throws std::invalid_argument when it is smaller than 32 x 32 or flat.
SliceStats measureSlice(const GreySlice& slice);
/// The mean of several slices' measures.
SliceStats pooled(const std::vector<SliceStats>& slices);

/// Total-variation distance of the two histograms (0 = same, 1 = disjoint).
double histogramDistance(const SliceStats& a, const SliceStats& b);
/// Mean absolute log10 ratio of the band powers (0 = same spectrum shape).
double spectrumDistance(const SliceStats& a, const SliceStats& b);

} // namespace cli
