#pragma once
/// \file Augmentation.h
/// The reference's augmentations (CDNET.md, "Training") as one random affine warp per crop:
/// rotation, shear, zoom, flips and a random position (the shift), reflect at the borders, the
/// same transform on image and labels (bilinear for the image, nearest for the labels). Torch-free.

#include "core/ml/TrainingData.h"

#include <random>

namespace core::ml {

struct AugmentOptions {
  bool enabled = true;
  double maxRotationDegrees = 30;
  double shear = 0.1;     ///< shear factor range [-shear, shear]
  double zoom = 0.1;      ///< scale range [1 - zoom, 1 + zoom]
  bool flips = true;      ///< random horizontal and vertical flips
  /// Probability that a crop is centred on a crack voxel (0 = anywhere labelled). Cracks are a
  /// few percent of the voxels; this keeps them in most batches.
  double crackCentredFraction = 0.25;
  // Beyond the reference (issue 14, against overfitting a single labelled slice; each 0 = off, and
  // an option that is off draws no random number, so runs without it repeat exactly):
  /// Elastic deformation: a smooth random displacement field (control points every 32 crop pixels,
  /// bilinear between them) of up to this many pixels, on image and labels alike. Off by default:
  /// 4 pixels beat none in 4 of 4 paired runs of 40 steps fine-tuning the starter on a real
  /// half-slice (+0.008 Dice; docs/bench/2026-12-05-recipe), but in the 15-minute runs the targets
  /// use it did not help (real sample 0.653 against 0.672 without; phantom 0.639 against 0.636;
  /// docs/bench/2026-12-05-quiet).
  double elastic = 0;
  /// Magnification of every crop, drawn log-uniformly from [scaleMin, scaleMax] (1, 1 = off, no
  /// draw): a feature of n slice pixels spans n * scale crop pixels. Makes a model trained at one
  /// pixel size work at others: the realistic phantom's particles and grains are about half the
  /// size (in pixels) of those of the real sample (issue 14; the shipped starter model predicted
  /// the real slice best when it was shrunk to 0.5-0.7 of its size). Off by default: a starter
  /// pretrained with 1, 2.5 scores 0.51 zero-shot on the real halves (the shipped one 0.31) but
  /// fine-tunes worse (docs/bench/2026-12-06-s13).
  double scaleMin = 1, scaleMax = 1;
  bool hasScale() const { return scaleMin != 1 || scaleMax != 1; }
  /// Intensity jitter on the (normalised) image only, labels unchanged: gamma in [e^-g, e^g] on the
  /// crop's grey range, contrast factor in [1 - c, 1 + c], brightness offset in [-b, b] (in
  /// standard deviations), Gaussian blur of sigma in [0, blur] pixels, Gaussian noise of sigma in
  /// [0, noise] standard deviations (in this order).
  double gamma = 0, contrast = 0, brightness = 0, blur = 0, noise = 0;
  bool hasIntensity() const { return gamma > 0 || contrast > 0 || brightness > 0 || blur > 0 || noise > 0; }
};

/// Samples one \p crop x \p crop training patch from \p slice. The crop centre is a random
/// labelled voxel (or, with probability opts.crackCentredFraction, a crack voxel), which plays the
/// role of the reference's shift; the affine warp maps the crop around it. Writes
/// slice.channels * crop*crop floats to \p image (every channel through the same warp: 2.5D
/// neighbours stay aligned) and crop*crop labels (convention) to \p labels. Any thread (own \p rng).
void sampleCrop(const TrainingSlice& slice, int crop, const AugmentOptions& opts, std::mt19937_64& rng, float* image,
                std::uint8_t* labels);

/// The intensity jitter of \p opts (gamma, contrast, brightness, blur, noise) applied in place to
/// \p channels planes of \p width x \p height floats: one draw per crop, every channel alike
/// except the noise. Called by sampleCrop after the warp; nothing happens when opts has none.
void jitterIntensity(float* image, int channels, int width, int height, const AugmentOptions& opts, std::mt19937_64& rng);

/// Crop side for slices of \p width x \p height: \p requested rounded down to a multiple of 32,
/// and no larger than the slice rounded up to a multiple of 32; at least 32.
int cropSizeFor(int requested, int width, int height);

} // namespace core::ml
