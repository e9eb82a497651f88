#pragma once
/// \file TrainingSnapshot.h
/// The copy a training run reads: the image slices that carry labels (or are marked fully
/// annotated), their labels and flags, taken on the GUI thread at the start of a run, turned into
/// core::ml::TrainingData. For a 2.5D model (contextSlices k > 0) each labelled slice also brings
/// its k image neighbours on each side (mirrored at the volume ends, as the engine does it), so
/// the network sees the same channels it will see when predicting. Nothing of it refers to the
/// Session afterwards.

#include "core/labels/LabelVolume.h"
#include "core/labels/SparseLabels.h"
#include "core/volume/lazy/LazyVolume.h"
#include "core/ml/TrainingData.h"
#include "core/volume/Volume.h"

#include <cstdint>
#include <vector>

namespace ui {

struct TrainingSnapshot {
  core::ml::TrainingData data;       ///< normalised labelled slices (2k+1 channels each)
  std::vector<std::int64_t> slices;  ///< their z in the volume, increasing

  /// Copies the labelled slices of \p image and \p labels, with \p contextSlices image neighbours
  /// on each side. GUI thread (reads the label volume). Throws std::runtime_error when the labels
  /// hold values outside the convention or the volume is too thin for \p contextSlices (it needs
  /// 2k+1 slices).
  static TrainingSnapshot take(const core::volume::Volume& image, const core::labels::LabelVolume& labels,
                               int contextSlices = 0);
  /// The same from a volume opened lazily and its sparse labels (issue 16): reads only the
  /// labelled or annotated slices (and their k neighbours) of the image, at full resolution.
  static TrainingSnapshot takeLazy(core::volume::LazyVolume& image, const core::labels::SparseLabels& labels,
                                   int contextSlices = 0);
};

} // namespace ui
