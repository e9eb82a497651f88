#pragma once
/// \file UndoStack.h
/// Named undo steps of a label volume and the stack that holds them under a byte budget
/// (ITK-SNAP's UndoDataManager). A step is what one gesture changed: run-length deltas of voxels
/// plus changes of "fully annotated" slice flags. The stack only stores steps; LabelVolume applies
/// them. Thread affinity: GUI thread (the thread that owns the LabelVolume).

#include "core/labels/RleDelta.h"

#include <cstdint>
#include <deque>
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

/// Undo/redo history with a byte budget. A new step clears the redo steps. When the steps hold
/// more than budgetBytes(), the oldest are dropped, but the newest keepNewest() steps are always
/// kept, even if they alone exceed the budget.
class UndoStack {
public:
  static constexpr std::size_t kDefaultBudgetBytes = std::size_t(256) << 20;
  static constexpr std::size_t kDefaultKeepNewest = 3;

  explicit UndoStack(std::size_t budgetBytes = kDefaultBudgetBytes, std::size_t keepNewest = kDefaultKeepNewest);

  /// Adds a step after the current position, dropping all redo steps, then prunes to the budget.
  void push(std::shared_ptr<UndoStep> step);
  bool canUndo() const { return m_done > 0; }
  bool canRedo() const { return m_done < m_steps.size(); }
  /// Name of the step undo() would undo ("" when none).
  std::string undoName() const;
  /// Name of the step redo() would redo ("" when none).
  std::string redoName() const;
  /// Moves back one step and returns it (the caller applies its "before" values); null if none.
  std::shared_ptr<const UndoStep> stepBack();
  /// Moves forward one step and returns it (the caller applies its "after" values); null if none.
  std::shared_ptr<const UndoStep> stepForward();
  /// Id of the last done step (0 when at the bottom): with savedAt(), tells whether labels differ
  /// from what was saved.
  std::uint64_t currentId() const { return m_done > 0 ? m_steps[m_done - 1]->id : m_bottomId; }

  /// Number of steps that can be undone / redone.
  std::size_t undoCount() const { return m_done; }
  std::size_t redoCount() const { return m_steps.size() - m_done; }
  /// Names of all steps, oldest first (for a history panel).
  std::vector<std::string> names() const;
  /// Bytes held by all steps (undo and redo).
  std::size_t bytesUsed() const { return m_bytes; }
  std::size_t budgetBytes() const { return m_budget; }
  std::size_t keepNewest() const { return m_keepNewest; }
  /// Changes the budget and prunes the oldest done steps to it.
  void setBudget(std::size_t budgetBytes, std::size_t keepNewest = kDefaultKeepNewest);
  /// Number of steps dropped by the budget since construction or clear().
  std::size_t droppedCount() const { return m_dropped; }
  /// Forgets everything (after loading another label volume); \p bottomId names the new state.
  void clear(std::uint64_t bottomId);

private:
  void prune();
  std::deque<std::shared_ptr<UndoStep>> m_steps;
  std::size_t m_done = 0;
  std::size_t m_bytes = 0;
  std::size_t m_budget;
  std::size_t m_keepNewest;
  std::size_t m_dropped = 0;
  std::uint64_t m_bottomId = 0; ///< id of the newest dropped step: the state at the bottom of the stack
};

} // namespace core::labels
