#pragma once
/// \file LabelEdit.h
/// The one write path of a label volume (ITK-SNAP's SegmentationUpdateIterator, napari's stroke
/// API). A LabelEdit is opened by LabelVolume::beginEdit("Paint stroke"), takes any number of
/// operations (brush dabs, polygons, fills, ...), and ends with commit(), which pushes one undo
/// step, or abort(), which restores every voxel and flag it changed. Each operation writes the
/// volume at once, records the old values of the voxels it changed as a run-length delta, tells
/// the LabelVolume's listeners which box changed, and returns that box.
/// Thread affinity: GUI thread (the thread that owns the LabelVolume). One open edit at a time.

#include "core/volume/Volume.h"

#include <cstdint>
#include <functional>
#include <string>

namespace core::labels {

class LabelVolume;

/// What commit() did.
struct EditSummary {
  std::string name;
  bool committed = false;        ///< false when the edit changed nothing (no step was pushed)
  volume::Region changed;        ///< bounding box of the changed voxels
  std::int64_t changedVoxels = 0;
  std::size_t bytes = 0;         ///< bytes of the undo step
};

/// A handle on the open edit of a LabelVolume. Move-only; destroying an open edit aborts it.
/// The LabelVolume must outlive the handle.
class LabelEdit {
public:
  LabelEdit() = default;
  LabelEdit(LabelEdit&& other) noexcept;
  LabelEdit& operator=(LabelEdit&& other) noexcept;
  LabelEdit(const LabelEdit&) = delete;
  LabelEdit& operator=(const LabelEdit&) = delete;
  ~LabelEdit();

  bool isOpen() const { return m_labels != nullptr; }
  /// The name the undo step will have.
  const std::string& name() const;
  /// The label volume being edited (for tools that read labels).
  LabelVolume& labels() const;
  /// The voxels as they are now, edits so far included.
  const volume::Volume& volume() const;

  /// Called once per row of a region: \p row points at voxel (region.start.x, y, z) and holds
  /// region.size.x voxels, with their current values; the function overwrites what it changes.
  using RowFunction = std::function<void(std::int64_t y, std::int64_t z, std::uint8_t* row)>;
  /// The primitive every tool uses: lets \p f rewrite each row of \p region (which must lie
  /// inside the volume) and records what changed. Returns the bounding box of changed voxels
  /// (empty if none). If \p f throws, what it wrote so far stays recorded (abort() undoes it).
  volume::Region modifyRows(const volume::Region& region, const RowFunction& f);
  /// Sets every voxel of \p region (clipped to the volume) to \p value.
  volume::Region fill(const volume::Region& region, std::uint8_t value);
  /// Copies \p src (uint8, same size as the labels) into the labels ("Replace labels").
  volume::Region assign(const volume::Volume& src);
  /// Marks slice \p z (along z) as fully annotated or not.
  void setSliceAnnotated(std::int64_t z, bool annotated);

  /// Bounding box of everything this edit changed so far.
  volume::Region changedSoFar() const;
  /// Voxels changed so far (a voxel changed by two operations counts twice).
  std::int64_t changedVoxels() const;

  /// Ends the edit: pushes one undo step named name() (nothing if nothing changed). The handle
  /// is closed afterwards.
  EditSummary commit();
  /// Ends the edit and restores every voxel and flag it changed; listeners hear the restored box.
  void abort();

private:
  friend class LabelVolume;
  explicit LabelEdit(LabelVolume* labels);
  LabelVolume* m_labels = nullptr;
};

/// The names of undo steps the tools use, so the Edit menu reads the same everywhere.
namespace stepname {
constexpr const char* kPaintStroke = "Paint stroke";
constexpr const char* kEraseStroke = "Erase stroke";
constexpr const char* kPolygonFill = "Polygon fill";
constexpr const char* kPolygonErase = "Polygon erase";
constexpr const char* kFloodFill = "Flood fill";
constexpr const char* kInterpolate = "Interpolate slices";
constexpr const char* kMarkAnnotated = "Mark slice annotated";
constexpr const char* kUnmarkAnnotated = "Unmark slice annotated";
constexpr const char* kAcceptPrediction = "Accept prediction";
constexpr const char* kAcceptSlice = "Accept prediction (slice)";
constexpr const char* kAcceptComponent = "Accept crack component";
constexpr const char* kDeleteComponent = "Delete component";
constexpr const char* kReplaceLabels = "Replace labels";
} // namespace stepname

/// Union of two boxes (an empty box is ignored).
volume::Region unite(const volume::Region& a, const volume::Region& b);
/// Intersection of two boxes (empty if they do not overlap).
volume::Region intersect(const volume::Region& a, const volume::Region& b);

} // namespace core::labels
