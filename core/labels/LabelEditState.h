#pragma once
/// \file LabelEditState.h
/// Internal to cdnet_labels: what an open LabelEdit has recorded so far.

#include "core/labels/LabelVolume.h"

#include <string>
#include <vector>

namespace core::labels {

struct LabelVolume::EditState {
  std::string name;
  std::vector<RleDelta> deltas;       ///< one per operation, in order
  std::vector<SliceFlagChange> flags; ///< in order
  volume::Region changed;             ///< union of the deltas' changed boxes
  std::int64_t changedVoxels = 0;
  std::vector<std::uint8_t> scratch;  ///< one row of old values
};

} // namespace core::labels
