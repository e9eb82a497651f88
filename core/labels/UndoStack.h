#pragma once
/// \file UndoStack.h
/// Named undo steps of a label volume and the stack that holds them under a byte budget
/// (ITK-SNAP's UndoDataManager). A step is what one gesture changed: run-length deltas of voxels
/// plus changes of "fully annotated" slice flags. The stack only stores steps; LabelVolume applies
/// them. Thread affinity: GUI thread (the thread that owns the LabelVolume).

#include "core/labels/RleDelta.h"
#include "core/labels/UndoHistory.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace core::labels {

/// A change of one slice's "fully annotated" flag.
struct SliceFlagChange {
  std::int64_t z = 0;
  bool before = false, after = false;
};

/// One undoable step: a name for the Edit menu and what it changed.
struct UndoStep {
  std::string name;                     ///< human-readable, e.g. "Paint stroke"
  std::vector<RleDelta> deltas;         ///< applied in order for redo, in reverse for undo
  std::vector<SliceFlagChange> flags;   ///< applied after the voxels for redo, reversed for undo
  volume::Region changed;               ///< bounding box of all changed voxels (may be empty)
  std::int64_t changedVoxels = 0;       ///< sum over the deltas (a voxel changed twice counts twice)
  std::uint64_t id = 0;                 ///< unique within one LabelVolume, set when pushed
  /// Bytes this step holds in memory.
  std::size_t byteSize() const;
};

/// The label volume's history (LabelVolume applies the steps).
using UndoStack = UndoHistory<UndoStep>;

} // namespace core::labels
