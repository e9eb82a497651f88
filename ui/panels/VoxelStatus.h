#pragma once
/// \file VoxelStatus.h
/// The status bar's description of one voxel: index, position in micrometres, grey value,
/// label and prediction. GUI thread (reads the session).

#include "core/volume/Volume.h"

#include <QString>

namespace ui {

class Session;

/// "x 12  y 40  z 63  |  (0.600, 2.000, 3.150) um  |  value 31234  |  label crack  |  prediction 0.87"
QString describeVoxel(const Session& session, const core::volume::Index3& voxel);
/// "unlabelled", "not crack", "crack" (or "label N").
QString labelName(int label);

} // namespace ui
