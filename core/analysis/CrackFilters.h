#pragma once
/// \file CrackFilters.h
/// The baselines a scientist would try before a network (issue 14): a global grey threshold
/// (dark = crack), a 2D black top-hat (grey closing minus image) and a Hessian ridge filter for
/// dark thin lines (Sato or Frangi, 2D per slice), each tuned on labelled training slices to the
/// highest Dice and then applied to other slices. Images are per-slice z-scored
/// (core/ml/TrainingData.h normaliseSlice) by the caller, as the model sees them, so thresholds
/// transfer between slices and samples. No Qt, no VTK; OpenCV imgproc inside.

#include <cstdint>
#include <string>
#include <vector>

namespace core::analysis {

enum class CrackFilter {
  Threshold,   ///< response = -image (after optional smoothing): dark = crack
  BlackTopHat, ///< response = closing(image, disc of radius r) - image (after optional smoothing)
  Ridge        ///< response = max over scales of a Hessian line measure for dark lines
};

enum class RidgeMeasure {
  /// Sato et al. 1998, 2D, dark lines: with the eigenvalues l1 >= l2 of sigma^2 H, R = l1 *
  /// exp(-l2^2 / (2 (a l1)^2)) where l1 > 0, a = 0.5 when l2 > 0 (blob-like) and 2 otherwise; 0 where l1 <= 0.
  Sato,
  /// Frangi et al. 1998, 2D, dark lines: eigenvalues |m1| <= |m2| of sigma^2 H, m2 > 0,
  /// V = exp(-(m1/m2)^2 / (2 0.5^2)) (1 - exp(-(m1^2 + m2^2) / (2 c^2))), c half the largest
  /// Hessian norm of the slice at that scale; 0 where m2 <= 0.
  Frangi
};

/// "threshold", "tophat", "ridge".
const char* crackFilterName(CrackFilter filter);
const char* ridgeMeasureName(RidgeMeasure measure);

/// One filter with its settings; crack where response >= threshold.
struct CrackFilterParams {
  CrackFilter filter = CrackFilter::Threshold;
  double smooth = 0;                ///< Gaussian pre-smoothing sigma (threshold, top-hat); 0 = none
  int radius = 3;                   ///< top-hat disc radius in pixels
  RidgeMeasure measure = RidgeMeasure::Sato;
  std::vector<double> scales{1.0};  ///< ridge Gaussian sigmas in pixels
  double threshold = 0;             ///< on the response
  /// The settings in words ("radius 3, smoothing 1, threshold 0.82").
  std::string describe() const;
};

/// Response of one normalised slice (width * height floats, row-major) into \p out: higher
/// means more crack-like. Throws std::invalid_argument on bad settings (radius < 1, no scale,
/// a scale <= 0, a negative smoothing).
void crackResponse(const CrackFilterParams& params, const float* image, int width, int height, float* out);

/// 0/1 mask (width * height bytes) of response >= params.threshold.
void applyCrackFilter(const CrackFilterParams& params, const float* image, int width, int height, std::uint8_t* mask);

/// A training slice: the normalised image and labels in the convention (0 unlabelled and
/// ignored, 1 not crack, 2 crack), both width * height.
struct FilterSlice {
  int width = 0, height = 0;
  const float* image = nullptr;
  const std::uint8_t* labels = nullptr;
};

struct TuneOptions {
  /// Slices are taken evenly spaced until their pixels reach this (at least one slice), which
  /// bounds the tuning time on large training sets.
  std::int64_t maxPixels = 2'000'000;
};

struct TunedFilter {
  CrackFilterParams params;
  double trainDice = 0;          ///< Dice on the labelled pixels of the slices used
  int candidates = 0;            ///< settings tried (each with its best threshold)
  std::int64_t pixels = 0;       ///< labelled pixels the threshold search saw
  int slicesUsed = 0;
};

/// Tunes \p filter on \p train: a coarse grid of settings (threshold: smoothing 0, 0.5, 1, 1.5,
/// 2; top-hat: radius 1..8 x smoothing 0 and 1; ridge: Sato and Frangi at single scales 0.7, 1,
/// 1.5, 2, 3, 4), then a refinement (top-hat: smoothing around the best; ridge: the best measure
/// over every contiguous run of scales that holds the best single scale), each with the
/// Dice-best threshold (bestThreshold). Throws std::invalid_argument when no slice has a
/// labelled pixel or a slice's sizes are inconsistent.
TunedFilter tuneCrackFilter(CrackFilter filter, const std::vector<FilterSlice>& train, const TuneOptions& options = {});

struct ThresholdChoice {
  double threshold = 0;
  double dice = 0;
};

/// The threshold t that maximises the Dice of "crack where response >= t" against \p crack
/// (nonzero = crack) over \p n samples: a 4096-bin histogram over the range, then a second
/// 4096-bin histogram inside the best bin's neighbours, then the exact Dice at the choice.
/// Non-finite responses never count as crack. Empty input gives threshold 0 and Dice 0.
ThresholdChoice bestThreshold(const float* response, const std::uint8_t* crack, std::size_t n);

} // namespace core::analysis
