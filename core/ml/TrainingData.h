#pragma once
/// \file TrainingData.h
/// The snapshot a training run reads: normalised image slices and their labels in the product's
/// convention (core/labels/LabelConvention.h), checked once up front. Torch-free.

#include "core/volume/Volume.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::ml {

/// Per-slice z-score (CDNET.md): NaN and infinite voxels become 0, then
/// (x - mean) / max(std, 1e-7) over the slice. Writes size.x * size.y floats of slice \p z.
void normaliseSlice(const volume::Volume& images, std::int64_t z, float* out);

/// The slice that stands for slice \p z of a volume of \p depth slices: mirrored at the volume
/// ends without repeating the edge (-1 -> 1, depth -> depth - 2). Needs depth > |overshoot|.
std::int64_t mirroredSlice(std::int64_t z, std::int64_t depth);

/// 2.5D input (ModelOptions::contextSlices = k): normalises slices z-k .. z+k of \p images (each
/// on its own, neighbours past the ends mirrored) into 2k+1 consecutive slice planes at \p out.
/// k = 0 is normaliseSlice.
void normaliseWithContext(const volume::Volume& images, std::int64_t z, int contextSlices, float* out);

/// Throws std::runtime_error naming \p name when a volume of \p depth slices is too thin for a
/// 2.5D model of \p contextSlices (it needs 2k+1 slices; a single 2D image needs a 2D model).
/// An empty \p name reads "the volume".
void checkContextDepth(std::int64_t depth, int contextSlices, const std::string& name);

/// How a label volume encodes its classes.
enum class LabelEncoding {
  Convention, ///< 0 unlabelled, 1 not crack, 2 crack
  BinaryMask  ///< 0 / 1 or 0 / 255: not crack / crack, every voxel labelled
};

/// Reads the values of \p labels: a subset of {0,1} or {0,255} is a binary mask; a subset of
/// {0,1,2} containing 2 is the convention. Anything else (another value, a fraction, a negative)
/// throws std::runtime_error naming \p name, the value and a voxel that has it.
LabelEncoding detectLabelEncoding(const volume::Volume& labels, const std::string& name);

/// Converts \p labels to a uint8 volume in the convention. A binary mask becomes fully labelled
/// (0 -> not crack, nonzero -> crack); convention labels are copied. Values are checked as in
/// detectLabelEncoding. \p encoding, when given, overrides detection.
volume::Volume toConventionLabels(const volume::Volume& labels, const std::string& name, LabelEncoding* encoding = nullptr);

/// One labelled slice ready for training.
struct TrainingSlice {
  int width = 0, height = 0;
  int channels = 1;                    ///< 2k+1 for 2.5D input (see normaliseWithContext)
  std::int64_t sourceZ = 0;            ///< slice index in the source volume
  std::vector<float> image;            ///< normalised, channels * width * height (channel-major)
  std::vector<std::uint8_t> labels;    ///< convention; fully annotated slices have no 0 left
  std::int64_t labelledCount = 0, crackCount = 0;
  std::vector<std::int32_t> labelledPixels; ///< indices of labelled pixels when they are sparse
};

/// What trains a model: the slices that carry at least one labelled voxel, in z order.
struct TrainingData {
  std::vector<TrainingSlice> slices;

  /// Builds the snapshot from an image volume (any voxel type) and a label volume in the
  /// convention (uint8 0/1/2, see toConventionLabels). \p fullyAnnotated holds one flag per
  /// slice (or is empty = none; or one flag = all): on flagged slices unlabelled voxels count as
  /// not crack. Throws std::runtime_error naming \p imageName / \p labelName when the sizes
  /// differ, a label is outside the convention, or no voxel is labelled at all. With
  /// \p contextSlices = k > 0 (2.5D) each slice carries its 2k+1 normalised neighbours (mirrored
  /// at the volume ends); a volume of fewer than 2k+1 slices (a single 2D image) is an error
  /// naming \p imageName.
  static TrainingData fromVolumes(const volume::Volume& images, const volume::Volume& labels,
                                  const std::vector<bool>& fullyAnnotated, const std::string& imageName = "images",
                                  const std::string& labelName = "labels", int contextSlices = 0);

  /// Input channels of the slices (1, or 2k+1 for 2.5D).
  int channels() const { return slices.empty() ? 1 : slices.front().channels; }

  std::int64_t labelledCount() const;
  std::int64_t crackCount() const;
};

/// Validation from the training slices themselves (for one or a few labelled slices, where
/// holding out whole slices is impossible): the bottom \p fraction of the rows of every slice
/// (at least one row, at most all but one) goes to \p validation, the rest to \p train, images
/// as normalised for the whole slice. Parts without a labelled voxel are left out. Throws
/// std::invalid_argument for a fraction outside (0, 1), std::runtime_error when nothing labelled
/// is left to train on.
void holdOutStrips(const TrainingData& data, double fraction, TrainingData& train, TrainingData& validation);

} // namespace core::ml
