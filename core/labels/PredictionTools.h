#pragma once
/// \file PredictionTools.h
/// Accepting the network's prediction into the labels (all of it, one slice, or the 3D connected
/// crack component under the cursor) and deleting a connected component of a label with one
/// click. The prediction is a crack probability volume of the labels' size: uint8 (0..255 for
/// 0..1) or float32 (0..1). A voxel is crack when its probability is >= the threshold.
/// Each function writes through the given LabelEdit (one commit per gesture, e.g. "Accept
/// prediction") and returns the box of changed voxels. Thread affinity: GUI thread.

#include "core/labels/LabelEdit.h"
#include "core/labels/PaintRule.h"
#include "core/volume/SliceGeometry.h"

#include <cstdint>

namespace core::labels {

enum class Connectivity : std::uint8_t {
  Faces = 6,  ///< neighbours sharing a face
  Full = 26   ///< neighbours sharing a face, an edge or a corner (thin diagonal cracks stay whole)
};

struct AcceptOptions {
  double threshold = 0.5; ///< probability 0..1
  /// Also write "not crack" (1) where the probability is below the threshold (whole / slice only).
  bool writeNotCrack = true;
  /// What accepted voxels may overwrite. Default: only unlabelled voxels, so hand labels stay.
  PaintRule rule = PaintRule::onlyUnlabelled();
};

/// Whether voxel \p p of \p prediction is crack at probability threshold \p threshold.
bool isPredictedCrack(const volume::Volume& prediction, const volume::Index3& p, double threshold);

/// Accepts the whole prediction. Throws std::invalid_argument on a prediction of another size or type.
volume::Region acceptPrediction(LabelEdit& edit, const volume::Volume& prediction, const AcceptOptions& options = {});

/// Accepts slice \p slice of orientation \p o.
volume::Region acceptPredictionSlice(LabelEdit& edit, const volume::Volume& prediction, volume::Orientation o,
                                     std::int64_t slice, const AcceptOptions& options = {});

/// Accepts the connected crack component (probability >= threshold) that contains \p seed, as
/// crack. Nothing happens (empty box) when \p seed is not predicted crack.
volume::Region acceptPredictionComponent(LabelEdit& edit, const volume::Volume& prediction, const volume::Index3& seed,
                                         const AcceptOptions& options = {}, Connectivity c = Connectivity::Full);

/// Sets the connected component of voxels carrying the label at \p seed (e.g. a false crack) to
/// \p replacement (kUnlabelled or kNotCrack). Nothing happens when the seed is unlabelled.
volume::Region deleteComponent(LabelEdit& edit, const volume::Index3& seed, std::uint8_t replacement = kUnlabelled,
                               Connectivity c = Connectivity::Full);

} // namespace core::labels
