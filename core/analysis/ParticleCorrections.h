#pragma once
/// \file ParticleCorrections.h
/// Manual corrections of a particle label volume (uint32 ids, 0 = none, as segmentParticles
/// writes it): merge two particles, delete one, split one in two by the plane through its centroid
/// normal to its longest principal axis. Each correction is one undo step holding the old and new
/// voxels of the bounding box it changed (never the whole volume), kept in an undo history under a
/// byte budget like the label editor's (core/labels/UndoHistory.h). Re-measuring the table is the
/// caller's job (measureParticles over the changed labels).
/// Thread affinity: none; the caller serialises access to the labels and the history.

#include "core/labels/UndoHistory.h"
#include "core/volume/Volume.h"

#include <cstdint>
#include <string>

namespace core::analysis {

class ParticleCorrections {
public:
  static constexpr std::size_t kDefaultBudgetBytes = std::size_t(256) << 20;

  explicit ParticleCorrections(std::size_t budgetBytes = kDefaultBudgetBytes, std::size_t keepNewest = 3);

  /// Voxel box holding particle \p id in \p labels (empty when absent or id is 0).
  static volume::Region boundingBox(const volume::Volume& labels, std::uint32_t id);

  /// Relabels \p absorbed as \p kept. Returns the changed box (empty, and no undo step, when
  /// nothing changed: equal ids, id 0 or \p absorbed absent). \p name names the undo step.
  volume::Region merge(volume::Volume& labels, std::uint32_t kept, std::uint32_t absorbed, const std::string& name);
  /// Sets particle \p id to 0 (background).
  volume::Region remove(volume::Volume& labels, std::uint32_t id, const std::string& name);
  /// Cuts particle \p id in two (centroid and axis in physical units, from the labels' spacing);
  /// the half on the positive side of the axis becomes \p newId, which must not be in use.
  volume::Region split(volume::Volume& labels, std::uint32_t id, std::uint32_t newId, const std::string& name);

  bool canUndo() const { return m_history.canUndo(); }
  bool canRedo() const { return m_history.canRedo(); }
  std::string undoName() const { return m_history.undoName(); }
  std::string redoName() const { return m_history.redoName(); }
  /// Restores the voxels of the last step; returns its box (empty when there is none).
  volume::Region undo(volume::Volume& labels);
  volume::Region redo(volume::Volume& labels);
  /// Steps that can be undone (the corrections in effect, as long as none was dropped).
  std::size_t undoCount() const { return m_history.undoCount(); }
  std::size_t bytesUsed() const { return m_history.bytesUsed(); }
  std::size_t droppedCount() const { return m_history.droppedCount(); }
  void setBudget(std::size_t budgetBytes, std::size_t keepNewest = 3) { m_history.setBudget(budgetBytes, keepNewest); }
  /// Forgets every step (a new analysis result).
  void clear() { m_history.clear(); }

  struct Step {
    std::string name;
    volume::Region region;
    volume::Volume before, after; ///< uint32 voxels of region
    std::uint64_t id = 0;
    std::size_t byteSize() const;
  };

private:
  template <class F> volume::Region edit(volume::Volume& labels, const std::string& name, const volume::Region& box, F change);
  labels::UndoHistory<Step> m_history;
  std::uint64_t m_nextId = 0;
};

} // namespace core::analysis
