#pragma once
/// \file Threshold.h
/// Automatic grey-value thresholds for the solid (particle) phase.

#include "core/volume/Volume.h"

#include <limits>
#include <string>
#include <vector>

namespace core::analysis {

/// How the solid threshold is chosen when the user gives none.
enum class ThresholdMethod {
  /// Three-class Otsu (pores / carbon-binder / particles, upper two classes) when the particles
  /// are a mode of their own, else two-class Otsu: each class holds at least 1% of the voxels and
  /// between the means of the two upper classes the histogram dips to at most 0.85 of its height
  /// at those means (halving one mode gives no dip). Pores and binder may blur into one mode.
  Auto,
  Otsu,     ///< two-class Otsu
  MultiOtsu ///< upper threshold of three-class Otsu
};

/// What the automatic threshold found. Grey values are in the image's units. Otsu (two or three
/// classes) decides which two classes to separate; the threshold is the midpoint of their mean
/// grey values, so blurred edges are cut half-way and particle surfaces keep their place.
struct ThresholdResult {
  double value = 0;            ///< the chosen threshold (midpoint of class means): voxels >= value are solid
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

/// The histogram automaticThreshold() uses, gathered over the parts of one image (slabs read one
/// after another) in two passes: addRange() for every part, then addCounts() for every part;
/// the threshold then equals automaticThreshold() of the whole image. Finite voxels only.
class ThresholdHistogram {
public:
  void addRange(const volume::Volume& part);
  /// Throws std::invalid_argument ("the image has a single grey value ...") on the first call
  /// when the range holds fewer than two distinct values.
  void addCounts(const volume::Volume& part);
  ThresholdResult threshold(ThresholdMethod method = ThresholdMethod::Auto) const;

private:
  double m_lo = std::numeric_limits<double>::infinity(), m_hi = -std::numeric_limits<double>::infinity();
  bool m_integral = true;
  double m_width = 1;
  std::vector<double> m_counts;
};

/// The same on a histogram: \p counts of bins whose lower edges are lo + i * width.
ThresholdResult thresholdFromHistogram(const std::vector<double>& counts, double lo, double width,
                                       ThresholdMethod method);

} // namespace core::analysis
