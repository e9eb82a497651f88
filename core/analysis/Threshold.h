#pragma once
/// \file Threshold.h
/// Automatic grey-value thresholds for the solid (particle) phase.

#include "core/volume/Volume.h"

#include <string>
#include <vector>

namespace core::analysis {

/// How the solid threshold is chosen when the user gives none.
enum class ThresholdMethod {
  /// Three-class Otsu (pores / carbon-binder / particles, upper threshold) when the histogram has
  /// three modes, else two-class Otsu. Three modes: each class holds at least 1% of the voxels and
  /// neighbouring class means are at least 1.75 times the sum of their standard deviations apart.
  Auto,
  Otsu,     ///< two-class Otsu
  MultiOtsu ///< upper threshold of three-class Otsu
};

/// What the automatic threshold found. Grey values are in the image's units.
struct ThresholdResult {
  double value = 0;            ///< the chosen threshold: voxels >= value are solid
  std::string method;          ///< "otsu", "multi-otsu", "user"
  double otsu = 0;             ///< two-class threshold
  double multiOtsuLow = 0;     ///< three-class thresholds
  double multiOtsuHigh = 0;
  double separabilityTwo = 0;  ///< between-class / total variance, two classes (0..1)
  double separabilityThree = 0;///< same, three classes
};

/// Computes the thresholds over the finite voxels of \p image (256 bins between min and max).
/// Throws std::invalid_argument when the image is empty or has fewer than two distinct values.
ThresholdResult automaticThreshold(const volume::Volume& image, ThresholdMethod method = ThresholdMethod::Auto);

/// The same on a histogram: \p counts of bins whose lower edges are lo + i * width.
ThresholdResult thresholdFromHistogram(const std::vector<double>& counts, double lo, double width,
                                       ThresholdMethod method);

} // namespace core::analysis
