#pragma once
/// \file SparseLabels.h
/// Labels of a volume larger than memory (issue 16, "labels on big volumes"): a uint8 label volume
/// cut into chunks on the image's chunk grid where only painted chunks exist. Reading an absent
/// chunk gives 0 (unlabelled); a chunk is created when a non-zero value is written into it.
/// Chunks saved on disk (SparseLabelStore.h) are read back on first access, not on open.
///
/// Editing reuses the dense tools unchanged through an adapter: openWindow(box) copies a box (one
/// slice for brush, polygon and flood fill; a slab for the sphere brush or interpolation) into a
/// small in-memory LabelVolume; Brush, SliceTools, SliceInterpolation and PredictionTools write it
/// through its LabelEdit in window coordinates (Window::toLocal), every change is written through
/// to the chunks at once (so views see the stroke as it is drawn), and when the edit is committed
/// its UndoStep (run-length deltas, slice flags) moves into this store's undo history together
/// with the window's origin. Undo/redo apply those deltas to the chunks box by box.
/// Thread affinity: GUI thread (the thread that edits); reads from other threads only while no
/// edit runs.

#include "core/labels/LabelVolume.h"
#include "core/labels/UndoStack.h"
#include "core/volume/Volume.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace core::labels {

/// One undo step of a SparseLabels: a LabelVolume step recorded in a window at \p origin.
struct SparseStep {
  std::string name;
  std::uint64_t id = 0;
  volume::Index3 origin;
  std::shared_ptr<const UndoStep> step;
  std::size_t byteSize() const { return sizeof(*this) + (step ? step->byteSize() : 0); }
};

/// Order of chunk keys (z, then y, then x).
struct ChunkKeyLess {
  bool operator()(const volume::Index3& a, const volume::Index3& b) const {
    return a.z != b.z ? a.z < b.z : (a.y != b.y ? a.y < b.y : a.x < b.x);
  }
};
using ChunkKeySet = std::set<volume::Index3, ChunkKeyLess>;

class SparseLabels {
public:
  using ChunkKey = volume::Index3; ///< chunk indices (kx, ky, kz)
  /// Loads a chunk saved on disk into \p out (chunk bytes, x fastest); throws std::runtime_error
  /// naming the file when it is damaged.
  using ChunkLoader = std::function<void(const ChunkKey& key, std::vector<std::uint8_t>& out)>;

  /// Empty labels with the size, spacing and origin of \p imageInfo on chunks of \p chunk voxels.
  SparseLabels(const volume::VolumeInfo& imageInfo, const volume::Size3& chunk);
  ~SparseLabels();
  SparseLabels(const SparseLabels&) = delete;
  SparseLabels& operator=(const SparseLabels&) = delete;

  /// uint8 info of the label volume (the image's size, spacing, origin).
  const volume::VolumeInfo& info() const { return m_info; }
  const volume::Size3& size() const { return m_info.size; }
  const volume::Size3& chunkShape() const { return m_chunk; }
  /// The region of volume voxels that chunk \p key covers (clipped to the volume).
  volume::Region chunkRegion(const ChunkKey& key) const;

  /// Copies the labels of \p r (inside the volume) into \p dst (r.size.count() bytes, x fastest).
  /// Throws std::runtime_error naming the file when a saved chunk it needs is damaged.
  void read(const volume::Region& r, std::uint8_t* dst) const;
  /// The labels of \p r as a uint8 Volume (spacing of the labels, origin at r's corner).
  volume::Volume read(const volume::Region& r) const;
  std::uint8_t at(std::int64_t x, std::int64_t y, std::int64_t z) const;
  /// True when some chunk (in memory or saved) intersects \p r: false means all of r is 0.
  bool anyChunkIn(const volume::Region& r) const;

  /// Chunks held in memory now, and chunks that exist (in memory or saved).
  std::size_t chunksInMemory() const { return m_chunks.size(); }
  std::size_t chunkCount() const;
  bool hasChunk(const ChunkKey& key) const { return m_chunks.count(key) || m_onDisk.count(key); }
  /// Chunks changed since markClean() (created, painted, undone): what a save writes.
  std::vector<ChunkKey> dirtyChunks() const { return {m_dirty.begin(), m_dirty.end()}; }
  /// The bytes of a chunk (chunk-shaped, x fastest), loading it if saved; null when absent.
  const std::uint8_t* chunk(const ChunkKey& key) const;
  /// Drops chunk \p key from memory and from the saved set (a save removed its all-zero file).
  void forgetChunk(const ChunkKey& key);
  /// Forgets that chunk \p key changed (a save wrote it).
  void markClean(const ChunkKey& key) { m_dirty.erase(key); }

  /// Chunks saved on disk (loaded on first access through \p loader), and the annotated slices.
  void attachSaved(ChunkKeySet onDisk, ChunkLoader loader, const std::vector<std::int64_t>& annotatedSlices);

  bool isSliceAnnotated(std::int64_t z) const;
  std::vector<std::int64_t> annotatedSlices() const;
  /// XY slices (z) holding at least one non-zero label, increasing (loads the saved chunks).
  std::vector<std::int64_t> labelledSlicesZ() const;

  /// A dense window onto a box of the labels: edit its labels() with the usual tools (coordinates
  /// local to the box: toLocal()), then commit() or let it go (an unfinished edit is aborted and
  /// its voxels restored). One window at a time; a window that outlives its SparseLabels edits
  /// only itself.
  class Window {
  public:
    ~Window();
    LabelVolume& labels() { return *m_local; }
    const volume::Region& box() const { return m_box; }
    volume::Vec3 toLocal(const volume::Vec3& p) const;
    volume::Index3 toLocal(const volume::Index3& p) const;
    /// Ends the window: its committed edits become one undo step of the store each. Returns what
    /// changed (volume coordinates).
    volume::Region close();

  private:
    friend class SparseLabels;
    struct Relay;
    Window(SparseLabels& owner, const volume::Region& box);
    void takeSteps();
    SparseLabels* m_owner;
    volume::Region m_box;
    std::unique_ptr<LabelVolume> m_local;
    std::unique_ptr<Relay> m_relay;
    std::size_t m_taken = 0;
    volume::Region m_changed;
  };
  /// Opens a window on \p box (clipped to the volume). Throws std::logic_error when one is open,
  /// std::runtime_error naming the file when a saved chunk in the box is damaged.
  std::unique_ptr<Window> openWindow(const volume::Region& box);
  bool hasOpenWindow() const { return m_window != nullptr; }
  /// Runs \p body on a window over \p box in one edit named \p name, commits and closes it.
  EditSummary edit(const volume::Region& box, std::string name,
                   const std::function<void(LabelEdit& edit, const Window& window)>& body);

  volume::Region undo();
  volume::Region redo();
  bool canUndo() const { return m_undo.canUndo(); }
  bool canRedo() const { return m_undo.canRedo(); }
  const UndoHistory<SparseStep>& undoStack() const { return m_undo; }

  std::uint64_t revision() const { return m_revision; }
  bool isModified() const { return m_undo.currentId() != m_savedId || !m_dirty.empty(); }
  /// Records the current state as saved (after SparseLabelStore::save).
  void markSaved() { m_savedId = m_undo.currentId(); }

  /// Listeners hear volume coordinates; not owned, remove before destroying.
  void addListener(LabelListener* listener);
  void removeListener(LabelListener* listener);

private:
  std::uint8_t* chunkForWrite(const ChunkKey& key);
  ChunkKey keyOf(std::int64_t x, std::int64_t y, std::int64_t z) const {
    return {x / m_chunk.x, y / m_chunk.y, z / m_chunk.z};
  }
  /// Writes the box \p r from \p src (voxel r.start; x stride 1, y and z strides given) into the
  /// chunks, creating only those that get a non-zero value; marks the chunks that changed dirty.
  void write(const volume::Region& r, const std::uint8_t* src, std::int64_t strideY, std::int64_t strideZ);
  void applyStep(const SparseStep& s, bool forward);
  void notifyChanged(const volume::Region& r);
  void notifyFlags();
  void notifyUndo();

  volume::VolumeInfo m_info;
  volume::Size3 m_chunk;
  mutable std::map<ChunkKey, std::vector<std::uint8_t>, ChunkKeyLess> m_chunks;
  mutable ChunkKeySet m_onDisk; ///< saved and not loaded yet
  ChunkLoader m_loader;
  ChunkKeySet m_dirty;
  std::vector<std::uint8_t> m_annotated;
  UndoHistory<SparseStep> m_undo;
  Window* m_window = nullptr;
  std::vector<LabelListener*> m_listeners;
  std::uint64_t m_revision = 0, m_nextId = 1, m_savedId = 1;
};

} // namespace core::labels
