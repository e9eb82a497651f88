#pragma once
/// \file TrainingSnapshot.h
/// The copy a training run reads: the image slices that carry labels (or are marked fully
/// annotated), their labels and flags, taken on the GUI thread at the start of a run, turned into
/// core::ml::TrainingData. Nothing of it refers to the Session afterwards.

#include "core/labels/LabelVolume.h"
#include "core/ml/TrainingData.h"
#include "core/volume/Volume.h"

#include <cstdint>
#include <vector>

namespace ui {

struct TrainingSnapshot {
  core::ml::TrainingData data;       ///< normalised labelled slices
  std::vector<std::int64_t> slices;  ///< their z in the volume, increasing

  /// Copies the labelled slices of \p image and \p labels. GUI thread (reads the label volume).
  /// Throws std::runtime_error when the labels hold values outside the convention.
  static TrainingSnapshot take(const core::volume::Volume& image, const core::labels::LabelVolume& labels);
};

} // namespace ui
