#pragma once
/// \file LabelVolume.h
/// The label volume being edited: a uint8 Volume with the geometry of the image (label values in
/// LabelConvention.h: 0 unlabelled, 1 not crack, 2 crack; other values 3..255 are kept and can be
/// painted as further classes), the per-slice "fully annotated" flags along z, the undo history
/// and the listeners that hear about changes. Every write goes through a LabelEdit.
/// The voxel buffer is exposed read-only and stays at the same address for the object's life
/// (reset() copies into it), so a view may wrap it without copying.
/// Thread affinity: GUI thread. Other threads may read volume() only while no edit, undo or
/// redo runs (take a clone() for long work such as training).

#include "core/labels/LabelConvention.h"
#include "core/labels/LabelEdit.h"
#include "core/labels/UndoStack.h"
#include "core/volume/Volume.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace core::labels {

/// Receives change notifications of a LabelVolume, synchronously on the GUI thread. Redraw only
/// what \p changed crosses. Implementations must not open edits from inside the callbacks.
class LabelListener {
public:
  virtual ~LabelListener() = default;
  /// Voxels inside \p changed (volume voxels) have new values: an edit operation, an abort, an
  /// undo, a redo or a reset.
  virtual void labelsChanged(const volume::Region& changed) {}
  /// Some slices' "fully annotated" flags changed.
  virtual void annotatedSlicesChanged() {}
  /// Undo/redo availability or names changed (commit, undo, redo, reset, budget).
  virtual void undoStateChanged() {}
};

class LabelVolume {
public:
  /// Unlabelled voxels with the size, spacing and origin of an image described by \p imageInfo.
  explicit LabelVolume(const volume::VolumeInfo& imageInfo);
  /// Takes \p labels (must be uint8; throws std::invalid_argument otherwise) and the slices
  /// marked fully annotated (indices along z; out of range indices throw std::out_of_range).
  explicit LabelVolume(volume::Volume labels, const std::vector<std::int64_t>& annotatedSlices = {});
  ~LabelVolume();
  LabelVolume(const LabelVolume&) = delete;
  LabelVolume& operator=(const LabelVolume&) = delete;

  /// The voxels, read-only (x fastest, uint8).
  const volume::Volume& volume() const { return m_volume; }
  const volume::Size3& size() const { return m_volume.size(); }
  std::uint8_t at(std::int64_t x, std::int64_t y, std::int64_t z) const {
    return m_volume.as<std::uint8_t>()[m_volume.index(x, y, z)];
  }
  /// Whether slice \p z is fully annotated (its unlabelled voxels count as not crack).
  bool isSliceAnnotated(std::int64_t z) const;
  /// Indices of the fully annotated slices, increasing.
  std::vector<std::int64_t> annotatedSlices() const;

  /// Opens the edit that every write goes through; \p name names the undo step ("Paint stroke").
  /// Throws std::logic_error when an edit is already open.
  LabelEdit beginEdit(std::string name);
  bool hasOpenEdit() const { return m_edit != nullptr; }
  /// Runs \p body in a new edit named \p name and commits it; aborts and rethrows if it throws.
  EditSummary edit(std::string name, const std::function<void(LabelEdit&)>& body);

  /// Undo/redo. Return the bounding box of the voxels that changed (empty when none did or there
  /// was nothing to undo). Throw std::logic_error while an edit is open.
  volume::Region undo();
  volume::Region redo();
  bool canUndo() const { return m_undo.canUndo(); }
  bool canRedo() const { return m_undo.canRedo(); }
  const UndoStack& undoStack() const { return m_undo; }
  /// Changes the undo byte budget (default 256 MiB) and how many newest steps are always kept.
  void setUndoBudget(std::size_t bytes, std::size_t keepNewest = UndoStack::kDefaultKeepNewest);

  /// Replaces all voxels and flags without an undo step (opening a file, recovering), copying
  /// into the existing buffer; clears the undo history. \p labels must be uint8 of the same size.
  void reset(const volume::Volume& labels, const std::vector<std::int64_t>& annotatedSlices);

  /// Increases with every change of voxels or flags (edits, undo, redo, abort, reset). For
  /// "has anything changed since the last autosave".
  std::uint64_t revision() const { return m_revision; }
  /// True when the labels differ from the last markSaved() state (or an open edit changed something).
  bool isModified() const;
  /// Records the current state as saved (after writing the labels file).
  void markSaved();

  /// Listeners are not owned; remove one before destroying it.
  void addListener(LabelListener* listener);
  void removeListener(LabelListener* listener);

private:
  friend class LabelEdit;
  struct EditState;
  void notifyChanged(const volume::Region& r);
  void notifyFlags();
  void notifyUndo();
  void applyStep(const UndoStep& step, bool forward);
  void mergeDeltas(EditState& e);

  volume::Volume m_volume;
  std::vector<std::uint8_t> m_annotated;
  UndoStack m_undo;
  std::unique_ptr<EditState> m_edit;
  LabelEdit* m_editHandle = nullptr;
  std::vector<LabelListener*> m_listeners;
  std::uint64_t m_revision = 0;
  std::uint64_t m_nextId = 1;
  std::uint64_t m_savedId = 1;
};

} // namespace core::labels
